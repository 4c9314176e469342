package io.seedtrace.detection;

/** A bright object that was not counted, where it is, why, and the measurements behind it. */
public record RejectedCandidate(double[] centre, Rejection reason, String details) {}
