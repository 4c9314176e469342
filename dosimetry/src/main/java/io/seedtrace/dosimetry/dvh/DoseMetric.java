package io.seedtrace.dosimetry.dvh;

/**
 * One dose-volume figure of an implant.
 *
 * @param code the metric's code, e.g. {@code dose-d90} (SeedTrace's code system, docs/dosimetry.md)
 * @param display what it is, in words
 * @param structure the name of the structure it was computed on (ROI Name)
 * @param value the figure
 * @param unit UCUM: {@code Gy}, {@code %} or {@code cm3}
 */
public record DoseMetric(String code, String display, String structure, double value, String unit) {}
