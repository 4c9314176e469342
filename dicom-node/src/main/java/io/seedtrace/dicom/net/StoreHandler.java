package io.seedtrace.dicom.net;

import java.io.IOException;

/**
 * Receives the data set of a C-STORE as it arrives, fragment by fragment, so that no instance has
 * to fit in memory. The spool implements it.
 */
public interface StoreHandler {

  /** Starts receiving one instance. */
  Sink begin(StoreContext context) throws IOException;

  /**
   * The association that carried instances ended: orderly ({@code released}) or not (aborted,
   * connection lost, timed out). Called after the last instance's outcome.
   */
  default void associationEnded(String associationId, boolean released) {}

  /**
   * Who sent what: for the file meta group and for policy checks.
   *
   * @param associationId identifies the association within this process; null when there is none
   */
  record StoreContext(String callingAe, String remoteAddress, String sopClassUid, String sopInstanceUid,
      String transferSyntaxUid, String associationId) {

    /** A store outside any association. */
    public StoreContext(String callingAe, String remoteAddress, String sopClassUid, String sopInstanceUid,
        String transferSyntaxUid) {
      this(callingAe, remoteAddress, sopClassUid, sopInstanceUid, transferSyntaxUid, null);
    }
  }

  /** Where the fragments of one data set go. */
  interface Sink {
    /** The next bytes of the data set; valid only during the call. */
    void write(byte[] bytes, int offset, int length) throws IOException;

    default void write(byte[] fragment) throws IOException {
      write(fragment, 0, fragment.length);
    }

    /**
     * Called after the last fragment; the instance must be durable when this returns a success.
     *
     * @return the DIMSE status for the C-STORE response
     */
    Outcome complete();

    /** The association ended before the last fragment: leave nothing behind. */
    void abandon();
  }

  /** DIMSE status and, for failures, a comment. */
  record Outcome(int status, String comment) {
    public static Outcome success() {
      return new Outcome(Dimse.SUCCESS, null);
    }
  }
}
