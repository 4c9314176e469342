package io.seedtrace.detection.plan;

/**
 * How the plan was brought into the CT's frame of reference.
 *
 * @param transform maps plan coordinates into CT coordinates (mm)
 * @param residualMm root mean square distance of the retained nearest-neighbour pairs after the
 *     transform (the trimmed residual); reported with the result so that a poor registration is
 *     visible rather than silently blamed on the seeds. 0 (with no inliers) when one side is
 *     empty, so that the value can always be recorded
 * @param inliers pairs used by the last least-squares fit for {@link #TRIMMED_ICP}; otherwise the
 *     pairs behind the residual
 * @param iterations least-squares steps of the chosen start, polishing included; 0 when nothing was
 *     estimated
 * @param method one of {@link #GIVEN}, {@link #CENTROID}, {@link #TRIMMED_ICP}, {@link #NONE}
 */
public record Registration(RigidTransform transform, double residualMm, int inliers, int iterations, String method) {

  /** A transform supplied by the caller (same frame of reference or a DICOM Spatial Registration). */
  public static final String GIVEN = "given";
  /** Fewer than three points on one side: translation of centroid onto centroid only. */
  public static final String CENTROID = "centroid";
  /** The robust rigid registration of {@link PointSetRegistration}. */
  public static final String TRIMMED_ICP = "trimmed-icp";
  /** One side is empty: identity, nothing to register. */
  public static final String NONE = "none";

  public Registration {
    if (transform == null || method == null) {
      throw new IllegalArgumentException("transform and method are required");
    }
  }
}
