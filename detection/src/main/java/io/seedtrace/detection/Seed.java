package io.seedtrace.detection;

/**
 * A detected seed: centre (LPS, mm), unit axis, confidence in [0, 1], and the cluster it came
 * from with that cluster's seed count (1 for an isolated seed).
 */
public record Seed(double[] centre, double[] axis, double confidence, int clusterId, int clusterSize) {}
