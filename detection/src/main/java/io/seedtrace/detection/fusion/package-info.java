/**
 * Image fusion: the rigid motion that lays an MR of the patient onto the post-operative CT, found by
 * maximising the mutual information of their intensities
 * ({@link io.seedtrace.detection.fusion.MutualInformationRegistration}), so that what is outlined
 * on the MR (the prostate, the organs at risk) can be placed among the seeds found on the CT.
 * Plain Java, no imaging library; see docs/fusion.md for the method, its bounds and measured errors.
 */
package io.seedtrace.detection.fusion;
