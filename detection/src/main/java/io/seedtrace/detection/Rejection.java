package io.seedtrace.detection;

/** Why a bright object is not counted as a seed. */
public enum Rejection {
  BONE, CALCIFICATION, SURGICAL_CLIP, GOLD_FIDUCIAL, CUT_BY_SCAN_EDGE, TOO_SMALL
}
