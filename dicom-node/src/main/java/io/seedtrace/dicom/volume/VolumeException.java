package io.seedtrace.dicom.volume;

/** A series that cannot be assembled into a volume; the message is meant for a physicist. */
public class VolumeException extends Exception {

  public VolumeException(String message) {
    super(message);
  }

  public VolumeException(String message, Throwable cause) {
    super(message, cause);
  }
}
