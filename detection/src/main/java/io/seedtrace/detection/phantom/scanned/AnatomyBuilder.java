package io.seedtrace.detection.phantom.scanned;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Collects tissue layers in painting order, with helpers for the recurring structures: a bone is a
 * cortical shell painted first and a trabecular (or marrow) interior painted over it, a hollow organ
 * is a muscular wall with its content painted inside.
 */
final class AnatomyBuilder {

  private final List<Anatomy.Layer> layers = new ArrayList<>();
  private final List<double[]> distractors = new ArrayList<>();
  private final SplittableRandom random;
  private final double boneDensity;

  AnatomyBuilder(SplittableRandom random) {
    this.random = random;
    this.boneDensity = random.nextDouble(0.85, 1.15);
  }

  SplittableRandom random() {
    return random;
  }

  double uniform(double lo, double hi) {
    return random.nextDouble(lo, hi);
  }

  void add(Solid solid, Tissue tissue) {
    add(solid, tissue, 1.0);
  }

  void add(Solid solid, Tissue tissue, double density) {
    layers.add(new Anatomy.Layer(solid, tissue, density));
  }

  /** A bone: cortex everywhere in {@code outer}, spongy bone in {@code inner}. */
  void bone(Solid outer, Solid inner) {
    add(outer, Tissue.CORTICAL, boneDensity);
    add(inner, Tissue.TRABECULAR, boneDensity);
  }

  /** A long-bone shaft: cortex around fatty marrow. */
  void shaft(Solid outer, Solid inner) {
    add(outer, Tissue.CORTICAL, boneDensity * 1.1);
    add(inner, Tissue.MARROW);
  }

  /** A small calcified look-alike of a seed, recorded as a distractor. */
  void calcifiedSpot(double[] c, double radius, Tissue tissue) {
    double elong = uniform(1.0, 1.8);
    add(new Solid.Ellipsoid(c[0], c[1], c[2], radius * elong, radius, radius * uniform(0.8, 1.4),
        uniform(0, Math.PI)), tissue, uniform(0.8, 1.3));
    distractors.add(c.clone());
  }

  /** A phlebolith: a calcified ring, often with a lucent centre. */
  void phlebolith(double[] c, double radius) {
    add(new Solid.Ellipsoid(c[0], c[1], c[2], radius, radius, radius, 0), Tissue.PHLEBOLITH,
        uniform(0.8, 1.4));
    if (random.nextBoolean()) {
      add(new Solid.Ellipsoid(c[0], c[1], c[2], radius * 0.45, radius * 0.45, radius * 0.45, 0),
          Tissue.BLOOD);
    }
    distractors.add(c.clone());
  }

  Anatomy build(Solid.Extrusion body, Solid.Bounds extent, Solid.Ellipsoid target) {
    return new Anatomy(List.copyOf(layers), body, extent, target, List.copyOf(distractors),
        random.nextLong());
  }
}
