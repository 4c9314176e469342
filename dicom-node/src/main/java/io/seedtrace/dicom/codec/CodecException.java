package io.seedtrace.dicom.codec;

/** Compressed pixel data that cannot be decoded: malformed, hostile, or of a kind we do not decode. */
public final class CodecException extends Exception {

  public CodecException(String message) {
    super(message);
  }

  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
