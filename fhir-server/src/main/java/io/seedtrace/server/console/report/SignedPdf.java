package io.seedtrace.server.console.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.TimeZone;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdfparser.PDFStreamParser;
import org.apache.pdfbox.pdfwriter.ContentStreamWriter;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDStream;

/**
 * The printed report once a physicist has signed it off: the line that said it was not signed off
 * ({@link ReportPdf#UNSIGNED}) now says who signed it and when, everything else as printed. The
 * line is replaced in the page's content (not painted over), so the PDF's text says it too.
 *
 * <pre>{@code byte[] signed = SignedPdf.signed(printed, "Dr Curie (physicist)", Instant.now());}</pre>
 */
final class SignedPdf {

  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
      .withZone(ZoneOffset.UTC);
  private static final int MAX_SIGNER = 60;

  private SignedPdf() {}

  /** The sentence a signed report carries. */
  static String statement(String signer, Instant when) {
    String who = signer.length() > MAX_SIGNER ? signer.substring(0, MAX_SIGNER) + "..." : signer;
    return "Signed off by " + who + " on " + WHEN.format(when) + ".";
  }

  /**
   * @throws IOException when the PDF cannot be read, or holds no unsigned statement (it was not
   *     printed by {@link ReportPdf}, or is signed already)
   */
  static byte[] signed(byte[] pdf, String signer, Instant when) throws IOException {
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      COSString replacement = new COSString(PdfSheet.latin1(statement(signer, when))
          .getBytes(StandardCharsets.ISO_8859_1));
      boolean replaced = false;
      for (PDPage page : doc.getPages()) {
        if (replaceOn(doc, page, replacement)) {
          replaced = true;
          break;
        }
      }
      if (!replaced) {
        throw new IOException("the printed report has no 'Not signed off' statement to replace");
      }
      Calendar modified = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
      modified.setTimeInMillis(when.toEpochMilli());
      doc.getDocumentInformation().setModificationDate(modified);
      ByteArrayOutputStream out = new ByteArrayOutputStream(pdf.length + 256);
      doc.save(out);
      return out.toByteArray();
    }
  }

  private static boolean replaceOn(PDDocument doc, PDPage page, COSString replacement) throws IOException {
    List<Object> tokens = new PDFStreamParser(page).parse();
    boolean found = false;
    for (int i = 0; i < tokens.size(); i++) {
      if (tokens.get(i) instanceof COSString s && ReportPdf.UNSIGNED.equals(s.getString())) {
        tokens.set(i, replacement);
        found = true;
      }
    }
    if (found) {
      PDStream contents = new PDStream(doc);
      try (OutputStream out = contents.createOutputStream(COSName.FLATE_DECODE)) {
        new ContentStreamWriter(out).writeTokens(tokens);
      }
      page.setContents(contents);
    }
    return found;
  }
}
