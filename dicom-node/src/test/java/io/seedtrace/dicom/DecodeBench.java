package io.seedtrace.dicom;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.testing.TestCt;
import io.seedtrace.dicom.testing.Tools;
import io.seedtrace.dicom.volume.VolumeAssembler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Time to assemble a 512 x 512 x 200 CT (the phantom of {@link CompressedCtInteropTest}: air, a
 * noisy water body, bone, seeds) from its files, uncompressed and compressed by DCMTK in each
 * syntax: reading, parsing, decoding and rescaling, which is what a compressed series adds before
 * detection. Median of 3 rounds after one warm-up. Run with
 * {@code ./mvnw -pl dicom-node -Pbench test -Dtest=DecodeBench -Dbench.argLine=-Xmx1g}; figures are printed as BENCH lines.
 */
class DecodeBench {

  private static final int SLICES = 200;
  private static final int ROUNDS = 3;

  @TempDir
  Path work;

  @Test
  void assemblyTimeCompressedAgainstUncompressed() throws Exception {
    assumeTrue(Tools.installed("dcmcjpeg"), "DCMTK is not installed; bench skipped");
    String study = TestCt.uid();
    String series = TestCt.uid();
    List<Path> originals = new ArrayList<>();
    Path dir = Files.createDirectories(work.resolve("native"));
    for (int k = 0; k < SLICES; k++) {
      Path f = dir.resolve(String.format("ct%03d.dcm", k));
      Files.write(f, Part10.toBytes(CompressedCtInteropTest.phantomSlice(study, series, k, 512),
          TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
      originals.add(f);
    }
    double nativeMs = median(originals);
    System.out.printf("BENCH assemble 512x512x%d uncompressed: %.0f ms (%d MB of files)%n", SLICES, nativeMs,
        size(originals) >> 20);
    String[][] codecs = {{"RLE", "dcmcrle"}, {"JPEG lossless SV1", "dcmcjpeg", "+e1"},
        {"JPEG 12-bit extended", "dcmcjpeg", "+ee"}, {"JPEG-LS lossless", "dcmcjpls", "+el"},
        {"JPEG-LS near-lossless 3", "dcmcjpls", "+en", "+md", "3"}};
    for (String[] codec : codecs) {
      Path out = Files.createDirectories(work.resolve(codec[1] + codec.length));
      List<Path> files = new ArrayList<>();
      for (Path f : originals) {
        Path c = out.resolve(f.getFileName());
        List<String> command = new ArrayList<>(Arrays.asList(codec).subList(1, codec.length));
        command.addAll(List.of(f.toString(), c.toString()));
        Tools.check(command, work.resolve("log"));
        files.add(c);
      }
      double ms = median(files);
      System.out.printf("BENCH assemble 512x512x%d %s: %.0f ms, %.2f x uncompressed (%d MB of files)%n", SLICES,
          codec[0], ms, ms / nativeMs, size(files) >> 20);
    }
  }

  private static double median(List<Path> files) throws Exception {
    VolumeAssembler.assemble(files);
    double[] ms = new double[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
      long start = System.nanoTime();
      VolumeAssembler.assemble(files);
      ms[r] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(ms);
    return ms[ROUNDS / 2];
  }

  private static long size(List<Path> files) throws Exception {
    long total = 0;
    for (Path f : files) {
      total += Files.size(f);
    }
    return total;
  }
}
