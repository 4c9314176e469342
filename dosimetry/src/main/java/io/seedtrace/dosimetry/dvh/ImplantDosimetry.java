package io.seedtrace.dosimetry.dvh;

import io.seedtrace.dosimetry.DoseGrid;
import io.seedtrace.dosimetry.GridDoseCalculator;
import io.seedtrace.dosimetry.I125Decay;
import io.seedtrace.dosimetry.Point3;
import io.seedtrace.dosimetry.Seed;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Post-implant dosimetry of one implant: the total dose (to infinity) of the seeds on a grid over
 * the target with a margin, the DVH of each structure the name table knows, the metrics and the
 * findings against the limits.
 *
 * <p>Bounded: the grid is refused above {@link Settings#maxVoxels()} voxels, the structures above
 * {@link Settings#maxVertices()} vertices, before anything is allocated; the work is then at most
 * voxels x seeds kernel reads (about 6 ns each, docs/dosimetry.md).
 *
 * <pre>{@code
 * ImplantDosimetry.Result r = new ImplantDosimetry(ImplantDosimetry.Settings.defaults()).evaluate(seeds, structures);
 * r.metrics().value("dose-d90");
 * }</pre>
 */
public final class ImplantDosimetry {

  private final Settings settings;
  private final GridDoseCalculator calculator = new GridDoseCalculator();

  public ImplantDosimetry(Settings settings) {
    this.settings = Objects.requireNonNull(settings);
  }

  /**
   * @param gridSpacingMm 1 or 0.5 mm (any positive spacing down to 0.25 mm is accepted)
   * @param marginMm the grid reaches this far beyond the target's bounds on every side
   * @param names which structure is which
   * @param limits prescription and limits
   * @param maxVoxels larger grids are refused (memory: 4 bytes per voxel, plus 4 per voxel per structure while
   *     rasterising)
   * @param maxVertices structures with more contour vertices in all are refused
   */
  public record Settings(double gridSpacingMm, double marginMm, StructureNames names, DoseLimits limits,
      long maxVoxels, long maxVertices) {

    public Settings {
      if (!(gridSpacingMm >= 0.25) || !(marginMm >= 0) || maxVoxels < 1 || maxVertices < 3) {
        throw new IllegalArgumentException("dosimetry settings: spacing >= 0.25 mm, margin >= 0, limits >= 1, got "
            + gridSpacingMm + " mm, " + marginMm + " mm, " + maxVoxels + ", " + maxVertices);
      }
      Objects.requireNonNull(names);
      Objects.requireNonNull(limits);
    }

    /** 1 mm grid, 10 mm margin, default names and limits, at most 16 million voxels and 2 million vertices. */
    public static Settings defaults() {
      return new Settings(1.0, 10, StructureNames.defaults(), DoseLimits.defaults(), 16_000_000, 2_000_000);
    }

    public Settings withSpacing(double mm) {
      return new Settings(mm, marginMm, names, limits, maxVoxels, maxVertices);
    }
  }

  /**
   * The outcome.
   *
   * @param doseGy total dose (implant time to infinity), Gy, per voxel
   * @param dvhs the DVH of each structure found, by role
   * @param pointSourceSeeds seeds whose axis was unknown (1-D point-source approximation)
   * @param millis time taken, ms
   */
  public record Result(DoseGrid doseGy, Map<StructureRole, DoseVolumeHistogram> dvhs, DoseMetrics metrics,
      int pointSourceSeeds, long millis) {}

  /**
   * @param seeds the seeds with their S_K at the implant time
   * @param structures the delineated structures; those the name table does not know are ignored
   * @throws IllegalArgumentException if no structure is a target, there are no seeds, or the grid or the
   *     contours exceed the limits
   */
  public Result evaluate(List<Seed> seeds, List<Structure> structures) {
    long start = System.nanoTime();
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("no seeds: there is no dose to compute");
    }
    Map<StructureRole, Structure> assigned = settings.names().assign(structures);
    Structure target = assigned.get(StructureRole.TARGET);
    if (target == null) {
      throw new IllegalArgumentException("no target among the structures " + structures.stream()
          .map(Structure::name).toList() + " (names for TARGET: " + settings.names() + ")");
    }
    long vertices = assigned.values().stream().mapToLong(Structure::vertexCount).sum();
    if (vertices > settings.maxVertices()) {
      throw new IllegalArgumentException("structures have " + vertices + " contour vertices, more than the "
          + settings.maxVertices() + " allowed");
    }
    DoseGrid grid = gridOver(target.bounds());
    calculator.accumulateDoseRate(seeds, grid);
    grid.scale(I125Decay.totalDoseGy(1));
    Map<StructureRole, DoseVolumeHistogram> dvhs = new EnumMap<>(StructureRole.class);
    assigned.forEach((role, structure) -> {
      VoxelFractions inside = VoxelFractions.of(structure, grid);
      if (inside.voxelCount() > 0) {
        dvhs.put(role, DoseVolumeHistogram.of(structure.name(), inside, grid));
      }
    });
    DoseMetrics metrics = DoseMetrics.of(dvhs, settings.limits());
    int pointSources = (int) seeds.stream().filter(s -> s.axis() == null).count();
    return new Result(grid, dvhs, metrics, pointSources, (System.nanoTime() - start) / 1_000_000);
  }

  /** A grid over the box {@code b} (min x, y, z, max x, y, z) plus the margin, its voxel edges on multiples of the spacing. */
  DoseGrid gridOver(double[] b) {
    double h = settings.gridSpacingMm();
    double m = settings.marginMm();
    long[] n = new long[3];
    double[] corner = new double[3];
    for (int d = 0; d < 3; d++) {
      corner[d] = Math.floor((b[d] - m) / h) * h;
      n[d] = Math.max(1, (long) Math.ceil((b[d + 3] + m - corner[d]) / h - 1e-9));
    }
    long voxels = n[0] * n[1] * n[2];
    if (voxels > settings.maxVoxels()) {
      throw new IllegalArgumentException("a dose grid of " + n[0] + " x " + n[1] + " x " + n[2] + " voxels at "
          + h + " mm exceeds the limit of " + settings.maxVoxels() + " voxels: is the target contour too large?");
    }
    return new DoseGrid(new Point3(corner[0] + h / 2, corner[1] + h / 2, corner[2] + h / 2), h, (int) n[0],
        (int) n[1], (int) n[2]);
  }
}
