package io.seedtrace.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Element;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.data.Vr;
import io.seedtrace.dicom.net.Dimse;
import io.seedtrace.dicom.spool.SeriesStableEvent;
import io.seedtrace.dicom.spool.Spool;
import io.seedtrace.dicom.testing.TestCt;
import io.seedtrace.dicom.testing.Tools;
import io.seedtrace.dicom.volume.ImageVolume;
import io.seedtrace.dicom.volume.VolumeAssembler;
import io.seedtrace.dicom.web.MultipartWriter;
import io.seedtrace.dicom.web.StowReceiver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files whose encapsulated Pixel Data is followed by other elements (Data Set Trailing Padding
 * (FFFC,FFFC), a Digital Signatures Sequence (FFFA,FFFA)), as pydicom's MR_small_RLE and many
 * archives write them, are whole: the node stores them by C-STORE (sent by DCMTK's storescu) and by
 * STOW-RS, and a file cut inside what follows Pixel Data is still refused.
 */
class TrailingElementsTest {

  private static final String RLE = "1.2.840.10008.1.2.5";
  private static final int SIZE = 32;
  private static final int SLICES = 3;
  private static final int PADDING = 0xFFFCFFFC;

  @TempDir
  Path work;

  @Test
  void rleSlicesWithTrailingElementsSentByStorescuAreStoredAsSentAndAssembled() throws Exception {
    assumeTrue(Tools.installed("storescu"), "DCMTK is not installed; trailing elements interop test skipped");
    List<DataSet> slices = series();
    List<Path> files = writeSeries(slices);
    LinkedBlockingQueue<SeriesStableEvent> events = new LinkedBlockingQueue<>();
    NodeConfig config = NodeConfig.defaults(work.resolve("spool")).withPort(0)
        .withPeers(Set.of("DCMTK"), Set.of("127.0.0.1")).withQuietTime(Duration.ofMillis(300));
    try (DicomNode node = DicomNode.start(config, events::add)) {
      List<String> send = new ArrayList<>(List.of("storescu", "-xr", "-aet", "DCMTK", "-aec", "SEEDTRACE",
          "127.0.0.1", Integer.toString(node.port())));
      files.forEach(f -> send.add(f.toString()));
      Tools.check(send, work.resolve("storescu.log"));
      SeriesStableEvent event = events.poll(30, TimeUnit.SECONDS);
      assertThat(event).as("series event").isNotNull();
      assertThat(event.instanceCount()).isEqualTo(SLICES);
      // storescu re-encodes what it sends and leaves out Data Set Trailing Padding; the private
      // element and the signature sequence after Pixel Data arrive
      int signed = 0;
      for (Path f : event.paths()) {
        DataSet stored = Part10.read(Files.readAllBytes(f)).dataSet();
        assertThat(stored.get(0x7FE11001).orElseThrow().value()).hasSize(300);
        signed += stored.contains(0xFFFAFFFA) ? 1 : 0;
      }
      assertThat(signed).isEqualTo(SLICES - 1);
      assertSameVolume(event.paths());
    }
  }

  @Test
  void rleSlicesWithTrailingElementsPostedByStowAreStored() throws Exception {
    List<Path> files = writeSeries(series());
    List<Path> stored = new ArrayList<>();
    try (Spool spool = new Spool(work.resolve("spool"), r -> stored.add(r.path()))) {
      StowReceiver.Result result = post(spool, files);
      assertThat(result.instances()).allSatisfy(i -> assertThat(i.status()).as(i.comment()).isEqualTo(Dimse.SUCCESS));
      spool.awaitInPlace();
    }
    List<byte[]> sent = new ArrayList<>();
    for (Path f : files) {
      sent.add(dataSet(Files.readAllBytes(f)));
    }
    assertStoredAsSent(stored, sent);
  }

  @Test
  void aFileCutInsideItsTrailingPaddingIsRefusedByStow() throws Exception {
    List<DataSet> slices = series();
    List<Path> files = writeSeries(slices);
    byte[] whole = Files.readAllBytes(files.get(0));
    Files.write(files.get(0), Arrays.copyOf(whole, whole.length - 100));
    List<Path> stored = new ArrayList<>();
    try (Spool spool = new Spool(work.resolve("spool"), r -> stored.add(r.path()))) {
      StowReceiver.Result result = post(spool, files);
      assertThat(result.instances().get(0).status()).isEqualTo(Dimse.CANNOT_UNDERSTAND);
      assertThat(result.instances().get(0).comment()).contains("truncated");
      assertThat(result.instances().subList(1, SLICES)).allSatisfy(i -> assertThat(i.status()).isEqualTo(Dimse.SUCCESS));
      spool.awaitInPlace();
    }
    assertThat(stored).hasSize(SLICES - 1);
  }

  private StowReceiver.Result post(Spool spool, List<Path> files) throws Exception {
    NodeConfig node = NodeConfig.defaults(work);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    MultipartWriter writer = new MultipartWriter(body, "trailing");
    for (Path f : files) {
      writer.part("application/dicom", Files.readAllBytes(f));
    }
    writer.finish();
    StowReceiver receiver = new StowReceiver(spool, node::acceptsSopClass, node::acceptsTransferSyntax,
        new StowReceiver.Limits(1 << 20, 100, 8192));
    return receiver.receive(new ByteArrayInputStream(body.toByteArray()), "trailing", Optional.empty(), "127.0.0.1");
  }

  /** The stored data sets are the sent ones byte for byte, and decode to the pixels of the native series. */
  private void assertStoredAsSent(List<Path> stored, List<byte[]> sentSets) throws Exception {
    assertThat(stored).hasSize(sentSets.size());
    for (Path f : stored) {
      byte[] ds = dataSet(Files.readAllBytes(f));
      assertThat(sentSets).anySatisfy(s -> assertThat(s).isEqualTo(ds));
    }
    assertSameVolume(stored);
  }

  private void assertSameVolume(List<Path> stored) throws Exception {
    ImageVolume volume = VolumeAssembler.assemble(stored);
    List<Path> natives = new ArrayList<>();
    for (DataSet slice : nativeTwins) {
      Path f = Files.createTempFile(work, "native", ".dcm");
      Files.write(f, Part10.toBytes(slice, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
      natives.add(f);
    }
    assertThat(volume.voxels()).isEqualTo(VolumeAssembler.assemble(natives).voxels());
  }

  private final List<DataSet> nativeTwins = new ArrayList<>();

  /**
   * RLE slices, each followed by a private element (7FE1,1001); the first also by Data Set Trailing
   * Padding, the second by a Digital Signatures Sequence (one item), the third by both.
   */
  private List<DataSet> series() {
    String study = TestCt.uid();
    String series = TestCt.uid();
    List<DataSet> slices = new ArrayList<>();
    for (int k = 0; k < SLICES; k++) {
      DataSet ds = CompressedCtInteropTest.phantomSlice(study, series, k, SIZE);
      nativeTwins.add(CompressedCtInteropTest.phantomSlice(study, series, k, SIZE)
          .putString(Tag.SOPInstanceUID, Vr.UI, ds.getString(Tag.SOPInstanceUID, "")));
      byte[] pixels = ds.get(Tag.PixelData).orElseThrow().value();
      ds.put(Element.ofFragments(Tag.PixelData, Vr.OB, List.of(new byte[0], rle16(pixels))));
      ds.putString(0x7FE10010, Vr.LO, "SEEDTRACE TEST");
      ds.put(Element.ofValue(0x7FE11001, Vr.OB, new byte[300]));
      if (k != 1) {
        ds.put(Element.ofValue(PADDING, Vr.OB, new byte[1000 + 2 * k]));
      }
      if (k != 0) {
        DataSet signature = new DataSet(false).putUS(0x04000005, 0).putString(0x04000100, Vr.UI, "1.2.840.10008.1.2.1");
        ds.put(Element.ofItems(0xFFFAFFFA, List.of(signature)));
      }
      slices.add(ds);
    }
    return slices;
  }

  private List<Path> writeSeries(List<DataSet> slices) throws Exception {
    List<Path> files = new ArrayList<>();
    for (int k = 0; k < slices.size(); k++) {
      Path f = Files.createDirectories(work.resolve("sent")).resolve("slice" + k + ".dcm");
      Files.write(f, Part10.toBytes(slices.get(k), TransferSyntax.of(RLE)));
      files.add(f);
    }
    return files;
  }

  /** PS3.5 Annex G: two segments (high bytes, then low bytes), each as literal runs of at most 128. */
  private static byte[] rle16(byte[] littleEndian) {
    int n = littleEndian.length / 2;
    ByteArrayOutputStream[] segments = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
    for (int s = 0; s < 2; s++) {
      for (int start = 0; start < n; start += 128) {
        int run = Math.min(128, n - start);
        segments[s].write(run - 1);
        for (int i = start; i < start + run; i++) {
          segments[s].write(littleEndian[2 * i + 1 - s]);
        }
      }
      if (segments[s].size() % 2 == 1) {
        segments[s].write(0x80); // no-op run keeps the segment even
      }
    }
    java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    header.putInt(2).putInt(64).putInt(64 + segments[0].size());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header.array());
    out.writeBytes(segments[0].toByteArray());
    out.writeBytes(segments[1].toByteArray());
    return out.toByteArray();
  }

  private static byte[] dataSet(byte[] file) throws Exception {
    return Arrays.copyOfRange(file, Part10.dataSetOffset(file), file.length);
  }
}
