package io.seedtrace.dicom.data;

/** Input that is not a well-formed DICOM data set or file; the message says where and why. */
public class DicomFormatException extends Exception {

  public DicomFormatException(String message) {
    super(message);
  }

  public DicomFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
