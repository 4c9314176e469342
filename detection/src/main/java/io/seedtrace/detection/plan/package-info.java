/**
 * Comparison of the detected seed positions with the planned ones: rigid registration of the plan
 * onto the post-operative CT ({@link io.seedtrace.detection.plan.PointSetRegistration}), one-to-one
 * assignment of planned to detected seeds ({@link io.seedtrace.detection.plan.SeedMatcher}) and the
 * similarity score with its alarms ({@link io.seedtrace.detection.plan.PositionVerifier}). All
 * coordinates are millimetres; see docs/verification.md.
 */
package io.seedtrace.detection.plan;
