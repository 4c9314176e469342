package io.seedtrace.dicom.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every compressed file of pydicom's test set (Debian python3-pydicom) is decoded by us and, where
 * DCMTK decompresses it too ({@code dcmdrle}, {@code dcmdjpeg}, {@code dcmdjpls}), compared with
 * DCMTK's pixels: equal for lossless syntaxes, within 1 for lossy JPEG (different inverse DCT
 * rounding; colour JPEG compared as coded, DCMTK's colour conversion off). JPEG 2000, which DCMTK
 * does not decode, is compared with the uncompressed twin the corpus holds for it. Subsampled
 * colour JPEG is refused by name; everything else must decode.
 */
class PydicomCompressedCorpusTest {

  private static final Path CORPUS = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
  private static final int PLANAR_CONFIGURATION = 0x00280006;
  private static final Map<String, String> TWINS = Map.of(
      "MR_small_RLE.dcm", "MR_small.dcm",
      "MR_small_jpeg_ls_lossless.dcm", "MR_small.dcm",
      "MR_small_jp2klossless.dcm", "MR_small.dcm");

  /**
   * A file made to test parsers of encapsulation: the bytes of a sequence delimiter sit where its
   * JPEG 2000 header has the capabilities and image width, so no decoder can read it.
   */
  private static final String CRAFTED = "JPEG2000-embedded-sequence-delimiter.dcm";

  @TempDir
  Path work;

  @Test
  void decodesTheCorpusCompressedFilesLikeDcmtk() throws Exception {
    assumeTrue(Files.isDirectory(CORPUS), "python3-pydicom is not installed; corpus test skipped");
    assumeTrue(Tools.installed("dcmdjpeg"), "DCMTK is not installed; corpus test skipped");
    List<Path> files;
    try (Stream<Path> s = Files.list(CORPUS)) {
      files = s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
    }
    List<String> report = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    int compared = 0;
    for (Path f : files) {
      Part10.DicomFile file;
      try {
        file = Part10.read(Files.readAllBytes(f));
      } catch (Exception unreadable) {
        continue;
      }
      if (!file.transferSyntax().encapsulated() || !file.dataSet().contains(Tag.PixelData)) {
        continue;
      }
      String name = f.getFileName().toString();
      String ts = file.transferSyntax().uid();
      DataSet ds = file.dataSet();
      int samples = ds.getInt(Tag.SamplesPerPixel).orElse(1);
      byte[] ours;
      try {
        ours = PixelData.decode(ds, file.transferSyntax());
      } catch (CodecException e) {
        report.add(name + " (" + ts + "): refused: " + e.getMessage());
        if ((samples == 1 || ts.equals("1.2.840.10008.1.2.5")) && !name.equals(CRAFTED)) {
          failures.add(name + ": " + e.getMessage());
        }
        continue;
      }
      byte[] reference = reference(f, name, ts);
      if (reference == null) {
        report.add(name + " (" + ts + "): decoded, " + ours.length + " bytes, no independent decoder to compare with");
        continue;
      }
      int tolerance = ts.equals("1.2.840.10008.1.2.4.50") || ts.equals("1.2.840.10008.1.2.4.51") ? 1 : 0;
      int bytes = ds.getInt(Tag.BitsAllocated).orElse(16) / 8;
      long worst = maxDifference(ours, reference, bytes);
      compared++;
      report.add(name + " (" + ts + "): decoded, largest difference to the reference " + worst);
      if (worst > tolerance) {
        failures.add(name + ": differs from the reference by up to " + worst);
      }
    }
    System.out.println("pydicom compressed corpus:\n  " + String.join("\n  ", report));
    assertThat(failures).isEmpty();
    assertThat(compared).isGreaterThanOrEqualTo(10);
  }

  /** DCMTK's decompression, or the uncompressed twin; null when there is neither. */
  private byte[] reference(Path f, String name, String ts) throws Exception {
    if (TWINS.containsKey(name)) {
      return pixelsByPixel(Part10.read(Files.readAllBytes(CORPUS.resolve(TWINS.get(name)))).dataSet());
    }
    String tool = switch (ts) {
      case "1.2.840.10008.1.2.5" -> "dcmdrle";
      case "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81" -> "dcmdjpls";
      case "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70" ->
          "dcmdjpeg";
      default -> null;
    };
    if (tool == null) {
      return null;
    }
    Path out = work.resolve(name + ".native.dcm");
    List<String> command = new ArrayList<>(List.of(tool));
    if (tool.equals("dcmdjpeg")) {
      command.add("+cn"); // keep the colour model as coded, as we do
    }
    command.addAll(List.of("+te", f.toString(), out.toString()));
    if (Tools.run(command, work.resolve("dcmtk.log")) != 0) {
      return null;
    }
    return pixelsByPixel(Part10.read(Files.readAllBytes(out)).dataSet());
  }

  /** Native pixel data, colour planes interleaved by pixel. */
  private static byte[] pixelsByPixel(DataSet ds) {
    byte[] raw = ds.get(Tag.PixelData).orElseThrow().value();
    int samples = ds.getInt(Tag.SamplesPerPixel).orElse(1);
    if (samples == 1 || ds.getInt(PLANAR_CONFIGURATION).orElse(0) == 0) {
      return raw;
    }
    int bytes = ds.getInt(Tag.BitsAllocated).orElse(8) / 8;
    int pixels = ds.getInt(Tag.Rows).orElseThrow() * ds.getInt(Tag.Columns).orElseThrow();
    int frames = raw.length / (pixels * samples * bytes);
    byte[] out = new byte[raw.length];
    for (int f = 0; f < frames; f++) {
      int base = f * pixels * samples * bytes;
      for (int s = 0; s < samples; s++) {
        for (int p = 0; p < pixels; p++) {
          for (int b = 0; b < bytes; b++) {
            out[base + (p * samples + s) * bytes + b] = raw[base + (s * pixels + p) * bytes + b];
          }
        }
      }
    }
    return out;
  }

  private static long maxDifference(byte[] a, byte[] b, int bytesPerSample) {
    if (a.length > b.length) {
      return Long.MAX_VALUE;
    }
    long worst = 0;
    for (int i = 0; i + bytesPerSample <= a.length; i += bytesPerSample) {
      long x = 0;
      long y = 0;
      for (int k = bytesPerSample - 1; k >= 0; k--) {
        x = x << 8 | (a[i + k] & 0xFF);
        y = y << 8 | (b[i + k] & 0xFF);
      }
      worst = Math.max(worst, Math.abs(x - y));
    }
    return worst;
  }
}
