package io.seedtrace.detection.fusion;

import io.seedtrace.detection.plan.RigidTransform;

/**
 * What a {@link MutualInformationRegistration} found.
 *
 * @param mrToCt maps MR patient coordinates (mm) onto CT patient coordinates
 * @param start {@link #SAME_FRAME} or {@link #CENTRES_OF_MASS}: where the search began
 * @param normalisedMutualInformation the measure at the result on the finest level (1 = unrelated, 2 = identical information)
 * @param overlap fraction of the finest level's CT samples that fall inside the MR at the result
 * @param restartSpreadMm how far apart (mm, at the corners of a 60 mm cube about the CT body's
 *     centre) the answers of the final search and of four restarts 2 mm and 2 degrees off it, each
 *     with a fresh draw of samples, lie: a small spread says this pair pins the motion down; it is a
 *     measure of precision, not of accuracy
 * @param evaluations evaluations of the measure over all levels
 * @param elapsedMillis wall-clock time of the whole registration
 */
public record FusionResult(RigidTransform mrToCt, String start, double normalisedMutualInformation, double overlap,
    double restartSpreadMm, int evaluations, long elapsedMillis) {

  /** Both series share a Frame of Reference UID: the search starts from their own coordinates. */
  public static final String SAME_FRAME = "same-frame-of-reference";
  /** Different frames: the search starts with the two bodies' centres laid on each other. */
  public static final String CENTRES_OF_MASS = "centres-of-mass";
}
