package io.seedtrace.detection.phantom.scanned;

import io.seedtrace.detection.CtScan;
import io.seedtrace.detection.phantom.Phantom;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * Development aid, not a test: generates suite cases and writes a few slices as PNG images (soft
 * tissue window) to look at. Usage: {@code ScannedPreview <outDir> <base> <caseName>...}.
 */
public final class ScannedPreview {

  private ScannedPreview() {}

  public static void main(String[] args) throws IOException {
    File out = new File(args[0]);
    out.mkdirs();
    long base = Long.parseLong(args[1]);
    for (ScannedSuite.Case c : ScannedSuite.cases(base)) {
      boolean wanted = args.length == 2;
      for (int a = 2; a < args.length; a++) {
        wanted |= c.name().equals(args[a]);
      }
      if (!wanted) {
        continue;
      }
      long t0 = System.nanoTime();
      Phantom p = ScannedPhantomGenerator.generate(c.spec());
      long ms = (System.nanoTime() - t0) / 1_000_000;
      int cut = (int) p.seeds().stream().filter(Phantom.TruthSeed::cutByEdge).count();
      int touching = (int) p.seeds().stream().filter(Phantom.TruthSeed::inCluster).count();
      System.out.printf("%-34s %4d ms  %3dx%3dx%3d  seeds %3d (touching %d, cut %d)  distractors %d%n",
          c.name(), ms, p.scan().nx(), p.scan().ny(), p.scan().nz(), p.seeds().size(), touching, cut,
          p.distractors().size());
      CtScan s = p.scan();
      int mid = bestSlice(p);
      for (int k : new int[] {mid, s.nz() / 2}) {
        write(s, k, 40, 400, new File(out, c.name() + "-z" + k + ".png"));
      }
      if (c.spec().site() == Site.LUNG) {
        write(s, mid, -600, 1500, new File(out, c.name() + "-lungwin-z" + mid + ".png"));
      }
    }
  }

  private static int bestSlice(Phantom p) {
    CtScan s = p.scan();
    int[] count = new int[s.nz()];
    for (Phantom.TruthSeed t : p.seeds()) {
      int k = (int) Math.round((t.centre()[2] - s.origin()[2]) / s.dz());
      if (k >= 0 && k < s.nz()) {
        count[k]++;
      }
    }
    int best = s.nz() / 2;
    for (int k = 0; k < s.nz(); k++) {
      if (count[k] > count[best]) {
        best = k;
      }
    }
    return best;
  }

  static void write(CtScan s, int k, double level, double width, File file) throws IOException {
    BufferedImage img = new BufferedImage(s.nx(), s.ny(), BufferedImage.TYPE_BYTE_GRAY);
    for (int j = 0; j < s.ny(); j++) {
      for (int i = 0; i < s.nx(); i++) {
        double v = s.hu()[i + s.nx() * (j + s.ny() * k)];
        int g = (int) Math.round(255 * ((v - level) / width + 0.5));
        g = Math.max(0, Math.min(255, g));
        img.getRaster().setSample(i, j, 0, g);
      }
    }
    ImageIO.write(img, "png", file);
  }
}
