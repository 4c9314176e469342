package io.seedtrace.server.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Element;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.Vr;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** WADO-RS metadata in the DICOM JSON model (PS3.18 Annex F): each VR as the model writes it, bulk data as URIs or left out. */
class DicomJsonWriterTest {

  static JsonNode json(DataSet ds) throws Exception {
    return json(ds, null);
  }

  static JsonNode json(DataSet ds, String bulkData) throws Exception {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = DicomJson.MAPPER.getFactory().createGenerator(out)) {
      DicomJsonWriter.write(g, ds, bulkData);
    }
    return DicomJson.MAPPER.readTree(out.toString());
  }

  static byte[] le(int bytes, java.util.function.Consumer<ByteBuffer> fill) {
    ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    fill.accept(b);
    return b.array();
  }

  @Test
  void writesEachValueRepresentationAsTheModelAsks() throws Exception {
    DataSet ds = new DataSet()
        .putString(Tag.PatientName, Vr.PN, "Doe^Jane=\u5c71\u7530^\u82b1\u5b50")
        .putString(Tag.ImageType, Vr.CS, "ORIGINAL\\PRIMARY\\AXIAL")
        .putString(0x00200032, Vr.DS, "-125.5\\-130\\+7.25E1")
        .putString(Tag.InstanceNumber, Vr.IS, " 12")
        .putString(0x00081030, Vr.LO, "")
        .putString(0x00204000, Vr.LT, "a\\b stays one value")
        .putUS(Tag.Rows, 512)
        .put(Element.ofValue(0x00181310, Vr.US, le(8, b -> b.putShort((short) 0).putShort((short) 512)
            .putShort((short) 512).putShort((short) 0))))
        .put(Element.ofValue(0x00189306, Vr.FD, le(16, b -> b.putDouble(0.5).putDouble(Double.NaN))))
        .put(Element.ofValue(0x00209165, Vr.AT, le(4, b -> b.putShort((short) 0x0020).putShort((short) 0x9056))))
        .put(Element.ofValue(0x00291010, Vr.OB, new byte[] {1, 2, 3, 4}))
        .put(Element.ofValue(0x00291020, Vr.OB, new byte[4096]))
        .put(Element.ofItems(0x00081140, List.of(new DataSet().putString(Tag.SOPInstanceUID, Vr.UI, "1.2.3"))))
        .put(Element.ofFragments(Tag.PixelData, Vr.OB, List.of(new byte[0], new byte[] {9, 9})));

    JsonNode j = json(ds);

    assertThat(j.path("00100010").path("Value").get(0).path("Alphabetic").asText()).isEqualTo("Doe^Jane");
    assertThat(j.path("00100010").path("Value").get(0).path("Ideographic").asText()).isEqualTo("\u5c71\u7530^\u82b1\u5b50");
    assertThat(j.path("00080008").path("Value")).extracting(JsonNode::asText).containsExactly("ORIGINAL", "PRIMARY", "AXIAL");
    assertThat(j.path("00200032").path("Value")).allSatisfy(v -> assertThat(v.isNumber()).isTrue());
    assertThat(j.path("00200032").path("Value").get(2).asDouble()).isEqualTo(72.5);
    assertThat(j.path("00200013").path("Value").get(0).asInt()).isEqualTo(12);
    assertThat(j.path("00081030").path("vr").asText()).isEqualTo("LO");
    assertThat(j.path("00081030").has("Value")).as("empty value: no Value").isFalse();
    assertThat(j.path("00204000").path("Value")).hasSize(1);
    assertThat(j.path("00280010").path("Value").get(0).asInt()).isEqualTo(512);
    assertThat(j.path("00181310").path("Value")).extracting(JsonNode::asInt).containsExactly(0, 512, 512, 0);
    assertThat(j.path("00189306").path("Value").get(0).asDouble()).isEqualTo(0.5);
    assertThat(j.path("00189306").path("Value").get(1).isNull()).as("NaN is not JSON").isTrue();
    assertThat(j.path("00209165").path("Value").get(0).asText()).isEqualTo("00209056");
    assertThat(j.path("00291010").path("InlineBinary").asText()).isEqualTo("AQIDBA==");
    assertThat(j.has("00291020")).as("bulk data left out").isFalse();
    assertThat(j.has("7FE00010")).as("Pixel Data left out").isFalse();
    assertThat(j.path("00081140").path("Value").get(0).path("00080018").path("Value").get(0).asText())
        .isEqualTo("1.2.3");
  }

  @Test
  void bulkDataIsGivenByUrisUnderTheInstancesBulkdataResource() throws Exception {
    String base = "http://h/dicomweb/studies/1/series/2/instances/3/bulkdata";
    DataSet item = new DataSet().put(Element.ofValue(0x00281201, Vr.OW, new byte[2048]))
        .put(Element.ofValue(0x00281202, Vr.OW, new byte[] {1, 0}));
    DataSet ds = new DataSet()
        .putUS(Tag.Rows, 2).putUS(Tag.Columns, 2).putUS(Tag.BitsAllocated, 16)
        .put(Element.ofValue(0x00291010, Vr.OB, new byte[] {1, 2, 3, 4}))
        .put(Element.ofValue(0x00291020, Vr.OB, new byte[1025]))
        .put(Element.ofValue(0x00291030, Vr.OB, new byte[1024]))
        .put(Element.ofItems(0x00540016, List.of(new DataSet(), item)));

    JsonNode j = json(ds, base);

    assertThat(j.path("00291010").path("InlineBinary").asText()).isEqualTo("AQIDBA==");
    assertThat(j.path("00291030").has("InlineBinary")).as("1024 bytes: still inline").isTrue();
    assertThat(j.path("00291020").path("BulkDataURI").asText()).isEqualTo(base + "/00291020");
    assertThat(j.path("00291020").path("vr").asText()).isEqualTo("OB");
    JsonNode nested = j.path("00540016").path("Value").get(1);
    assertThat(nested.path("00281201").path("BulkDataURI").asText()).isEqualTo(base + "/00540016/1/00281201");
    assertThat(nested.path("00281202").has("InlineBinary")).isTrue();
    assertThat(j.path("7FE00010").path("BulkDataURI").asText()).as("the image's Pixel Data, after the header")
        .isEqualTo(base + "/7FE00010");
    assertThat(j.path("7FE00010").path("vr").asText()).isEqualTo("OW");
    assertThat(json(new DataSet().putString(Tag.SOPInstanceUID, Vr.UI, "1.2"), base).has("7FE00010"))
        .as("no Pixel Data URI for a header that is not an image's").isFalse();
  }
}
