package io.seedtrace.dicom.web;

import java.io.IOException;

/** A multipart body that breaks RFC 2046 (or our limits on its headers): the sender's fault. */
public final class MalformedMultipartException extends IOException {
  public MalformedMultipartException(String message) {
    super(message);
  }
}
