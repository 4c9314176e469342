package io.seedtrace.dicom.data;

/**
 * Value representations of PS3.5 section 6.2. {@link #longLength()} tells whether explicit VR
 * encoding uses the 2-byte reserved field and a 4-byte length (PS3.5 7.1.2).
 */
public enum Vr {
  AE(false), AS(false), AT(false), CS(false), DA(false), DS(false), DT(false), FL(false), FD(false),
  IS(false), LO(false), LT(false), OB(true), OD(true), OF(true), OL(true), OV(true), OW(true),
  PN(false), SH(false), SL(false), SQ(true), SS(false), ST(false), SV(true), TM(false), UC(true),
  UI(false), UL(false), UN(true), UR(true), US(false), UT(true), UV(true);

  private final boolean longLength;

  Vr(boolean longLength) {
    this.longLength = longLength;
  }

  public boolean longLength() {
    return longLength;
  }

  /** Whether values are text padded with spaces (or NUL for UI) to even length. */
  public boolean isText() {
    return switch (this) {
      case AE, AS, CS, DA, DS, DT, IS, LO, LT, PN, SH, ST, TM, UC, UI, UR, UT -> true;
      default -> false;
    };
  }

  /** Parses the two ASCII bytes of an explicit VR, or returns null when they name no VR. */
  public static Vr of(int b0, int b1) {
    if (b0 < 'A' || b0 > 'Z' || b1 < 'A' || b1 > 'Z') {
      return null;
    }
    try {
      return valueOf(new String(new char[] {(char) b0, (char) b1}));
    } catch (IllegalArgumentException unknown) {
      return null;
    }
  }
}
