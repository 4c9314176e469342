package io.seedtrace.detection.phantom.scanned;

import java.util.List;

/**
 * Everything metallic in the patient: the seeds, and the metal of seeds and of metal distractors
 * (gold fiducials, surgical clip) ready for rasterisation, with the distractors' centres.
 */
record Implant(List<PlacedSeed> seeds, List<MetalPart> metal, List<double[]> metalDistractors) {}
