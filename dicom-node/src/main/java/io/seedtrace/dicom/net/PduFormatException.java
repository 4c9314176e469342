package io.seedtrace.dicom.net;

/** Bytes that are not a valid PDU; carries the A-ABORT reason to answer with (PS3.8 table 9-26). */
public class PduFormatException extends Exception {

  private final int abortReason;

  public PduFormatException(int abortReason, String message) {
    super(message);
    this.abortReason = abortReason;
  }

  public int abortReason() {
    return abortReason;
  }
}
