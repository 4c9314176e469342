package io.seedtrace.server.dicomweb;

import com.fasterxml.jackson.core.JsonGenerator;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Element;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.Vr;
import io.seedtrace.dicom.web.BulkData;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Writes a whole data set in the DICOM JSON model (PS3.18 Annex F) to a streaming generator, as
 * WADO-RS metadata: every attribute with its {@code vr}; text split at backslashes (except the
 * unlimited and long text VRs), person names as their alphabetic, ideographic and phonetic groups,
 * numbers (IS, DS, binary integers and floats) as JSON numbers, attribute tags as hex, sequences as
 * nested objects. Bulk data ({@link BulkData#isBulk}: encapsulated Pixel Data and every binary value
 * longer than {@value BulkData#THRESHOLD} bytes) is given as a {@code BulkDataURI} under the
 * instance's {@code bulkdata} resource; shorter binary values as {@code InlineBinary} (base64).
 * Pixel Data itself, which the header read for metadata stops before, gets its URI when the header
 * is an image's ({@link BulkData#hasPixelData}). Group length elements are not written (the model
 * has none).
 */
final class DicomJsonWriter {

  private DicomJsonWriter() {}

  /**
   * Writes {@code ds} as one JSON object.
   *
   * @param bulkData the URL of the instance's bulkdata resource; null leaves bulk data out
   */
  static void write(JsonGenerator json, DataSet ds, String bulkData) throws IOException {
    write(json, ds, bulkData, "");
  }

  private static void write(JsonGenerator json, DataSet ds, String bulkData, String parent) throws IOException {
    json.writeStartObject();
    for (Element e : ds.elements()) {
      if ((e.tag() & 0xFFFF) == 0 || BulkData.isBulk(e) && bulkData == null) {
        continue;
      }
      json.writeObjectFieldStart(String.format("%08X", e.tag()));
      json.writeStringField("vr", e.vr().name());
      if (BulkData.isBulk(e)) {
        json.writeStringField("BulkDataURI", bulkData + "/" + BulkData.path(parent, e.tag()));
      } else if (e.isSequence()) {
        items(json, e, bulkData, parent);
      } else if (e.value().length > 0) {
        value(json, e, ds.bigEndian());
      }
      json.writeEndObject();
    }
    if (parent.isEmpty() && bulkData != null && !ds.contains(Tag.PixelData) && BulkData.hasPixelData(ds)) {
      json.writeObjectFieldStart(String.format("%08X", Tag.PixelData));
      json.writeStringField("vr", BulkData.pixelDataVr(ds).name());
      json.writeStringField("BulkDataURI", bulkData + "/" + BulkData.path(parent, Tag.PixelData));
      json.writeEndObject();
    }
    json.writeEndObject();
  }

  private static void items(JsonGenerator json, Element sequence, String bulkData, String parent) throws IOException {
    if (sequence.items().isEmpty()) {
      return;
    }
    json.writeArrayFieldStart("Value");
    for (int i = 0; i < sequence.items().size(); i++) {
      write(json, sequence.items().get(i), bulkData, BulkData.path(parent, sequence.tag()) + "/" + i);
    }
    json.writeEndArray();
  }

  private static void value(JsonGenerator json, Element e, boolean bigEndian) throws IOException {
    Vr vr = e.vr();
    if (BulkData.binary(vr)) {
      json.writeStringField("InlineBinary", Base64.getEncoder().encodeToString(e.value()));
      return;
    }
    json.writeArrayFieldStart("Value");
    if (vr.isText()) {
      texts(json, vr, text(e.value()));
    } else {
      numbers(json, vr, ByteBuffer.wrap(e.value()).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN));
    }
    json.writeEndArray();
  }

  private static void texts(JsonGenerator json, Vr vr, String text) throws IOException {
    boolean single = vr == Vr.LT || vr == Vr.ST || vr == Vr.UT || vr == Vr.UR;
    for (String v : single ? new String[] {text} : text.split("\\\\", -1)) {
      String s = vr == Vr.UI ? v.trim() : v.strip();
      if (s.isEmpty()) {
        json.writeNull();
      } else if (vr == Vr.PN) {
        personName(json, s);
      } else if (vr == Vr.IS || vr == Vr.DS) {
        number(json, s);
      } else {
        json.writeString(s);
      }
    }
  }

  private static void personName(JsonGenerator json, String name) throws IOException {
    String[] groups = name.split("=", -1);
    String[] keys = {"Alphabetic", "Ideographic", "Phonetic"};
    json.writeStartObject();
    for (int i = 0; i < Math.min(3, groups.length); i++) {
      if (!groups[i].isEmpty()) {
        json.writeStringField(keys[i], groups[i]);
      }
    }
    json.writeEndObject();
  }

  /** An IS or DS value as a JSON number; written as a string when it is not a number. */
  private static void number(JsonGenerator json, String s) throws IOException {
    try {
      BigDecimal d = new BigDecimal(s.startsWith("+") ? s.substring(1) : s);
      json.writeNumber(d);
    } catch (NumberFormatException notANumber) {
      json.writeString(s);
    }
  }

  private static void numbers(JsonGenerator json, Vr vr, ByteBuffer b) throws IOException {
    switch (vr) {
      case US -> { while (b.remaining() >= 2) json.writeNumber(b.getShort() & 0xFFFF); }
      case SS -> { while (b.remaining() >= 2) json.writeNumber(b.getShort()); }
      case UL -> { while (b.remaining() >= 4) json.writeNumber(b.getInt() & 0xFFFFFFFFL); }
      case SL -> { while (b.remaining() >= 4) json.writeNumber(b.getInt()); }
      case FL -> { while (b.remaining() >= 4) floating(json, b.getFloat()); }
      case FD -> { while (b.remaining() >= 8) floating(json, b.getDouble()); }
      case SV -> { while (b.remaining() >= 8) json.writeNumber(b.getLong()); }
      case UV -> { while (b.remaining() >= 8) json.writeNumber(new java.math.BigInteger(Long.toUnsignedString(b.getLong()))); }
      case AT -> {
        while (b.remaining() >= 4) {
          json.writeString(String.format("%04X%04X", b.getShort() & 0xFFFF, b.getShort() & 0xFFFF));
        }
      }
      default -> json.writeString(text(b.array()));
    }
  }

  /** JSON has no NaN or infinity: such a value is written as null. */
  private static void floating(JsonGenerator json, double v) throws IOException {
    if (Double.isFinite(v)) {
      json.writeNumber(v);
    } else {
      json.writeNull();
    }
  }

  private static String text(byte[] value) {
    int end = value.length;
    while (end > 0 && (value[end - 1] == 0 || value[end - 1] == ' ')) {
      end--;
    }
    return new String(value, 0, end, StandardCharsets.UTF_8);
  }
}
