package io.seedtrace.detection.phantom.scanned;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Metal that is not a seed but can look like one: gold fiducial markers (solid gold cylinders
 * 1.2 mm x 3 mm implanted for image-guided radiotherapy, denser than a seed's core) and a titanium
 * surgical clip (a thin wire bent into a V, legs 4 to 6 mm). They are kept well clear of the seeds.
 */
final class MetalDistractors {

  private static final double FIDUCIAL_RADIUS = 0.6;
  private static final double FIDUCIAL_LENGTH = 3.0;
  private static final double CLIP_WIRE_RADIUS = 0.3;

  private final SplittableRandom random;
  private final List<PlacedSeed> seeds;
  private final List<MetalPart> parts = new ArrayList<>();
  private final List<double[]> centres = new ArrayList<>();

  MetalDistractors(SplittableRandom random, List<PlacedSeed> seeds) {
    this.random = random;
    this.seeds = seeds;
  }

  List<MetalPart> parts() {
    return parts;
  }

  List<double[]> centres() {
    return centres;
  }

  /** Gold fiducials inside the target, roughly along the needle direction of the site. */
  void fiducials(int count, Solid.Ellipsoid target, Site site, ScanVolume volume) {
    for (int placed = 0, attempt = 0; placed < count && attempt < 2000; attempt++) {
      double[] c = {target.cx + random.nextDouble(-0.7, 0.7) * target.a,
          target.cy + random.nextDouble(-0.7, 0.7) * target.b,
          target.cz + random.nextDouble(-0.7, 0.7) * target.c};
      if (!target.contains(c[0], c[1], c[2]) || !clear(c, 6) || !insideSlab(c, volume, 3)) {
        continue;
      }
      double[] axis = site == Site.LUNG ? Vec3.randomDirection(random)
          : Vec3.normalise(new double[] {random.nextDouble(-0.25, 0.25), random.nextDouble(-0.25, 0.25), 1});
      parts.add(new MetalPart(new Solid.Rod(Vec3.along(c, axis, -FIDUCIAL_LENGTH / 2),
          Vec3.along(c, axis, FIDUCIAL_LENGTH / 2), FIDUCIAL_RADIUS, false), null, Metal.GOLD));
      centres.add(c);
      placed++;
    }
  }

  /** A V-shaped titanium clip 10 to 30 mm outside the target surface. */
  void clip(Solid.Ellipsoid target, ScanVolume volume) {
    for (int attempt = 0; attempt < 2000; attempt++) {
      double[] d = Vec3.randomDirection(random);
      double r = Math.max(target.a, target.b) + random.nextDouble(10, 30);
      double[] apex = {target.cx + d[0] * r, target.cy + d[1] * r, 0};
      apex[2] = volume.randomZ(random, 4);
      if (!volume.inField(apex[0], apex[1], 10) || !clear(apex, 10)) {
        continue;
      }
      double[] mid = Vec3.randomDirection(random);
      double[] open = Vec3.perpendicular(mid, random);
      double half = Math.toRadians(random.nextDouble(12, 22));
      double len = random.nextDouble(4, 6);
      double[] centre = Vec3.along(apex, mid, len * Math.cos(half) / 2);
      for (int sign = -1; sign <= 1; sign += 2) {
        double[] leg = Vec3.normalise(new double[] {mid[0] * Math.cos(half) + sign * open[0] * Math.sin(half),
            mid[1] * Math.cos(half) + sign * open[1] * Math.sin(half),
            mid[2] * Math.cos(half) + sign * open[2] * Math.sin(half)});
        parts.add(new MetalPart(new Solid.Rod(apex, Vec3.along(apex, leg, len), CLIP_WIRE_RADIUS, true),
            null, Metal.TITANIUM));
      }
      centres.add(centre);
      return;
    }
  }

  private boolean clear(double[] c, double distance) {
    for (PlacedSeed s : seeds) {
      if (Vec3.distance(s.centre(), c) < distance) {
        return false;
      }
    }
    for (double[] o : centres) {
      if (Vec3.distance(o, c) < distance) {
        return false;
      }
    }
    return true;
  }

  private static boolean insideSlab(double[] c, ScanVolume v, double margin) {
    return c[2] > v.slabLow() + margin && c[2] < v.slabHigh() - margin;
  }
}
