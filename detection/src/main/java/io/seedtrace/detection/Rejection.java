package io.seedtrace.detection;

/**
 * Why a bright object is not counted as a seed. {@code NOT_A_SEED_CHAIN}: it holds more bright
 * mass than seeds of its size could (bone, contrast, a dense structure), so it is not split into seeds.
 * {@code NO_METAL}: on thin slices, its peak is that of tissue, not of a seed's metal marker ({@link
 * MetalEvidence}).
 */
public enum Rejection {
  BONE, CALCIFICATION, SURGICAL_CLIP, GOLD_FIDUCIAL, CUT_BY_SCAN_EDGE, TOO_SMALL, NOT_A_SEED_CHAIN, NO_METAL
}
