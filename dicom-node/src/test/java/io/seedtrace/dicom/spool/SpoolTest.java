package io.seedtrace.dicom.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.dicom.NodeConfig;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.net.Dimse;
import io.seedtrace.dicom.net.StoreHandler;
import io.seedtrace.dicom.testing.TestCt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

  @TempDir
  Path root;

  private static StoreHandler.Outcome store(Spool spool, byte[] file) throws Exception {
    Part10.DicomFile f = Part10.read(file);
    StoreHandler.Sink sink = spool.begin(new StoreHandler.StoreContext("PACS", "127.0.0.1", NodeConfig.CT_IMAGE,
        f.dataSet().getString(io.seedtrace.dicom.data.Tag.SOPInstanceUID, ""), "1.2.840.10008.1.2.1"));
    byte[] body = java.util.Arrays.copyOfRange(file, f.dataSetOffset(), file.length);
    for (int off = 0; off < body.length; off += 1000) {
      sink.write(java.util.Arrays.copyOfRange(body, off, Math.min(body.length, off + 1000)));
    }
    return sink.complete();
  }

  @Test
  void aStoredFileWhoseIndexLineWasLostIsFoundAgainByTheRescan() throws Exception {
    List<InstanceRecord> told = new ArrayList<>();
    Spool spool = new Spool(root, told::add);
    for (byte[] f : TestCt.series(3, 16)) {
      assertThat(store(spool, f).status()).isEqualTo(Dimse.SUCCESS);
    }
    assertThat(told).hasSize(3);
    Files.writeString(root.resolve("index.tsv"), told.get(0).toIndexLine() + "\nTORN LINE");

    List<InstanceRecord> recovered = new Spool(root, r -> {}).indexed();

    assertThat(recovered).extracting(InstanceRecord::sopInstanceUid)
        .containsExactlyInAnyOrderElementsOf(told.stream().map(InstanceRecord::sopInstanceUid).toList());
    assertThat(recovered).allSatisfy(r -> assertThat(r.accessionNumber()).isEqualTo("ACC-2026-77812"));
  }

  /** What a crash leaves when it lost the rename into place: the fsync'd file under its .ok name. */
  private static Path asIfTheRenameWasLost(Path root, InstanceRecord stored) throws Exception {
    byte[] bytes = Files.readAllBytes(stored.path());
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(bytes);
    Path ok = root.resolve(".incoming").resolve(java.util.UUID.randomUUID() + "." + bytes.length + "."
        + Integer.toHexString((int) crc.getValue()) + ".ok");
    Files.move(stored.path(), ok);
    return ok;
  }

  @Test
  void anAcknowledgedFileWhoseRenameACrashLostIsMovedIntoPlaceAtTheNextStart() throws Exception {
    List<InstanceRecord> told = new ArrayList<>();
    Spool spool = new Spool(root, told::add);
    for (byte[] f : TestCt.series(2, 16)) {
      assertThat(store(spool, f).status()).isEqualTo(Dimse.SUCCESS);
    }
    assertThat(root.resolve(".incoming")).isEmptyDirectory();
    byte[] original = Files.readAllBytes(told.get(1).path());
    asIfTheRenameWasLost(root, told.get(1));

    List<InstanceRecord> recovered = new Spool(root, r -> {}).indexed();

    assertThat(recovered).extracting(InstanceRecord::sopInstanceUid)
        .containsExactlyInAnyOrder(told.get(0).sopInstanceUid(), told.get(1).sopInstanceUid());
    assertThat(Files.readAllBytes(told.get(1).path())).isEqualTo(original);
    assertThat(root.resolve(".incoming")).isEmptyDirectory();
  }

  @Test
  void aFileWhoseContentDoesNotMatchItsOkNameWasNeverAcknowledgedAndIsDropped() throws Exception {
    List<InstanceRecord> told = new ArrayList<>();
    Spool spool = new Spool(root, told::add);
    assertThat(store(spool, TestCt.series(1, 16).get(0)).status()).isEqualTo(Dimse.SUCCESS);
    Path ok = asIfTheRenameWasLost(root, told.get(0));
    byte[] torn = Files.readAllBytes(ok);
    java.util.Arrays.fill(torn, torn.length - 512, torn.length, (byte) 0); // a tail the crash did not write
    Files.write(ok, torn);

    assertThat(new Spool(root, r -> {}).indexed()).isEmpty();
    assertThat(told.get(0).path()).doesNotExist();
    assertThat(root.resolve(".incoming")).isEmptyDirectory();
  }

  @Test
  void aReceiptThatNeverCompletedLeavesNothingBehind() throws Exception {
    Spool spool = new Spool(root, r -> {});
    StoreHandler.Sink sink = spool.begin(new StoreHandler.StoreContext("PACS", "127.0.0.1", NodeConfig.CT_IMAGE,
        "1.2.3", "1.2.840.10008.1.2.1"));
    sink.write(new byte[100]);
    sink.abandon();
    try (var files = Files.walk(root)) {
      assertThat(files.filter(Files::isRegularFile)).isEmpty();
    }
    assertThat(spool.indexed()).isEmpty();
  }

  @Test
  void aDataSetThatDoesNotParseIsRefusedAsCannotUnderstand() throws Exception {
    Spool spool = new Spool(root, r -> {});
    StoreHandler.Sink sink = spool.begin(new StoreHandler.StoreContext("PACS", "127.0.0.1", NodeConfig.CT_IMAGE,
        "1.2.3", "1.2.840.10008.1.2.1"));
    sink.write(new byte[] {0x08, 0x00, 0x18, 0x00, 'U', 'I', (byte) 0xFF, 0x7F, '1'});
    assertThat(sink.complete().status()).isEqualTo(Dimse.CANNOT_UNDERSTAND);
    assertThat(spool.indexed()).isEmpty();
  }
}
