package io.seedtrace.detection.phantom.scanned;

import java.util.ArrayList;
import java.util.List;

/**
 * I-125 seed models as real geometry. All share the common outer form, a sealed titanium capsule
 * 0.8 mm across and 4.5 mm long with a 0.05 mm wall and solid rounded end welds; they differ in the
 * radio-opaque core that makes them visible on x-ray images. The iodine itself (adsorbed on resin or
 * on the silver surface) is far too thin to matter for CT and is left out.
 */
public enum SeedDesign {
  /** Model 6711 type: a silver rod 0.5 mm across and 3.0 mm long fills most of the capsule. */
  SILVER_ROD_6711(Metal.SILVER, 0.25, 3.0),
  /** Resin-bead type: resin spheres (invisible) around a short gold marker 0.5 mm x 1.0 mm. */
  GOLD_MARKER_RESIN(Metal.GOLD, 0.25, 1.0),
  /** Wire-marker type: a thin tungsten wire 0.25 mm x 3.0 mm along the capsule axis. */
  TUNGSTEN_WIRE(Metal.TUNGSTEN, 0.125, 3.0);

  /** Capsule length (mm). */
  public static final double LENGTH_MM = 4.5;
  /** Capsule outer diameter (mm). */
  public static final double DIAMETER_MM = 0.8;
  private static final double WALL_MM = 0.05;

  private final Metal core;
  private final double coreRadius;
  private final double coreLength;

  SeedDesign(Metal core, double coreRadius, double coreLength) {
    this.core = core;
    this.coreRadius = coreRadius;
    this.coreLength = coreLength;
  }

  /**
   * The metal of a seed centred at {@code centre} along the unit vector {@code axis}: the capsule
   * (a capsule-shaped titanium solid whose cylindrical cavity leaves the wall and the end welds)
   * and the core.
   */
  List<MetalPart> parts(double[] centre, double[] axis) {
    double r = DIAMETER_MM / 2;
    double halfCylinder = LENGTH_MM / 2 - r;
    Solid shell = new Solid.Rod(Vec3.along(centre, axis, -halfCylinder), Vec3.along(centre, axis, halfCylinder),
        r, true);
    Solid cavity = new Solid.Rod(Vec3.along(centre, axis, -halfCylinder), Vec3.along(centre, axis, halfCylinder),
        r - WALL_MM, false);
    Solid coreSolid = new Solid.Rod(Vec3.along(centre, axis, -coreLength / 2),
        Vec3.along(centre, axis, coreLength / 2), coreRadius, false);
    List<MetalPart> parts = new ArrayList<>(2);
    parts.add(new MetalPart(shell, cavity, Metal.TITANIUM));
    parts.add(new MetalPart(coreSolid, null, core));
    return parts;
  }
}
