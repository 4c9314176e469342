package io.seedtrace.dicom.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedtrace.dicom.NodeConfig;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.data.Vr;
import io.seedtrace.dicom.net.Dimse;
import io.seedtrace.dicom.spool.InstanceRecord;
import io.seedtrace.dicom.spool.Spool;
import io.seedtrace.dicom.testing.TestCt;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** STOW-RS bodies into a real spool on disk. */
class StowReceiverTest {

  private static final String BOUNDARY = "stow-test";
  private static final NodeConfig NODE = NodeConfig.defaults(Path.of("unused"));

  @TempDir
  Path root;
  Spool spool;
  final List<InstanceRecord> told = new ArrayList<>();
  /** How each request ended for each series it carried: "series released" or "series aborted". */
  final List<String> ended = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeEach
  void open() {
    spool = new Spool(root, told::add, new io.seedtrace.dicom.spool.AssociationListener() {
      @Override
      public void carried(String seriesUid) {}

      @Override
      public void ended(String seriesUid, boolean released) {
        ended.add(seriesUid + (released ? " released" : " aborted"));
      }
    }, 4, 64 * 1024);
  }

  @AfterEach
  void close() {
    spool.close();
  }

  private StowReceiver receiver(long maxPart) {
    return new StowReceiver(spool, NODE::acceptsSopClass, NODE::acceptsTransferSyntax,
        new StowReceiver.Limits(maxPart, 100, 8192));
  }

  private static byte[] body(List<byte[]> files) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MultipartWriter writer = new MultipartWriter(out, BOUNDARY);
    for (byte[] f : files) {
      writer.part("application/dicom", f);
    }
    writer.finish();
    return out.toByteArray();
  }

  private StowReceiver.Result post(StowReceiver receiver, byte[] body, Optional<String> study) throws IOException {
    StowReceiver.Result result = receiver.receive(new ByteArrayInputStream(body), BOUNDARY, study, "127.0.0.1");
    spool.awaitInPlace();
    return result;
  }

  private static byte[] dataSet(byte[] file) throws Exception {
    return Arrays.copyOfRange(file, Part10.dataSetOffset(file), file.length);
  }

  @Test
  void everyFileOfTheBodyIsStoredWithItsDataSetUnchanged() throws Exception {
    List<byte[]> files = TestCt.series(3, 64);
    StowReceiver.Result result = post(receiver(1 << 20), body(files), Optional.empty());

    assertThat(result.instances()).allSatisfy(i -> assertThat(i.status()).isEqualTo(Dimse.SUCCESS));
    assertThat(result.stoppedBecause()).isEmpty();
    assertThat(ended).containsExactly(told.get(0).seriesUid() + " released");
    assertThat(told).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(dataSet(Files.readAllBytes(told.get(i).path()))).isEqualTo(dataSet(files.get(i)));
      assertThat(result.instances().get(i).studyUid()).isEqualTo(told.get(i).studyUid());
    }
  }

  @Test
  void aFileTheNodeDoesNotAcceptIsRefusedAndTheOthersAreStored() throws Exception {
    List<byte[]> files = new ArrayList<>(TestCt.series(2, 16));
    DataSet notStorage = Part10.read(files.get(0)).dataSet().putString(Tag.SOPClassUID, Vr.UI, "1.2.840.10008.5.1.4.1.2.2.1")
        .putString(Tag.SOPInstanceUID, Vr.UI, TestCt.uid());
    files.add(1, Part10.toBytes(notStorage, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
    files.add("not a DICOM file at all".getBytes());

    StowReceiver.Result result = post(receiver(1 << 20), body(files), Optional.empty());

    assertThat(result.instances()).extracting(StowReceiver.Instance::status).containsExactly(Dimse.SUCCESS,
        StowReceiver.SOP_CLASS_NOT_SUPPORTED, Dimse.SUCCESS, Dimse.CANNOT_UNDERSTAND);
    assertThat(told).hasSize(2);
  }

  @Test
  void aBodyCutInsideTheThirdFileKeepsTheFirstTwoAndMarksTheSeriesInterrupted() throws Exception {
    List<byte[]> files = TestCt.series(3, 64);
    byte[] whole = body(files);
    byte[] cut = Arrays.copyOf(whole, whole.length - files.get(2).length / 2);

    StowReceiver.Result result = post(receiver(1 << 20), cut, Optional.empty());

    assertThat(result.storedCount()).isEqualTo(2);
    assertThat(result.instances().get(2).status()).isEqualTo(Dimse.CANNOT_UNDERSTAND);
    assertThat(result.stoppedBecause()).hasValueSatisfying(s -> assertThat(s).contains("ends inside a part"));
    assertThat(spool.indexed()).hasSize(2);
    assertThat(ended).as("the series tracker hears of it as of an aborted association")
        .containsExactly(told.get(0).seriesUid() + " aborted");
  }

  @Test
  void aPartOverTheLimitStopsTheRequestAndWhatCameBeforeStaysStored() throws Exception {
    List<byte[]> files = new ArrayList<>(TestCt.series(1, 16));
    files.addAll(TestCt.series(1, 200)); // 80 KB of pixels
    files.addAll(TestCt.series(1, 16));

    StowReceiver.Result result = post(receiver(40_000), body(files), Optional.empty());

    assertThat(result.instances()).extracting(StowReceiver.Instance::status)
        .containsExactly(Dimse.SUCCESS, Dimse.OUT_OF_RESOURCES);
    assertThat(result.overLimit()).isTrue();
    assertThat(told).hasSize(1);
    try (var left = Files.list(root.resolve(".incoming"))) {
      assertThat(left).as("nothing partial is left").isEmpty();
    }
  }

  @Test
  void anInstanceOfAnotherStudyIsRefusedWhenTheUrlNamesAStudy() throws Exception {
    List<byte[]> files = new ArrayList<>(TestCt.series(2, 16));
    files.addAll(TestCt.series(1, 16));
    String study = Part10.read(files.get(0)).dataSet().getString(Tag.StudyInstanceUID, "");

    StowReceiver.Result result = post(receiver(1 << 20), body(files), Optional.of(study));

    assertThat(result.instances()).extracting(StowReceiver.Instance::status)
        .containsExactly(Dimse.SUCCESS, Dimse.SUCCESS, Dimse.DATA_SET_DOES_NOT_MATCH_SOP_CLASS);
    assertThat(told).extracting(InstanceRecord::studyUid).containsOnly(study);
  }

  @Test
  void aBodyWithoutAnyPartIsRefusedAndStoresNothing() {
    assertThatThrownBy(() -> post(receiver(1 << 20), "just text, no boundary".getBytes(), Optional.empty()))
        .isInstanceOf(MalformedMultipartException.class);
    assertThat(told).isEmpty();
  }
}
