package io.seedtrace.dicom.rt;

/**
 * A well-formed DICOM data set that cannot be used as an RT object for the seed comparison: wrong
 * SOP class, a missing frame of reference, no positions, a registration that is not rigid, or a value
 * that is not what the standard allows. The message names the attribute and is meant for the
 * physicist who has to fix the export.
 */
public class RtObjectException extends Exception {

  public RtObjectException(String message) {
    super(message);
  }

  public RtObjectException(String message, Throwable cause) {
    super(message, cause);
  }
}
