package io.seedtrace.dosimetry.dvh;

import io.seedtrace.dosimetry.DoseGrid;

/**
 * The cumulative dose-volume histogram of one structure: for every dose d, the volume receiving at
 * least d. Kept exactly (each touched voxel's dose and partial volume, sorted from the hottest), so
 * that D_x and V_d need no binning; {@link #cumulative(double)} bins it for plots and RT Dose.
 *
 * <p>Definitions (as in ICRU 83 and the ABS/GEC-ESTRO prostate recommendations):
 * <ul>
 *   <li>{@code D_x%}: the smallest dose received by the hottest x % of the volume;
 *   <li>{@code D_x cc}: the smallest dose received by the hottest x cm^3;
 *   <li>{@code V_d}: the volume receiving at least dose d (cm^3 or % of the structure).
 * </ul>
 * A voxel counts with the part of its volume inside the structure, at the dose of its centre.
 */
public final class DoseVolumeHistogram {

  private final String name;
  /** Doses (Gy) of the touched voxels, hottest first. */
  private final float[] doses;
  /** Volume (cm^3) receiving at least doses[n]: running sum of the partial volumes. */
  private final double[] volumeAtLeast;
  private final boolean clipped;

  private DoseVolumeHistogram(String name, float[] doses, double[] volumeAtLeast, boolean clipped) {
    this.name = name;
    this.doses = doses;
    this.volumeAtLeast = volumeAtLeast;
    this.clipped = clipped;
  }

  /**
   * The DVH of a structure over a dose grid in Gy.
   *
   * @throws IllegalArgumentException if the structure touches no voxel of the grid
   */
  public static DoseVolumeHistogram of(String name, VoxelFractions structure, DoseGrid doseGy) {
    int n = structure.voxelCount();
    if (n == 0) {
      throw new IllegalArgumentException("structure " + name + " lies outside the dose grid");
    }
    long[] keyed = new long[n];
    for (int p = 0; p < n; p++) {
      // dose bits (non-negative floats sort as ints) high, position low: one primitive sort
      keyed[p] = ((long) Float.floatToIntBits(doseGy.valueAt(structure.index(p))) << 32) | p;
    }
    java.util.Arrays.sort(keyed);
    float[] doses = new float[n];
    double[] cumulative = new double[n];
    double sum = 0;
    for (int r = 0; r < n; r++) {
      long key = keyed[n - 1 - r];
      int p = (int) (key & 0xffffffffL);
      doses[r] = Float.intBitsToFloat((int) (key >>> 32));
      sum += structure.fraction(p) * structure.voxelVolumeCc();
      cumulative[r] = sum;
    }
    return new DoseVolumeHistogram(name, doses, cumulative, structure.clipped());
  }

  public String name() {
    return name;
  }

  /** The structure's volume counted (inside the grid), cm^3. */
  public double volumeCc() {
    return volumeAtLeast[volumeAtLeast.length - 1];
  }

  /** True when part of the structure lay outside the dose grid and is not in this DVH. */
  public boolean clipped() {
    return clipped;
  }

  public double maxGy() {
    return doses[0];
  }

  public double minGy() {
    return doses[doses.length - 1];
  }

  /** Volume-weighted mean dose, Gy. */
  public double meanGy() {
    double sum = 0;
    double before = 0;
    for (int r = 0; r < doses.length; r++) {
      sum += doses[r] * (volumeAtLeast[r] - before);
      before = volumeAtLeast[r];
    }
    return sum / volumeCc();
  }

  /** D_x%: the smallest dose received by the hottest {@code percent} % of the volume, Gy. */
  public double doseToPercentGy(double percent) {
    if (!(percent > 0 && percent <= 100)) {
      throw new IllegalArgumentException("percent must be in (0, 100], got " + percent);
    }
    return doseToVolumeGy(volumeCc() * percent / 100);
  }

  /** D_x cc: the smallest dose received by the hottest {@code cc} cm^3 (the minimum dose if the volume is smaller). */
  public double doseToVolumeGy(double cc) {
    if (!(cc > 0)) {
      throw new IllegalArgumentException("volume must be positive, got " + cc);
    }
    int at = java.util.Arrays.binarySearch(volumeAtLeast, cc - 1e-12 * Math.max(1, cc));
    int r = at >= 0 ? at : -at - 1;
    return doses[Math.min(r, doses.length - 1)];
  }

  /** V_d: the volume receiving at least {@code gy}, cm^3. */
  public double volumeAtLeastCc(double gy) {
    // doses are descending: count those >= gy
    int lo = 0;
    int hi = doses.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (doses[mid] >= gy) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo == 0 ? 0 : volumeAtLeast[lo - 1];
  }

  /** V_d in % of the structure's volume. */
  public double percentAtLeast(double gy) {
    return 100 * volumeAtLeastCc(gy) / volumeCc();
  }

  /**
   * The cumulative DVH in bins of {@code binGy} from 0 to past the maximum dose: element b is the
   * volume (cm^3) receiving at least {@code b * binGy}. Element 0 is the whole volume.
   */
  public double[] cumulative(double binGy) {
    if (!(binGy > 0)) {
      throw new IllegalArgumentException("bin width must be positive, got " + binGy);
    }
    long bins = (long) Math.floor(maxGy() / binGy) + 2;
    if (bins > 1_000_000) {
      throw new IllegalArgumentException("too many DVH bins (" + bins + "); use a wider bin than " + binGy + " Gy");
    }
    double[] out = new double[(int) bins];
    for (int b = 0; b < out.length; b++) {
      out[b] = volumeAtLeastCc(b * binGy);
    }
    return out;
  }
}
