/**
 * CT phantoms made by simulating the scanner rather than drawing the image.
 *
 * <p>{@link io.seedtrace.detection.phantom.scanned.ScannedPhantomGenerator#generate} turns a
 * {@link io.seedtrace.detection.phantom.scanned.ScanSpec} into a
 * {@link io.seedtrace.detection.phantom.Phantom}; {@link
 * io.seedtrace.detection.phantom.scanned.ScannedSuite#cases(long)} gives a fixed set of case types.
 *
 * <p>The chain, slice by slice:
 * <ol>
 *   <li>Patient: analytic solids (ellipsoids, cylinders, capsules) with tissues given as mixtures
 *       of water and cortical bone, painted in order with partial-volume coverage onto a grid of
 *       about 1 mm covering the whole body and couch, with tissue texture.</li>
 *   <li>Metal: seeds (titanium capsule with a silver, gold or tungsten core), gold fiducials and a
 *       titanium clip, sampled at 0.1 mm in thin planes across the slice profile.</li>
 *   <li>Projection: parallel-beam line integrals (Joseph's method for anatomy, sub-bin splatting
 *       for metal), with optional rigid patient motion between view groups.</li>
 *   <li>Detection: four energy bins of a 120 kVp spectrum, intensity averaged over the slice
 *       profile and over detector sub-bins, scatter, Poisson and electronic noise, scatter
 *       correction, log, water beam-hardening correction.</li>
 *   <li>Reconstruction: filtered back-projection with a soft, standard or sharp kernel, water
 *       calibration to HU, storage on an extended or 12-bit scale.</li>
 * </ol>
 */
package io.seedtrace.detection.phantom.scanned;
