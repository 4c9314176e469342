package io.seedtrace.server.console.report;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * A document written top to bottom on A4 pages, never more than {@code maxPages}: each write says
 * whether it fitted, and a line kept free at the foot of the last page takes the note that says
 * what did not. Text uses the standard Helvetica, so characters outside Latin-1 print as {@code ?}.
 */
final class PdfSheet implements Closeable {

  private static final PDRectangle SIZE = PDRectangle.A4;
  private static final float MARGIN = 42;
  private static final float FOOT = 56;
  private static final float WIDTH = SIZE.getWidth() - 2 * MARGIN;
  private static final float TEXT = 9.5f;
  private static final float LEADING = 12.5f;

  private final PDDocument doc = new PDDocument();
  private final PDFont regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
  private final PDFont bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
  private final int maxPages;
  private final String footer;
  private PDPageContentStream content;
  private float y;

  PdfSheet(int maxPages, String footer) throws IOException {
    this.maxPages = maxPages;
    this.footer = footer;
    newPage();
  }

  float width() {
    return WIDTH;
  }

  void title(String text) throws IOException {
    write(bold, 15, MARGIN, text);
    y -= 8;
  }

  boolean heading(String text) throws IOException {
    if (!fits(LEADING * 3)) {
      return false;
    }
    y -= 6;
    write(bold, 11.5f, MARGIN, text);
    return true;
  }

  /** A label and its value, the value wrapped beside the label. */
  boolean fact(String label, String value) throws IOException {
    List<String> lines = wrap(regular, TEXT, value, WIDTH - 110);
    if (!fits(LEADING * lines.size())) {
      return false;
    }
    float top = y;
    write(bold, TEXT, MARGIN, label);
    y = top;
    for (String line : lines) {
      write(regular, TEXT, MARGIN + 110, line);
    }
    return true;
  }

  boolean paragraph(String text) throws IOException {
    List<String> lines = wrap(regular, TEXT, text, WIDTH);
    if (!fits(LEADING * lines.size())) {
      return false;
    }
    for (String line : lines) {
      write(regular, TEXT, MARGIN, line);
    }
    return true;
  }

  /** One row of cells starting at the given offsets from the margin; cells are not wrapped. */
  boolean row(float[] offsets, List<String> cells, boolean header) throws IOException {
    if (!fits(LEADING)) {
      return false;
    }
    float top = y;
    for (int i = 0; i < cells.size(); i++) {
      y = top;
      write(header ? bold : regular, header ? TEXT : TEXT - 0.5f, MARGIN + offsets[i], cells.get(i));
    }
    return true;
  }

  /** PNG images side by side across the page, each with its caption below. */
  boolean images(List<byte[]> pngs, List<String> captions) throws IOException {
    float gap = 10;
    float each = (WIDTH - gap * (pngs.size() - 1)) / pngs.size();
    List<PDImageXObject> images = new ArrayList<>();
    float tallest = 0;
    for (int i = 0; i < pngs.size(); i++) {
      PDImageXObject image = PDImageXObject.createFromByteArray(doc, pngs.get(i), captions.get(i));
      images.add(image);
      tallest = Math.max(tallest, each * image.getHeight() / image.getWidth());
    }
    if (!fits(tallest + LEADING + 10)) {
      return false;
    }
    y -= 4;
    for (int i = 0; i < images.size(); i++) {
      PDImageXObject image = images.get(i);
      float height = each * image.getHeight() / image.getWidth();
      float x = MARGIN + i * (each + gap);
      content.drawImage(image, x, y - height, each, height);
      float top = y;
      y -= tallest + 2;
      write(regular, TEXT, x, captions.get(i));
      y = top;
    }
    y -= tallest + LEADING + 6;
    return true;
  }

  /** One PNG image, {@code fraction} of the page's width, with its caption below. */
  boolean image(byte[] png, String caption, float fraction) throws IOException {
    PDImageXObject image = PDImageXObject.createFromByteArray(doc, png, caption);
    float width = WIDTH * fraction;
    float height = width * image.getHeight() / image.getWidth();
    if (!fits(height + LEADING + 10)) {
      return false;
    }
    y -= 4;
    content.drawImage(image, MARGIN, y - height, width, height);
    y -= height + 2;
    write(regular, TEXT, MARGIN, caption);
    y -= 6;
    return true;
  }

  /** The note at the foot of the last page saying what did not fit. */
  void lastNote(String text) throws IOException {
    y = FOOT - 4;
    write(bold, TEXT, MARGIN, text);
  }

  int pages() {
    return doc.getNumberOfPages();
  }

  byte[] finish() throws IOException {
    content.close();
    content = null;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    doc.save(out);
    return out.toByteArray();
  }

  @Override
  public void close() throws IOException {
    if (content != null) {
      content.close();
    }
    doc.close();
  }

  /** Whether the height fits on this page or, when one is left, the next (which then begins). */
  private boolean fits(float height) throws IOException {
    if (y - height >= FOOT + LEADING) {
      return true;
    }
    if (doc.getNumberOfPages() >= maxPages) {
      return false;
    }
    newPage();
    return true;
  }

  private void newPage() throws IOException {
    if (content != null) {
      content.close();
    }
    PDPage page = new PDPage(SIZE);
    doc.addPage(page);
    content = new PDPageContentStream(doc, page);
    y = 24 + LEADING;
    write(regular, 8, MARGIN, footer + " - page " + doc.getNumberOfPages());
    y = SIZE.getHeight() - MARGIN;
  }

  private void write(PDFont font, float size, float x, String text) throws IOException {
    y -= LEADING;
    content.beginText();
    content.setFont(font, size);
    content.newLineAtOffset(x, y);
    content.showText(latin1(text));
    content.endText();
  }

  private static List<String> wrap(PDFont font, float size, String text, float width) throws IOException {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : latin1(text).split(" ")) {
      String next = line.isEmpty() ? word : line + " " + word;
      if (!line.isEmpty() && font.getStringWidth(next) / 1000 * size > width) {
        lines.add(line.toString());
        line = new StringBuilder(word);
      } else {
        line = new StringBuilder(next);
      }
    }
    lines.add(line.toString());
    return lines;
  }

  /** The text with every character the standard fonts cannot show replaced by {@code ?}. */
  static String latin1(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : (text == null ? "" : text).toCharArray()) {
      if (Character.isWhitespace(c)) {
        out.append(' ');
      } else {
        out.append((c >= 0x20 && c < 0x7f) || (c >= 0xa0 && c <= 0xff) ? c : '?');
      }
    }
    return out.toString();
  }
}
