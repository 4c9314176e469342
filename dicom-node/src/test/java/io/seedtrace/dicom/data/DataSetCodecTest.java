package io.seedtrace.dicom.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedtrace.dicom.testing.TestCt;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DataSetCodecTest {

  private static DataSet sample() {
    DataSet ds = TestCt.slice("1.2.3", "1.2.3.4", "1.2.3.4.5", 0, 8, 1);
    DataSet inner = new DataSet().putString(Tag.PatientID, Vr.LO, "nested");
    DataSet item = new DataSet().putString(Tag.Modality, Vr.CS, "RTSTRUCT")
        .put(Element.ofItems(0x30060020, List.of(inner, new DataSet())));
    ds.put(Element.ofItems(0x30060010, List.of(item)));
    ds.put(Element.ofValue(0x00091010, Vr.LO, "PRIVATE VALUE ".getBytes()));
    return ds;
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.1.99"})
  void roundTripsInEveryLittleEndianSyntaxIncludingNestedSequencesAndPrivateTags(String tsUid) throws Exception {
    TransferSyntax ts = TransferSyntax.of(tsUid);
    DataSet original = sample();
    byte[] bytes = DataSetWriter.toBytes(original, ts);
    DataSet back = DataSetReader.read(bytes, ts);
    assertThat(back.getString(Tag.SOPInstanceUID)).contains("1.2.3.4.5");
    assertThat(back.get(0x00091010).orElseThrow().value()).isEqualTo("PRIVATE VALUE ".getBytes());
    DataSet item = back.get(0x30060010).orElseThrow().items().get(0);
    assertThat(item.getString(Tag.Modality)).contains("RTSTRUCT");
    assertThat(item.get(0x30060020).orElseThrow().items()).hasSize(2);
    assertThat(item.get(0x30060020).orElseThrow().items().get(0).getString(Tag.PatientID)).contains("nested");
    assertThat(back.get(Tag.PixelData).orElseThrow().value()).isEqualTo(original.get(Tag.PixelData).orElseThrow().value());
    assertThat(DataSetWriter.toBytes(back, ts)).isEqualTo(bytes);
  }

  @Test
  void readsPart10FilesAndFindsWhereTheDataSetStarts() throws Exception {
    byte[] file = Part10.toBytes(sample(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    Part10.DicomFile read = Part10.read(file);
    assertThat(read.transferSyntax()).isEqualTo(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    assertThat(read.meta().getString(Tag.MediaStorageSOPInstanceUID)).contains("1.2.3.4.5");
    assertThat(read.meta().getString(Tag.ImplementationClassUID)).contains(Part10.IMPLEMENTATION_CLASS_UID);
    byte[] body = Arrays.copyOfRange(file, read.dataSetOffset(), file.length);
    assertThat(body).isEqualTo(DataSetWriter.toBytes(sample(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
  }

  @Test
  void readsExplicitBigEndian() throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    // (0028,0010) US 2 = 512, big endian
    b.writeBytes(new byte[] {0x00, 0x28, 0x00, 0x10, 'U', 'S', 0x00, 0x02, 0x02, 0x00});
    // (0010,0020) LO 4 "ABCD"
    b.writeBytes(new byte[] {0x00, 0x10, 0x00, 0x20, 'L', 'O', 0x00, 0x04, 'A', 'B', 'C', 'D'});
    DataSet ds = DataSetReader.read(b.toByteArray(), TransferSyntax.EXPLICIT_VR_BIG_ENDIAN);
    assertThat(ds.getInt(Tag.Rows)).contains(512);
    assertThat(ds.getString(Tag.PatientID)).contains("ABCD");
  }

  @Test
  void keepsEncapsulatedPixelDataFragmentsAsTheyAre() throws Exception {
    DataSet ds = new DataSet().putString(Tag.SOPInstanceUID, Vr.UI, "1.2")
        .put(Element.ofFragments(Tag.PixelData, Vr.OB, List.of(new byte[0], new byte[] {1, 2, 3, 4}, new byte[] {9, 9})));
    TransferSyntax jpeg = TransferSyntax.of("1.2.840.10008.1.2.4.70");
    DataSet back = DataSetReader.read(DataSetWriter.toBytes(ds, jpeg), jpeg);
    assertThat(back.get(Tag.PixelData).orElseThrow().fragments()).hasSize(3);
    assertThat(back.get(Tag.PixelData).orElseThrow().fragments().get(1)).containsExactly(1, 2, 3, 4);
  }

  @Test
  void acceptsOddValueLengthsAsRealFilesHaveThem() throws Exception {
    byte[] odd = {0x10, 0x00, 0x20, 0x00, 'L', 'O', 0x03, 0x00, 'A', 'B', 'C'};
    assertThat(DataSetReader.read(odd, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN).getString(Tag.PatientID)).contains("ABC");
  }

  @Test
  void refusesAnAbsurdDeclaredLengthWithoutAllocatingIt() {
    byte[] bomb = {(byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'W', 0, 0, (byte) 0xF0, (byte) 0xFF, (byte) 0xFF, 0x7F, 1, 2};
    assertThatThrownBy(() -> DataSetReader.read(bomb, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN))
        .isInstanceOf(DicomFormatException.class)
        .hasMessageContaining("exceeds the 2 bytes remaining");
  }

  @Test
  void refusesTruncatedFilesAtEveryCut() {
    byte[] file = Part10.toBytes(sample(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    int refused = 0;
    for (int cut = 0; cut < file.length - 1; cut += 7) {
      byte[] part = Arrays.copyOf(file, cut);
      try {
        Part10.read(part);
      } catch (DicomFormatException expected) {
        refused++;
        continue;
      }
      // a cut exactly between two elements is a shorter but well-formed file
      assertThat(part.length).isGreaterThan(132);
    }
    assertThat(refused).isGreaterThan(file.length / 7 / 2);
  }

  @Test
  void refusesUndelimitedAndOverNestedSequences() {
    byte[] undelimited = {0x06, 0x30, 0x10, 0x00, 'S', 'Q', 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
        (byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
    assertThatThrownBy(() -> DataSetReader.read(undelimited, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN))
        .isInstanceOf(DicomFormatException.class);

    DataSet deep = new DataSet().putString(Tag.PatientID, Vr.LO, "x");
    for (int i = 0; i < 40; i++) {
      deep = new DataSet().put(Element.ofItems(0x30060010, List.of(deep)));
    }
    byte[] bytes = DataSetWriter.toBytes(deep, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    assertThatThrownBy(() -> DataSetReader.read(bytes, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN))
        .isInstanceOf(DicomFormatException.class).hasMessageContaining("nested deeper");
  }

  @Test
  void refusesADeflateBomb() {
    DataSet big = new DataSet().put(Element.ofValue(0x00091010, Vr.OB, new byte[4 << 20]));
    byte[] deflated = DataSetWriter.toBytes(big, TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN);
    assertThat(deflated.length).isLessThan(64 * 1024);
    assertThatThrownBy(() -> DataSetReader.read(deflated, 0, deflated.length,
        TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, 1 << 20))
        .isInstanceOf(DicomFormatException.class).hasMessageContaining("inflates beyond");
  }

  @Test
  void randomGarbageNeverCrashesTheParser() {
    java.util.Random random = new java.util.Random(7);
    byte[] valid = Part10.toBytes(sample(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    List<String> unexpected = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      byte[] mutated = valid.clone();
      for (int k = 0; k < 1 + random.nextInt(8); k++) {
        mutated[132 + random.nextInt(mutated.length - 132)] = (byte) random.nextInt(256);
      }
      try {
        Part10.read(mutated);
      } catch (DicomFormatException expected) {
        // refused with a reason: fine
      } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
        unexpected.add(e.toString());
      }
    }
    assertThat(unexpected).isEmpty();
  }
}
