package io.seedtrace.detection.phantom.scanned;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Places seeds the way they are implanted.
 *
 * <p>Seeds are pushed out of hollow needles, so they lie in rows along needle tracks, one seed
 * every 5.5 mm or 10 mm (seed plus spacer), their axes along the track with a few degrees of
 * wobble. Prostate needles come through a perineal template on a 5 mm grid and run nearly parallel
 * (along +z); lung needles enter through the chest wall at an oblique angle. Seeds sometimes end up
 * touching: side by side, after drifting sideways, or end to end, when a spacer is missing; these
 * groups are placed on purpose. One seed may migrate away (into a vein or another lobe). Regular
 * seeds keep at least {@value #MIN_GAP_MM} mm from each other, so "touching" is unambiguous.
 */
final class ImplantPlanner {

  static final double MIN_GAP_MM = 0.6;
  static final double TOUCH_GAP_MM = 0.3;

  private final ScanSpec spec;
  private final Solid.Ellipsoid target;
  private final Solid.Ellipsoid inner;
  private final SplittableRandom random;
  private final List<PlacedSeed> seeds = new ArrayList<>();

  ImplantPlanner(ScanSpec spec, Anatomy anatomy, SplittableRandom random) {
    this.spec = spec;
    this.target = anatomy.target();
    this.inner = target.scaled(0.95);
    this.random = random;
  }

  /** The implanted seeds (before any migration). */
  List<PlacedSeed> implant() {
    if (!spec.fixedSeeds().isEmpty()) {
      for (double[] s : spec.fixedSeeds()) {
        seeds.add(new PlacedSeed(new double[] {s[0], s[1], s[2]},
            Vec3.normalise(new double[] {s[3], s[4], s[5]})));
      }
      return seeds;
    }
    int wanted = spec.seedCount() - (spec.migratedSeed() && spec.seedCount() > 0 ? 1 : 0);
    for (int c = 0; c < spec.clusters() && seeds.size() + 3 <= wanted; c++) {
      cluster(random.nextInt(3) == 0 ? 3 : 2);
    }
    double[] direction = needleDirection();
    double pitch = spec.site() == Site.LUNG ? 7 : 5;
    for (int pass = 0; pass < 6 && seeds.size() < wanted; pass++) {
      needleRows(direction, pitch, wanted);
    }
    return seeds;
  }

  /** Adds a seed that migrated away from the implant, isolated, inside the given volume. */
  void migrate(ScanVolume volume) {
    for (int attempt = 0; attempt < 500; attempt++) {
      double phi = random.nextDouble(0, 2 * Math.PI);
      double dist = random.nextDouble(28, 50);
      double[] c = {target.cx + Math.cos(phi) * dist, target.cy + Math.sin(phi) * dist, 0};
      c[2] = volume.randomZ(random, 4);
      PlacedSeed s = new PlacedSeed(c, Vec3.randomDirection(random));
      if (volume.inField(c[0], c[1], 8) && clearOf(s, 12)) {
        seeds.add(s);
        return;
      }
    }
  }

  private double[] needleDirection() {
    if (spec.site() == Site.LUNG) {
      double phi = random.nextDouble(0, 2 * Math.PI);
      double tilt = Math.tan(Math.toRadians(random.nextDouble(-35, 35)));
      return Vec3.normalise(new double[] {Math.cos(phi), Math.sin(phi), tilt});
    }
    return new double[] {0, 0, 1};
  }

  /** One pass of needles on a lattice perpendicular to {@code direction}, randomly offset. */
  private void needleRows(double[] direction, double pitch, int wanted) {
    double[] e1 = Vec3.normalise(Vec3.cross(direction, Math.abs(direction[2]) < 0.9
        ? new double[] {0, 0, 1} : new double[] {1, 0, 0}));
    double[] e2 = Vec3.cross(direction, e1);
    double reach = Math.max(target.a, Math.max(target.b, target.c));
    List<double[]> needles = new ArrayList<>();
    double p1 = random.nextDouble(pitch);
    double p2 = random.nextDouble(pitch);
    for (double a = -reach + p1; a <= reach; a += pitch) {
      for (double b = -reach + p2; b <= reach; b += pitch) {
        needles.add(new double[] {a, b});
      }
    }
    for (int k = needles.size() - 1; k > 0; k--) {
      int j = random.nextInt(k + 1);
      double[] t = needles.get(k);
      needles.set(k, needles.get(j));
      needles.set(j, t);
    }
    for (double[] n : needles) {
      double[] entry = {target.cx + n[0] * e1[0] + n[1] * e2[0], target.cy + n[0] * e1[1] + n[1] * e2[1],
          target.cz + n[0] * e1[2] + n[1] * e2[2]};
      double tilt = spec.site() == Site.LUNG ? 8 : 4;
      double[] dir = tilted(direction, tilt);
      seedsAlong(entry, dir, reach, wanted);
      if (seeds.size() >= wanted) {
        return;
      }
    }
  }

  /** Drops seeds along a needle through {@code point}, while inside the target. */
  private void seedsAlong(double[] point, double[] dir, double reach, int wanted) {
    double wobble = spec.site() == Site.LUNG ? 9 : 5;
    double phase = random.nextDouble(spec.seedSpacingMm());
    for (double t = -reach + phase; t <= reach && seeds.size() < wanted; t += spec.seedSpacingMm()) {
      double[] c = Vec3.along(point, dir, t);
      if (!inner.contains(c[0], c[1], c[2])) {
        continue;
      }
      double[] side = Vec3.perpendicular(dir, random);
      double lateral = random.nextDouble(0, 0.6);
      double[] jittered = Vec3.along(Vec3.along(c, side, lateral), dir, random.nextDouble(-0.5, 0.5));
      PlacedSeed s = new PlacedSeed(jittered, tilted(dir, wobble));
      if (clearOf(s, MIN_GAP_MM)) {
        seeds.add(s);
      }
    }
  }

  /** A group of 2 or 3 touching seeds somewhere in the target. */
  private void cluster(int size) {
    for (int attempt = 0; attempt < 200; attempt++) {
      double[] c = {target.cx + random.nextDouble(-0.6, 0.6) * target.a,
          target.cy + random.nextDouble(-0.6, 0.6) * target.b, target.cz + random.nextDouble(-0.5, 0.5) * target.c};
      List<PlacedSeed> group = new ArrayList<>();
      group.add(new PlacedSeed(c, tilted(needleDirection(), 8)));
      for (int k = 1; k < size; k++) {
        group.add(neighbour(group.get(random.nextInt(group.size()))));
      }
      if (group.stream().allMatch(s -> clearOf(s, 1.5)) && mutuallyValid(group)) {
        seeds.addAll(group);
        return;
      }
    }
  }

  /** A seed touching {@code s}: side by side (parallel, 0 to 0.05 mm apart) or end to end. */
  private PlacedSeed neighbour(PlacedSeed s) {
    double gap = random.nextDouble(0, 0.05);
    if (random.nextBoolean()) {
      double[] side = Vec3.perpendicular(s.axis(), random);
      double[] c = Vec3.along(s.centre(), side, SeedDesign.DIAMETER_MM + gap);
      c = Vec3.along(c, s.axis(), random.nextDouble(-1.5, 1.5));
      return new PlacedSeed(c, tilted(s.axis(), 2));
    }
    double sign = random.nextBoolean() ? 1 : -1;
    double[] c = Vec3.along(s.centre(), s.axis(), sign * (SeedDesign.LENGTH_MM + gap));
    return new PlacedSeed(c, s.axis().clone());
  }

  private boolean mutuallyValid(List<PlacedSeed> group) {
    for (int i = 0; i < group.size(); i++) {
      for (int j = i + 1; j < group.size(); j++) {
        if (group.get(i).gapTo(group.get(j)) < -0.01) {
          return false;
        }
      }
    }
    return true;
  }

  boolean clearOf(PlacedSeed s, double minGap) {
    for (PlacedSeed o : seeds) {
      if (s.gapTo(o) < minGap) {
        return false;
      }
    }
    return true;
  }

  /** {@code dir} tilted by up to {@code maxDegrees} in a random direction. */
  private double[] tilted(double[] dir, double maxDegrees) {
    return Vec3.turned(dir, Math.toRadians(random.nextDouble(0, maxDegrees)), random);
  }

  /** Whether each seed touches another (surface gap below {@value #TOUCH_GAP_MM} mm). */
  static boolean[] touching(List<PlacedSeed> seeds) {
    boolean[] t = new boolean[seeds.size()];
    for (int i = 0; i < seeds.size(); i++) {
      for (int j = i + 1; j < seeds.size(); j++) {
        if (seeds.get(i).gapTo(seeds.get(j)) < TOUCH_GAP_MM) {
          t[i] = true;
          t[j] = true;
        }
      }
    }
    return t;
  }
}
