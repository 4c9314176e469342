package io.seedtrace.dicom.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.testing.TestCt;
import io.seedtrace.dicom.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A compressed stored file given as Explicit VR Little Endian (for WADO-RS clients that cannot
 * decompress) has the pixels DCMTK's own decompressor gives for the same file, and the rest of its
 * data set.
 */
class TranscoderTest {

  @TempDir
  Path dir;

  static Stream<Arguments> encoders() {
    return Stream.of(
        Arguments.of("RLE", List.of("dcmcrle"), "dcmdrle", 0),
        Arguments.of("JPEG Lossless SV1", List.of("dcmcjpeg", "+e1"), "dcmdjpeg", 0),
        Arguments.of("JPEG-LS Lossless", List.of("dcmcjpls", "+el"), "dcmdjpls", 0),
        Arguments.of("JPEG Extended 12-bit", List.of("dcmcjpeg", "+ee"), "dcmdjpeg", 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("encoders")
  void aCompressedFileComesOutWithThePixelsOfDcmtksDecoder(String name, List<String> encoder, String decoder,
      int tolerance) throws Exception {
    assumeTrue(Tools.installed(encoder.get(0)) && Tools.installed(decoder), "DCMTK is not installed; skipped");
    DataSet slice = TestCt.slice(TestCt.uid(), TestCt.uid(), TestCt.uid(), 3, 64, 11);
    Path original = dir.resolve("native.dcm");
    Files.write(original, Part10.toBytes(slice, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
    Path compressed = dir.resolve("compressed.dcm");
    Path byDcmtk = dir.resolve("dcmtk.dcm");
    Path log = dir.resolve("tools.log");
    List<String> encode = new ArrayList<>(encoder);
    encode.add(original.toString());
    encode.add(compressed.toString());
    Tools.check(encode, log);
    Tools.check(List.of(decoder, compressed.toString(), byDcmtk.toString()), log);
    assertThat(Transcoder.canMakeExplicitLittleEndian(Transcoder.storedSyntax(compressed))).isTrue();

    Part10.DicomFile ours = Part10.read(Transcoder.toExplicitLittleEndian(compressed));
    Part10.DicomFile theirs = Part10.read(Files.readAllBytes(byDcmtk));

    assertThat(ours.transferSyntax()).isEqualTo(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    assertThat(ours.meta().getString(Tag.TransferSyntaxUID, "")).isEqualTo("1.2.840.10008.1.2.1");
    byte[] a = ours.dataSet().get(Tag.PixelData).orElseThrow().value();
    byte[] b = theirs.dataSet().get(Tag.PixelData).orElseThrow().value();
    assertThat(a).hasSameSizeAs(b);
    int worst = 0;
    for (int i = 0; i < a.length; i += 2) {
      int va = (a[i] & 0xFF) | a[i + 1] << 8;
      int vb = (b[i] & 0xFF) | b[i + 1] << 8;
      worst = Math.max(worst, Math.abs(va - vb));
    }
    assertThat(worst).as("largest pixel difference from %s", decoder).isLessThanOrEqualTo(tolerance);
    DataSet stored = Part10.read(Files.readAllBytes(compressed)).dataSet(); // a lossy encoder gives a new SOP UID
    for (int tag : new int[] {Tag.SOPInstanceUID, Tag.SeriesInstanceUID, Tag.Rows, Tag.Columns, Tag.PatientID}) {
      assertThat(ours.dataSet().getString(tag)).as(Tag.toString(tag)).isEqualTo(stored.getString(tag));
    }
  }

  @Test
  void anImplicitVrFileIsReEncodedAndBigEndianIsNotOffered() throws Exception {
    DataSet slice = TestCt.slice(TestCt.uid(), TestCt.uid(), TestCt.uid(), 0, 16, 3);
    Path implicit = dir.resolve("implicit.dcm");
    Files.write(implicit, Part10.toBytes(slice, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN));
    Part10.DicomFile ours = Part10.read(Transcoder.toExplicitLittleEndian(implicit));
    assertThat(ours.transferSyntax()).isEqualTo(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    assertThat(ours.dataSet().get(Tag.PixelData).orElseThrow().value())
        .isEqualTo(slice.get(Tag.PixelData).orElseThrow().value());
    assertThat(Transcoder.canMakeExplicitLittleEndian("1.2.840.10008.1.2.2")).isFalse();
    assertThat(Transcoder.canMakeExplicitLittleEndian("1.2.840.10008.1.2.4.100")).as("MPEG-2").isFalse();
  }

  @Test
  void aFileWhosePixelDataIsBrokenIsACodecErrorNotAFile() throws Exception {
    assumeTrue(Tools.installed("dcmcrle"), "DCMTK is not installed; skipped");
    DataSet slice = TestCt.slice(TestCt.uid(), TestCt.uid(), TestCt.uid(), 0, 32, 3);
    Path original = dir.resolve("n.dcm");
    Files.write(original, Part10.toBytes(slice, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
    Path rle = dir.resolve("rle.dcm");
    Tools.check(List.of("dcmcrle", original.toString(), rle.toString()), dir.resolve("log"));
    Part10.DicomFile f = Part10.read(Files.readAllBytes(rle));
    List<byte[]> fragments = new ArrayList<>(f.dataSet().get(Tag.PixelData).orElseThrow().fragments());
    byte[] first = fragments.get(1);
    fragments.set(1, java.util.Arrays.copyOf(first, 64)); // the RLE segments cut short
    f.dataSet().put(io.seedtrace.dicom.data.Element.ofFragments(Tag.PixelData, io.seedtrace.dicom.data.Vr.OB,
        fragments));
    Path broken = dir.resolve("broken.dcm");
    Files.write(broken, Part10.toBytes(f.dataSet(), f.transferSyntax()));
    assertThatThrownBy(() -> Transcoder.toExplicitLittleEndian(broken)).isInstanceOf(CodecException.class);
  }
}
