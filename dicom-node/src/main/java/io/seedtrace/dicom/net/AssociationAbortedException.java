package io.seedtrace.dicom.net;

import java.io.IOException;

/** The association ended by an A-ABORT, a rejection or a lost connection; says which and why. */
public class AssociationAbortedException extends IOException {

  public AssociationAbortedException(String message) {
    super(message);
  }
}
