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
    StoreHandler.Outcome outcome = sink.complete();
    spool.awaitInPlace(); // the file is put in place and told to the listener after the response
    return outcome;
  }

  @Test
  void aStoredFileWhoseIndexLineWasLostIsFoundAgainByTheRescan() throws Exception {
    List<InstanceRecord> told = new ArrayList<>();
    Spool spool = new Spool(root, told::add);
    for (byte[] f : TestCt.series(3, 16)) {
      assertThat(store(spool, f).status()).isEqualTo(Dimse.SUCCESS);
    }
    assertThat(told).hasSize(3);
    spool.close();
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
    spool.close();
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
    spool.close();
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
      assertThat(files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals(".lock"))).isEmpty();
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

  /** Sends the data set of a Part 10 file, changed by {@code change}, and returns the outcome. */
  private static StoreHandler.Outcome storeBody(Spool spool, byte[] file,
      java.util.function.UnaryOperator<byte[]> change) throws Exception {
    Part10.DicomFile f = Part10.read(file);
    StoreHandler.Sink sink = spool.begin(new StoreHandler.StoreContext("PACS", "127.0.0.1", NodeConfig.CT_IMAGE,
        f.dataSet().getString(io.seedtrace.dicom.data.Tag.SOPInstanceUID, ""), "1.2.840.10008.1.2.1"));
    byte[] body = change.apply(java.util.Arrays.copyOfRange(file, f.dataSetOffset(), file.length));
    for (int off = 0; off < body.length; off += 1000) {
      sink.write(java.util.Arrays.copyOfRange(body, off, Math.min(body.length, off + 1000)));
    }
    return sink.complete();
  }

  /** Offset of the Pixel Data element (explicit VR little endian) in a data set's bytes. */
  private static int pixelData(byte[] body) {
    for (int p = 0; p + 4 <= body.length; p++) {
      if (body[p] == (byte) 0xE0 && body[p + 1] == 0x7F && body[p + 2] == 0x10 && body[p + 3] == 0x00) {
        return p;
      }
    }
    throw new AssertionError("no Pixel Data");
  }

  @Test
  void aDataSetCutInsideItsPixelDataIsRefusedSoThePacsSendsItAgain() throws Exception {
    Spool spool = new Spool(root, r -> {});
    byte[] file = TestCt.series(1, 64).get(0);
    StoreHandler.Outcome cut = storeBody(spool, file, b -> java.util.Arrays.copyOf(b, b.length - 1000));
    assertThat(cut.status()).isEqualTo(Dimse.CANNOT_UNDERSTAND);
    assertThat(cut.comment()).contains("truncated");
    assertThat(spool.indexed()).isEmpty();
    // the same instance sent again whole is stored
    assertThat(storeBody(spool, file, b -> b).status()).isEqualTo(Dimse.SUCCESS);
    spool.awaitInPlace();
    assertThat(spool.indexed()).hasSize(1);
  }

  @Test
  void aPixelDataLengthBeyondTheDataSetIsRefused() throws Exception {
    Spool spool = new Spool(root, r -> {});
    StoreHandler.Outcome outcome = storeBody(spool, TestCt.series(1, 16).get(0), b -> {
      int at = pixelData(b) + 8; // tag, VR, reserved: then the 32-bit length
      b[at] = (byte) 0xF0;
      b[at + 1] = (byte) 0xFF;
      b[at + 2] = (byte) 0xFF;
      b[at + 3] = (byte) 0xFF;
      return b;
    });
    assertThat(outcome.status()).isEqualTo(Dimse.CANNOT_UNDERSTAND);
    assertThat(outcome.comment()).contains("4294967280");
    assertThat(spool.indexed()).isEmpty();
  }

  @Test
  void aWaveformLongerThanTheKeptHeaderIsStored() throws Exception {
    // An ECG's Waveform Sequence (undefined length, 200 KB of samples) comes before where Pixel
    // Data would be: the bytes kept while streaming end inside it, which is not a truncation.
    java.io.ByteArrayOutputStream ds = new java.io.ByteArrayOutputStream();
    String sop = "1.2.3.4.5";
    element(ds, 0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.9.1.1\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    element(ds, 0x0008, 0x0018, "UI", (sop + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    element(ds, 0x0020, 0x000D, "UI", "1.2.3.4\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    element(ds, 0x0020, 0x000E, "UI", "1.2.3.4.1\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    ds.write(new byte[] {0x00, 0x54, 0x00, 0x01, 'S', 'Q', 0, 0, -1, -1, -1, -1}); // (5400,0100) undefined
    ds.write(new byte[] {-2, -1, 0x00, -32, -1, -1, -1, -1}); // item, undefined length
    element(ds, 0x5400, 0x1010, "OW", new byte[200_000]);
    ds.write(new byte[] {-2, -1, 0x0D, -32, 0, 0, 0, 0}); // item delimiter
    ds.write(new byte[] {-2, -1, -35, -32, 0, 0, 0, 0}); // sequence delimiter
    byte[] body = ds.toByteArray();
    Spool spool = new Spool(root, r -> {});
    StoreHandler.Sink sink = spool.begin(new StoreHandler.StoreContext("ECG", "127.0.0.1",
        "1.2.840.10008.5.1.4.1.1.9.1.1", sop.replace("\0", ""), "1.2.840.10008.1.2.1"));
    for (int off = 0; off < body.length; off += 16_384) {
      sink.write(java.util.Arrays.copyOfRange(body, off, Math.min(body.length, off + 16_384)));
    }
    StoreHandler.Outcome outcome = sink.complete();
    assertThat(outcome.status()).as(outcome.comment()).isEqualTo(Dimse.SUCCESS);
    spool.awaitInPlace();
    assertThat(spool.indexed()).hasSize(1);
  }

  /** One explicit VR little endian element; OB/OW/SQ/UN with the long form of the length. */
  private static void element(java.io.ByteArrayOutputStream out, int group, int element, String vr, byte[] value) {
    out.write(group & 0xFF);
    out.write(group >> 8);
    out.write(element & 0xFF);
    out.write(element >> 8);
    out.write(vr.charAt(0));
    out.write(vr.charAt(1));
    if (vr.equals("OW") || vr.equals("OB")) {
      out.write(0);
      out.write(0);
      for (int i = 0; i < 4; i++) {
        out.write((value.length >> (8 * i)) & 0xFF);
      }
    } else {
      out.write(value.length & 0xFF);
      out.write(value.length >> 8);
    }
    out.write(value, 0, value.length);
  }

  @Test
  void anEmptyDataSetCannotBeUnderstood() throws Exception {
    Spool spool = new Spool(root, r -> {});
    StoreHandler.Sink sink = spool.begin(new StoreHandler.StoreContext("PACS", "127.0.0.1", NodeConfig.CT_IMAGE,
        "1.2.3", "1.2.840.10008.1.2.1"));
    StoreHandler.Outcome outcome = sink.complete();
    assertThat(outcome.status()).isEqualTo(Dimse.CANNOT_UNDERSTAND);
    assertThat(outcome.comment()).isEqualTo("Empty data set");
  }

  private static final int RESERVE_FILE = 64 * 1024;

  private Spool withReserve(int files, List<InstanceRecord> told) {
    Spool spool = new Spool(root, told::add, files, RESERVE_FILE);
    awaitReserve(spool, files);
    assertThat(spool.reserveReady()).as("reserve written ahead").isEqualTo(files);
    return spool;
  }

  private static void awaitReserve(Spool spool, int files) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
    while (spool.reserveReady() < files && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
  }

  private Path reserveDir() {
    return root.resolve(".reserve");
  }

  private List<Path> reserveFiles() throws Exception {
    try (var files = Files.list(reserveDir())) {
      return files.toList();
    }
  }

  @Test
  void instancesReceivedIntoTheReserveAreStoredBitForBitWithAReceiptAndTheReserveIsWrittenAgain() throws Exception {
    List<InstanceRecord> told = new ArrayList<>();
    Spool spool = withReserve(4, told);
    List<byte[]> sent = TestCt.series(3, 16);
    for (byte[] f : sent) {
      assertThat(store(spool, f).status()).isEqualTo(Dimse.SUCCESS);
    }
    assertThat(told).hasSize(3);
    assertThat(reserveFiles()).as("three of four reserve files were used and moved into place").hasSize(1);
    for (int i = 0; i < 3; i++) {
      byte[] stored = Files.readAllBytes(told.get(i).path());
      Part10.DicomFile in = Part10.read(sent.get(i));
      Part10.DicomFile back = Part10.read(stored);
      assertThat(java.util.Arrays.copyOfRange(stored, back.dataSetOffset(), stored.length)).as("cut to its length, bit for bit")
          .isEqualTo(java.util.Arrays.copyOfRange(sent.get(i), in.dataSetOffset(), sent.get(i).length));
      assertThat(new String(stored, 0, 8, java.nio.charset.StandardCharsets.US_ASCII)).as("receipt in the preamble")
          .isEqualTo("STSPOOL1");
    }
    assertThat(root.resolve(".incoming")).isEmptyDirectory();
    awaitReserve(spool, 4);
    assertThat(spool.reserveReady()).as("refilled once idle").isEqualTo(4);
    spool.close();
  }

  @Test
  void aReserveFileWithAValidReceiptIsPutInPlaceAtTheNextStartAndATornOneIsDropped() throws Exception {
    List<InstanceRecord> told = new ArrayList<>();
    Spool spool = withReserve(2, told);
    List<byte[]> sent = TestCt.series(2, 16);
    for (byte[] f : sent) {
      assertThat(store(spool, f).status()).isEqualTo(Dimse.SUCCESS);
    }
    spool.close();
    // What a crash after the fdatasync but before the cut and rename leaves: the file, at the
    // reserve size, still in the reserve. The second one's data did not all reach the disk.
    byte[] whole = Files.readAllBytes(told.get(0).path());
    byte[] torn = Files.readAllBytes(told.get(1).path());
    torn[torn.length - 100] ^= 0x55;
    for (int i = 0; i < 2; i++) {
      byte[] asLeft = java.util.Arrays.copyOf(i == 0 ? whole : torn, RESERVE_FILE);
      Files.write(reserveDir().resolve(java.util.UUID.randomUUID() + ".slot"), asLeft);
      Files.delete(told.get(i).path());
    }
    Files.delete(root.resolve("index.tsv"));

    Spool restarted = new Spool(root, r -> {}, 2, RESERVE_FILE);
    List<InstanceRecord> recovered = restarted.indexed();
    restarted.close();

    assertThat(recovered).extracting(InstanceRecord::sopInstanceUid).containsExactly(told.get(0).sopInstanceUid());
    assertThat(Files.readAllBytes(told.get(0).path())).isEqualTo(whole);
    assertThat(told.get(1).path()).doesNotExist();
    for (Path left : reserveFiles()) {
      assertThat(Files.size(left)).isEqualTo(RESERVE_FILE);
      assertThat(java.util.Arrays.copyOf(Files.readAllBytes(left), 128)).as("only unused reserve files remain")
          .isEqualTo(new byte[128]);
    }
  }

  @Test
  void whenTheReserveRunsOutInstancesGoToNewFiles() throws Exception {
    List<InstanceRecord> told = new ArrayList<>();
    Spool spool = withReserve(1, told);
    for (byte[] f : TestCt.series(3, 16)) {
      assertThat(store(spool, f).status()).isEqualTo(Dimse.SUCCESS);
    }
    assertThat(spool.indexed()).hasSize(3);
    assertThat(told).allSatisfy(r -> assertThat(r.path()).exists());
    spool.close();
  }

  @Test
  void aSpoolCannotBeOpenedTwice() {
    Spool spool = new Spool(root, r -> {});
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Spool(root, r -> {}))
        .isInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining("already open");
    spool.close();
    new Spool(root, r -> {}).close();
  }
}
