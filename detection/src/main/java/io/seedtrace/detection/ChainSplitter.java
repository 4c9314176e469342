package io.seedtrace.detection;

import io.seedtrace.detection.internal.EqualMixture;
import io.seedtrace.detection.internal.Moments;
import io.seedtrace.detection.internal.PointSpread;
import io.seedtrace.detection.internal.Region;
import io.seedtrace.detection.internal.SeedTemplate;
import io.seedtrace.detection.internal.SpatialMixture;
import io.seedtrace.detection.internal.SymmetricEigen;
import java.util.ArrayList;
import java.util.List;

/**
 * Places the seeds of an object that holds more than one: side by side around its centre, or
 * along its length as a mixture of equal seeds, then moved in three dimensions to where the metal
 * is when they lie off the axis. Bounds the work by the seeds an object's size can hold.
 */
final class ChainSplitter {

  /**
   * An object whose spread across its axis (deblurred, mm2) is below this is a straight chain; above
   * it, seeds lie off the axis (a cluster, a bent strand, chains touching at an angle).
   */
  private static final double OFF_AXIS_MM2 = 0.5;
  /** Error allowed in a measured centre's distance to the scan's edge (mm). */
  private static final double EDGE_MARGIN_MM = 0.75;
  /** Up to this slice thickness a seed's centre along the slices is measured well. */
  private static final double CENTRE_ALONG_SLICES_MM = 3.0;
  /** No needle strand or cluster holds more seeds than this in one object. */
  static final int MAX_CHAIN_SEEDS = 24;
  /**
   * Seeds end to end lie about a seed's length apart along their chain; seeds side by side overlap
   * along it. Shared among n equal seeds along its length, an object whose seeds lie at least this
   * share of a seed's length apart is a chain, however short the blur's estimate makes it.
   */
  static final double CHAIN_GAP = 0.6;
  /** Seeds side by side lie about this far apart (mm): their diameter. */
  private static final double SEED_DIAMETER_MM = 0.8;

  private final CtScan scan;
  private final DetectorSettings settings;
  private final PointSpread blur;
  private final SeedTemplate template;

  ChainSplitter(CtScan scan, DetectorSettings settings, PointSpread blur, SeedTemplate template) {
    this.scan = scan;
    this.settings = settings;
    this.blur = blur;
    this.template = template;
  }

  /**
   * How many seeds an object of this size can hold: end to end along its length (a seed every 0.8
   * seed lengths, allowing for error in the measured length), up to three side by side (touching
   * clusters; their width is not measured reliably across thick slices), never more than {@value
   * #MAX_CHAIN_SEEDS}. A seed count is bounded by what an object's size allows, and so is the work
   * of splitting it.
   */
  int capacity(double[][] covariance) {
    SymmetricEigen e = new SymmetricEigen(blur.deblurred(covariance));
    double length = Math.sqrt(12 * Math.max(0, e.values[0]));
    int along = (int) Math.floor(length / (0.8 * settings.seedLengthMm())) + 1;
    return (int) Math.min(MAX_CHAIN_SEEDS, 3L * along);
  }

  /**
   * The seeds of a cluster of n. Seeds lying side by side are not resolved by the scan (their
   * spacing is about their diameter): they are placed around the cluster centre along its second
   * axis, at the spacing its deblurred width gives. Seeds end to end or along a needle make a
   * cluster longer than one seed: it is split along its length (see {@link #alongLength}). A seed
   * at the end of a chain that runs out of the scan is cut by the scan edge, as a lone one would be,
   * and goes to {@code rejected}.
   */
  List<Seed> split(Region r, int n, int clusterId, double confidence, List<RejectedCandidate> rejected) {
    double[][] cov = r.moments.covariance;
    if (blur.length(cov) >= 1.5 * settings.seedLengthMm() || endToEnd(r, n)) {
      return alongLength(r, n, clusterId, confidence, rejected);
    }
    SymmetricEigen e = new SymmetricEigen(blur.deblurred(cov));
    double spacing = Math.min(1.0, Math.sqrt(12 * Math.max(0, e.values[1]) / (n * n - 1)));
    double[] axis = SeedDetector.toPatientAxis(scan, blur.axis(cov));
    double[][] centres = refined(r, around(r, n, spacing, e.vectors[1]));
    if (template != null) {
      // the deblurred width can come out at nothing, which would put every seed on the centre: try
      // them a seed's diameter apart across and along the object too, and keep what the scan's own
      // seed explains best
      double[] along = new SymmetricEigen(cov).vectors[0];
      double wider = Math.max(spacing, SEED_DIAMETER_MM);
      double best = template.residual(r.faintPoints, r.faintWeights, centres, along);
      for (double[] direction : new double[][] {e.vectors[1], e.vectors[0]}) {
        double[][] c = refined(r, around(r, n, wider, direction));
        double residual = template.residual(r.faintPoints, r.faintWeights, c, along);
        if (residual < best) {
          best = residual;
          centres = c;
        }
      }
    }
    List<Seed> out = new ArrayList<>();
    for (double[] c : centres) {
      out.add(new Seed(SeedDetector.toPatient(scan, c), axis, confidence, clusterId, n));
    }
    return out;
  }

  /**
   * Along a needle: the projections of all of the chain's voxels on its axis, as a mixture of n
   * equal seeds (each seed holds the same metal and has the same profile along the axis: its
   * length and the learnt blur), so two seeds side by side within a chain are placed together.
   */
  private List<Seed> alongLength(Region r, int n, int clusterId, double confidence, List<RejectedCandidate> rejected) {
    double[] axis = new SymmetricEigen(r.moments.covariance).vectors[0];
    List<Moments> parts = parts(r, n, axis);
    double[][] centres = refined(r, parts.stream().map(part -> part.centre).toArray(double[][]::new));
    List<Seed> out = new ArrayList<>();
    for (int c = 0; c < parts.size(); c++) {
      double[] centre = centres[c];
      if (r.touchesEndSlice) {
        double zMm = centre[2];
        double toEdge = Math.min(zMm, (scan.nz() - 1) * scan.dz() - zMm);
        if (cutByEdge(toEdge, axis)) {
          rejected.add(new RejectedCandidate(SeedDetector.toPatient(scan, centre), Rejection.CUT_BY_SCAN_EDGE,
              String.format("end of a chain of %d, %.1f mm from the scan edge", n, toEdge)));
          continue;
        }
      }
      out.add(new Seed(SeedDetector.toPatient(scan, centre),
          SeedDetector.toPatientAxis(scan, blur.axis(parts.get(c).covariance)), confidence, clusterId, n));
    }
    return out;
  }

  /**
   * Whether n seeds of an object no longer than a seed and a half lie end to end rather than side
   * by side: shared among n equal seeds along its length, every seed lies at least {@value
   * #CHAIN_GAP} of a seed's length from the next. Seeds side by side overlap along the axis.
   */
  private boolean endToEnd(Region r, int n) {
    double[] axis = new SymmetricEigen(r.moments.covariance).vectors[0];
    double[] along = parts(r, n, axis).stream()
        .mapToDouble(m -> m.centre[0] * axis[0] + m.centre[1] * axis[1] + m.centre[2] * axis[2]).sorted().toArray();
    if (along.length < n) {
      return false;
    }
    for (int s = 1; s < along.length; s++) {
      if (along[s] - along[s - 1] < CHAIN_GAP * settings.seedLengthMm()) {
        return false;
      }
    }
    return true;
  }

  /** The object's voxels shared among n equal seeds along {@code axis}, as each seed's moments. */
  private List<Moments> parts(Region r, int n, double[] axis) {
    double[][] pts = r.faintPoints;
    double[] w = r.faintWeights;
    double[] t = new double[pts.length];
    for (int p = 0; p < pts.length; p++) {
      t[p] = pts[p][0] * axis[0] + pts[p][1] * axis[1] + pts[p][2] * axis[2];
    }
    double along = settings.seedLengthMm() * settings.seedLengthMm() / 12
        + blur.varianceXy * (axis[0] * axis[0] + axis[1] * axis[1]) + blur.varianceZ * axis[2] * axis[2];
    double[][] share = EqualMixture.of(t, w, n, along);
    List<Moments> parts = new ArrayList<>();
    for (int c = 0; c < n; c++) {
      double[][] partPts = new double[pts.length][];
      double[] partW = new double[pts.length];
      int m = 0;
      for (int p = 0; p < pts.length; p++) {
        if (share[c][p] > 1e-3) {
          partPts[m] = pts[p];
          partW[m] = w[p] * share[c][p];
          m++;
        }
      }
      if (m > 0) {
        parts.add(new Moments(partPts, partW, m));
      }
    }
    return parts;
  }

  /**
   * Whether a seed whose centre lies {@code toEdgeMm} inside the first or last slice's centre, along
   * {@code axis}, reaches beyond the scanned slab (which ends half a slice further out). A seed cut
   * by the slab edge shows only its part inside, whose centre lies nearer the edge than a whole
   * seed's can; a margin ({@value #EDGE_MARGIN_MM} mm) takes the error of the measured centre.
   * Slices thicker than {@value #CENTRE_ALONG_SLICES_MM} mm hold most of a seed in one slice and
   * tell its centre along them poorly: there a seed must lie a whole slice further in.
   */
  boolean cutByEdge(double toEdgeMm, double[] axis) {
    double halfSeed = 0.5 * settings.seedLengthMm() * Math.abs(axis[2]);
    return scan.dz() > CENTRE_ALONG_SLICES_MM ? toEdgeMm < halfSeed + 0.5 * scan.dz()
        : toEdgeMm < halfSeed - 0.5 * scan.dz() + EDGE_MARGIN_MM;
  }

  /**
   * The seeds' centres moved in three dimensions to where the object's metal is (seeds of a
   * cluster or a bent strand lie off its axis); each seed spreads as one seed's rod over its
   * length, blurred.
   */
  private double[][] refined(Region r, double[][] centres) {
    if (new SymmetricEigen(blur.deblurred(r.moments.covariance)).values[1] < OFF_AXIS_MM2) {
      return centres; // a straight chain: its split along the axis is the better one
    }
    double variance = settings.seedLengthMm() * settings.seedLengthMm() / 36 + blur.varianceXy;
    return SpatialMixture.refine(r.faintPoints, r.faintWeights, centres, variance, settings.seedLengthMm());
  }

  /** n seeds around the object's centre, {@code spacing} apart along {@code direction}. */
  private static double[][] around(Region r, int n, double spacing, double[] direction) {
    double[][] centres = new double[n][3];
    for (int s = 0; s < n; s++) {
      double offset = (s - (n - 1) / 2.0) * spacing;
      for (int a = 0; a < 3; a++) {
        centres[s][a] = r.moments.centre[a] + offset * direction[a];
      }
    }
    return centres;
  }
}
