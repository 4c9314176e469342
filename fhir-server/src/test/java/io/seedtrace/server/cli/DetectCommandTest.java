package io.seedtrace.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seedtrace.detection.phantom.Phantom;
import io.seedtrace.detection.phantom.PhantomGenerator;
import io.seedtrace.detection.phantom.PhantomSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The physicist's {@code detect} command on a generated CT series written as real DICOM files. */
class DetectCommandTest {

  @TempDir
  Path dir;

  private static CliRun run(String... args) {
    return CliRun.of(DetectCommand::run, args);
  }

  @Test
  void countsTheSeedsOfADicomSeriesAndWritesJson() throws Exception {
    Phantom p = PhantomGenerator.generate(new PhantomSpec(PhantomSpec.Anatomy.PROSTATE, 128, 128, 40, 0.7, 1.5, 12,
        0, 0, 0, true, false, 15, 3));
    Path series = Files.createDirectories(dir.resolve("ct"));
    PhantomSeries.write(p.scan(), series, PhantomSeries.uid());
    Path json = dir.resolve("out.json");
    Path png = dir.resolve("preview.png");

    CliRun r = run(series.toString(), "--json", json.toString(), "--preview", png.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("Seeds: 12");
    JsonNode doc = new ObjectMapper().readTree(json.toFile());
    assertThat(doc.get("count").asInt()).isEqualTo(12);
    assertThat(doc.get("seeds")).hasSize(12);
    assertThat(doc.get("rejected").toString()).contains("GOLD_FIDUCIAL");

    // the preview: three projections, every seed circled where it is in the axial projection
    java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isGreaterThan(2 * image.getHeight() - 60);
    int circled = 0;
    for (JsonNode seed : doc.get("seeds")) {
      double[] v = SeedPreview.voxel(p.scan(), new double[] {seed.get("centerMm").get(0).asDouble(),
          seed.get("centerMm").get(1).asDouble(), seed.get("centerMm").get(2).asDouble()});
      double scale = (double) image.getWidth() / (2 * p.scan().nx() * p.scan().dx() + p.scan().ny() * p.scan().dy());
      int cx = (int) Math.round(v[0] * p.scan().dx() * scale);
      int cy = 22 + (int) Math.round(v[1] * p.scan().dy() * scale);
      boolean marked = false;
      for (int dy = -8; dy <= 8 && !marked; dy++) {
        for (int dx = -8; dx <= 8 && !marked; dx++) {
          int x = cx + dx;
          int y = cy + dy;
          marked = x >= 0 && y >= 0 && x < image.getWidth() && y < image.getHeight()
              && image.getRGB(x, y) == SeedPreview.MARKER.getRGB();
        }
      }
      circled += marked ? 1 : 0;
    }
    assertThat(circled).isEqualTo(12);
  }

  @Test
  void helpPrintsUsageAndExitsZero() {
    CliRun help = run("--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("usage: seedtrace detect");
  }

  @Test
  void badInputGetsAClearMessageAndANonZeroExit() throws Exception {
    assertThat(run().exit()).isEqualTo(2);
    CliRun missing = run(dir.resolve("nope").toString());
    assertThat(missing.exit()).isEqualTo(3);
    assertThat(missing.err()).contains("not a directory");

    Path junk = Files.createDirectories(dir.resolve("junk"));
    Files.writeString(junk.resolve("a.dcm"), "this is not DICOM");
    CliRun unreadable = run(junk.toString());
    assertThat(unreadable.exit()).isEqualTo(3);
    assertThat(unreadable.err()).contains("Unreadable DICOM file a.dcm");

    Phantom p = PhantomGenerator.generate(new PhantomSpec(PhantomSpec.Anatomy.PROSTATE, 32, 32, 6, 0.7, 2, 0, 0, 0, 0,
        false, false, 5, 4));
    Path mixed = Files.createDirectories(dir.resolve("mixed"));
    PhantomSeries.write(p.scan(), mixed, PhantomSeries.uid());
    Path other = Files.createDirectories(dir.resolve("other"));
    PhantomSeries.write(p.scan(), other, PhantomSeries.uid());
    Files.copy(other.resolve("slice0003.dcm"), mixed.resolve("zz-other.dcm"));
    CliRun mix = run(mixed.toString());
    assertThat(mix.exit()).isEqualTo(3);
    assertThat(mix.err()).contains("Mixed series");
  }
}
