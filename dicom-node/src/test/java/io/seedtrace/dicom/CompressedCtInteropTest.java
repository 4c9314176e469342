package io.seedtrace.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Element;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.data.Vr;
import io.seedtrace.dicom.spool.SeriesStableEvent;
import io.seedtrace.dicom.testing.TestCt;
import io.seedtrace.dicom.testing.Tools;
import io.seedtrace.dicom.volume.ImageVolume;
import io.seedtrace.dicom.volume.VolumeAssembler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A CT series made in code (12-bit phantom: air, a water body with noise, bone, seeds at 3071 HU)
 * is compressed by independent encoders (DCMTK's dcmcrle, dcmcjpeg, dcmcjpls, dcmconv; OpenJPEG's
 * opj_compress for JPEG 2000, which DCMTK lacks), sent by DCMTK's storescu over a real association
 * to the node with its default configuration, and the volume assembled from what the node stored
 * (the volume the verification hands to detection) is compared voxel by voxel with the volume of
 * the uncompressed series: equal for lossless syntaxes, within the stated bound for lossy ones. The
 * stored files are also decompressed by DCMTK and must give our pixels (within 1 for lossy JPEG,
 * whose inverse DCT rounding DCMTK does differently).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompressedCtInteropTest {

  private static final int SIZE = 96;
  /**
   * storescu's own proposal for each syntax: the compressed syntax first, then the native ones, in
   * one presentation context (storescu cannot decompress, so we must take the compressed one).
   * Process 14 JPEG has no such option, and deflate is taken only when proposed alone: a profile
   * proposes those alone.
   */
  private static final java.util.Map<String, String> STORESCU_OPTIONS = java.util.Map.of(
      "1.2.840.10008.1.2.5", "-xr", "1.2.840.10008.1.2.4.70", "-xs", "1.2.840.10008.1.2.4.51", "-xx",
      "1.2.840.10008.1.2.4.80", "-xt", "1.2.840.10008.1.2.4.81", "-xu", "1.2.840.10008.1.2.4.90", "-xv",
      "1.2.840.10008.1.2.4.91", "-xw");
  private static final int SLICES = 8;

  /**
   * One way to compress a file.
   *
   * @param maxError largest difference in HU allowed against the original (0: lossless)
   * @param meanError largest mean absolute difference allowed
   * @param dcmtkDecoder DCMTK's decompressor for the stored files, or null when DCMTK has none
   */
  record Case(String name, String transferSyntax, List<String> dcmtkEncoder, int maxError, double meanError,
      String dcmtkDecoder) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("RLE Lossless", "1.2.840.10008.1.2.5", List.of("dcmcrle"), 0, 0, "dcmdrle"),
        new Case("JPEG Lossless SV1", "1.2.840.10008.1.2.4.70", List.of("dcmcjpeg", "+e1"), 0, 0, "dcmdjpeg"),
        new Case("JPEG Lossless process 14, predictor 7", "1.2.840.10008.1.2.4.57",
            List.of("dcmcjpeg", "+el", "+sv", "7"), 0, 0, "dcmdjpeg"),
        new Case("JPEG Extended 12-bit (quality 90)", "1.2.840.10008.1.2.4.51", List.of("dcmcjpeg", "+ee"), 40, 3,
            "dcmdjpeg"),
        new Case("JPEG-LS Lossless", "1.2.840.10008.1.2.4.80", List.of("dcmcjpls", "+el"), 0, 0, "dcmdjpls"),
        new Case("JPEG-LS Near-Lossless (NEAR 3)", "1.2.840.10008.1.2.4.81", List.of("dcmcjpls", "+en", "+md", "3"),
            3, 3, "dcmdjpls"),
        new Case("Deflated Explicit VR Little Endian", "1.2.840.10008.1.2.1.99", List.of("dcmconv", "+td"), 0, 0,
            null),
        new Case("JPEG 2000 Lossless (OpenJPEG)", "1.2.840.10008.1.2.4.90", List.of(), 0, 0, null),
        new Case("JPEG 2000 lossy 9/7, ratio 4 (OpenJPEG)", "1.2.840.10008.1.2.4.91", List.of("-I", "-r", "4"), 40, 4,
            null));
  }

  private Path work;
  private List<Path> originals;
  private ImageVolume reference;

  @BeforeAll
  void makeSeries() throws Exception {
    work = Files.createTempDirectory("compressed-ct");
    String study = TestCt.uid();
    String series = TestCt.uid();
    originals = new ArrayList<>();
    for (int k = 0; k < SLICES; k++) {
      Path f = work.resolve("orig").resolve("slice" + k + ".dcm");
      Files.createDirectories(f.getParent());
      Files.write(f, Part10.toBytes(phantomSlice(study, series, k, SIZE), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
      originals.add(f);
    }
    reference = VolumeAssembler.assemble(originals);
  }

  /** 12 bits stored, unsigned, intercept -1024: air, a noisy water ellipse, a bone ring, two seeds. */
  static DataSet phantomSlice(String study, String series, int k, int size) {
    DataSet ds = TestCt.slice(study, series, TestCt.uid(), k, size, 0);
    ds.putUS(Tag.BitsStored, 12).putUS(Tag.HighBit, 11).putUS(Tag.PixelRepresentation, 0);
    Random noise = new Random(1000 + k);
    byte[] pixels = new byte[size * size * 2];
    double scale = size / 96.0;
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double ex = (x - size / 2.0) / (size * 0.42);
        double ey = (y - size / 2.0) / (size * 0.32);
        double r = ex * ex + ey * ey;
        int hu = r > 1 ? -1000 : r > 0.8 ? 700 : (int) Math.round(40 + 15 * noise.nextGaussian());
        if (Math.hypot(x - 30 * scale, y - 50 * scale) < 1.6 * scale
            || Math.hypot(x - (60 + k % 20) * scale, y - 40 * scale) < 1.6 * scale) {
          hu = 3071;
        }
        int stored = Math.max(0, Math.min(4095, hu + 1024));
        pixels[2 * (y * size + x)] = (byte) stored;
        pixels[2 * (y * size + x) + 1] = (byte) (stored >> 8);
      }
    }
    ds.put(Element.ofValue(Tag.PixelData, Vr.OW, pixels));
    return ds;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aCompressedSeriesSentByStorescuGivesTheOriginalVolume(Case c) throws Exception {
    assumeTrue(Tools.installed("storescu"), "DCMTK is not installed; compressed interop test skipped");
    Path dir = Files.createDirectories(work.resolve(c.transferSyntax()));
    Path log = dir.resolve("tools.log");
    List<String> compressed = new ArrayList<>();
    for (Path original : originals) {
      Path out = dir.resolve(original.getFileName());
      if (c.transferSyntax().startsWith("1.2.840.10008.1.2.4.9")) {
        assumeTrue(Tools.installed("opj_compress"), "OpenJPEG tools (libopenjp2-tools) not installed; skipped");
        encodeJpeg2000(original, out, c, log);
      } else {
        List<String> command = new ArrayList<>(c.dcmtkEncoder());
        command.addAll(List.of(original.toString(), out.toString()));
        Tools.check(command, log);
      }
      assertThat(Part10.read(Files.readAllBytes(out)).transferSyntax().uid()).isEqualTo(c.transferSyntax());
      compressed.add(out.toString());
    }
    LinkedBlockingQueue<SeriesStableEvent> events = new LinkedBlockingQueue<>();
    NodeConfig config = NodeConfig.defaults(dir.resolve("spool")).withPort(0)
        .withPeers(Set.of("DCMTK"), Set.of("127.0.0.1")).withQuietTime(Duration.ofMillis(300));
    try (DicomNode node = DicomNode.start(config, events::add)) {
      List<String> send = new ArrayList<>(List.of("storescu", "-aet", "DCMTK", "-aec", "SEEDTRACE"));
      String option = STORESCU_OPTIONS.get(c.transferSyntax());
      send.addAll(option != null ? List.of(option)
          : List.of("-xf", proposal(dir, c.transferSyntax()).toString(), "Compressed"));
      send.addAll(List.of("127.0.0.1", Integer.toString(node.port())));
      send.addAll(compressed);
      Tools.check(send, log);
      SeriesStableEvent event = events.poll(30, TimeUnit.SECONDS);
      assertThat(event).as("series event").isNotNull();
      assertThat(event.instanceCount()).isEqualTo(SLICES);
      for (Path stored : event.paths()) {
        assertThat(Part10.read(Files.readAllBytes(stored)).transferSyntax().uid())
            .as("stored as received").isEqualTo(c.transferSyntax());
      }
      ImageVolume volume = VolumeAssembler.assemble(event.paths());
      assertSameGeometry(volume);
      double[] error = errors(volume.voxels(), reference.voxels());
      System.out.printf("%s: largest error %.0f HU, mean %.3f HU%n", c.name(), error[0], error[1]);
      assertThat(error[0]).as("largest voxel error in HU").isLessThanOrEqualTo(c.maxError());
      assertThat(error[1]).as("mean absolute error in HU").isLessThanOrEqualTo(c.meanError());
      if (c.dcmtkDecoder() != null) {
        assertDcmtkDecodesTheSame(c, event.paths(), volume, dir, log);
      } else if (c.transferSyntax().startsWith("1.2.840.10008.1.2.4.9")) {
        assertOpenJpegDecodesTheSame(volume, dir, log);
      }
    }
  }

  private void assertSameGeometry(ImageVolume volume) {
    assertThat(new int[] {volume.nx(), volume.ny(), volume.nz()})
        .containsExactly(reference.nx(), reference.ny(), reference.nz());
    assertThat(volume.origin()).containsExactly(reference.origin());
    assertThat(volume.dz()).isEqualTo(reference.dz());
    assertThat(volume.seriesUid()).isEqualTo(reference.seriesUid());
  }

  /** DCMTK decompresses the stored files; their volume must equal ours (within 1 for the DCT). */
  private static void assertDcmtkDecodesTheSame(Case c, List<Path> stored, ImageVolume ours, Path dir, Path log)
      throws Exception {
    List<Path> native_ = new ArrayList<>();
    for (Path s : stored) {
      Path out = dir.resolve("dcmtk-" + s.getFileName());
      Tools.check(List.of(c.dcmtkDecoder(), s.toString(), out.toString()), log);
      native_.add(out);
    }
    ImageVolume theirs = VolumeAssembler.assemble(native_);
    double[] error = errors(ours.voxels(), theirs.voxels());
    int tolerance = c.transferSyntax().equals("1.2.840.10008.1.2.4.51") ? 1 : 0;
    assertThat(error[0]).as("largest difference to " + c.dcmtkDecoder()).isLessThanOrEqualTo(tolerance);
  }

  /** OpenJPEG's opj_decompress decodes each codestream; the slices must equal ours (within 1 for 9/7). */
  private void assertOpenJpegDecodesTheSame(ImageVolume ours, Path dir, Path log) throws Exception {
    long worst = 0;
    for (int k = 0; k < SLICES; k++) {
      Path j2k = dir.resolve(originals.get(k).getFileName() + ".j2k");
      Path raw = dir.resolve("opj-" + k + ".rawl");
      Tools.check(List.of("opj_decompress", "-i", j2k.toString(), "-o", raw.toString()), log);
      byte[] theirs = Files.readAllBytes(raw);
      for (int p = 0; p < SIZE * SIZE; p++) {
        int stored = (theirs[2 * p] & 0xFF) | (theirs[2 * p + 1] & 0xFF) << 8;
        worst = Math.max(worst, Math.abs(ours.voxels()[k * SIZE * SIZE + p] - (stored - 1024)));
      }
    }
    assertThat(worst).as("largest difference to opj_decompress").isLessThanOrEqualTo(1);
  }

  /** A storescu profile proposing CT Image Storage in the case's transfer syntax only, as a PACS storing it would. */
  private static Path proposal(Path dir, String transferSyntax) throws java.io.IOException {
    return Files.writeString(dir.resolve("storescu.cfg"), String.join("\n",
        "[[TransferSyntaxes]]", "[AsStored]", "TransferSyntax1 = " + transferSyntax, "",
        "[[PresentationContexts]]", "[CtAsStored]", "PresentationContext1 = " + NodeConfig.CT_IMAGE + "\\AsStored", "",
        "[[Profiles]]", "[Compressed]", "PresentationContexts = CtAsStored", ""));
  }

  /** Raw little endian samples to opj_compress, its codestream wrapped as encapsulated Pixel Data. */
  private static void encodeJpeg2000(Path original, Path out, Case c, Path log) throws Exception {
    DataSet ds = Part10.read(Files.readAllBytes(original)).dataSet();
    Path raw = out.resolveSibling(out.getFileName() + ".rawl");
    Path j2k = out.resolveSibling(out.getFileName() + ".j2k");
    Files.write(raw, ds.get(Tag.PixelData).orElseThrow().value());
    List<String> command = new ArrayList<>(List.of("opj_compress", "-i", raw.toString(), "-o", j2k.toString(),
        "-F", SIZE + "," + SIZE + ",1,12,u"));
    command.addAll(c.dcmtkEncoder());
    Tools.check(command, log);
    byte[] codestream = Files.readAllBytes(j2k);
    if (codestream.length % 2 == 1) {
      codestream = java.util.Arrays.copyOf(codestream, codestream.length + 1);
    }
    ds.put(Element.ofFragments(Tag.PixelData, Vr.OB, List.of(new byte[0], codestream)));
    if (c.transferSyntax().endsWith(".91")) {
      ds.putString(0x00082111, Vr.ST, "Lossy JPEG 2000 by opj_compress (test data)");
      ds.putString(0x00282110, Vr.CS, "01");
    }
    Files.write(out, Part10.toBytes(ds, TransferSyntax.of(c.transferSyntax())));
  }

  /** Largest and mean absolute difference. */
  private static double[] errors(short[] a, short[] b) {
    assertThat(a).hasSameSizeAs(b);
    long worst = 0;
    long sum = 0;
    for (int i = 0; i < a.length; i++) {
      int d = Math.abs(a[i] - b[i]);
      worst = Math.max(worst, d);
      sum += d;
    }
    return new double[] {worst, (double) sum / a.length};
  }
}
