package io.seedtrace.dicom.net;

import io.seedtrace.dicom.data.DicomFormatException;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The requesting side: opens an association to a peer AE, sends C-ECHO and C-STORE requests one
 * at a time, and releases. Used to send results back to a PACS.
 *
 * <pre>{@code
 * try (StoreScu scu = StoreScu.open("pacs", 4242, "SEEDTRACE", "ORTHANC", List.of(ctImage), 10_000)) {
 *   int status = scu.store(file);   // Dimse.SUCCESS on success
 * }
 * }</pre>
 */
public final class StoreScu implements Closeable {

  private final RequestorAssociation as;

  private StoreScu(RequestorAssociation as) {
    this.as = as;
  }

  /** A SOP class to propose with the transfer syntaxes we can send it in. */
  public record Proposal(String sopClassUid, List<String> transferSyntaxes) {}

  /**
   * Connects and negotiates; Verification is always proposed too.
   *
   * @throws AssociationAbortedException if the peer rejects or aborts the association
   */
  public static StoreScu open(String host, int port, String callingAe, String calledAe, List<Proposal> proposals,
      int timeoutMillis) throws IOException {
    return open(host, port, callingAe, calledAe, proposals, timeoutMillis, Optional.empty());
  }

  /**
   * As {@link #open(String, int, String, String, List, int)}, over DICOM TLS when settings are given
   * (the peer's certificate must be trusted and name {@code host}).
   */
  public static StoreScu open(String host, int port, String callingAe, String calledAe, List<Proposal> proposals,
      int timeoutMillis, Optional<TlsSettings> tls) throws IOException {
    return new StoreScu(RequestorAssociation.open(host, port, callingAe, calledAe, proposals, timeoutMillis, tls));
  }

  /** The transfer syntax the peer accepted for a SOP class, if any. */
  public String acceptedTransferSyntax(String sopClassUid) {
    Integer id = as.context(sopClassUid);
    return id == null ? null : as.transferSyntax(id);
  }

  /** C-ECHO: returns the DIMSE status. */
  public int echo() throws IOException {
    Integer ctx = as.context(Dimse.VERIFICATION_SOP_CLASS);
    if (ctx == null) {
      throw new IOException("Peer did not accept Verification");
    }
    as.send(ctx, true, Dimse.encode(Dimse.echoRq(as.nextMessageId())));
    return as.receiveResponse(0).status();
  }

  /**
   * C-STORE of a Part 10 file whose transfer syntax the peer accepted for its SOP class.
   *
   * @return the DIMSE status of the response
   * @throws IOException if the peer accepted no context for it or the association failed
   */
  public int store(byte[] part10File) throws IOException {
    Part10.DicomFile file;
    try {
      file = Part10.read(part10File);
    } catch (DicomFormatException e) {
      throw new IOException("Not a sendable DICOM file: " + e.getMessage(), e);
    }
    String sopClass = file.dataSet().getString(Tag.SOPClassUID, "");
    String sopInstance = file.dataSet().getString(Tag.SOPInstanceUID, "");
    Integer ctx = as.context(sopClass);
    if (ctx == null) {
      throw new IOException("Peer accepted no presentation context for SOP class " + sopClass);
    }
    if (!file.transferSyntax().uid().equals(as.transferSyntax(ctx))) {
      throw new IOException("File is in " + file.transferSyntax().uid() + " but the peer accepted "
          + as.transferSyntax(ctx) + " for " + sopClass);
    }
    as.send(ctx, true, Dimse.encode(Dimse.storeRq(as.nextMessageId(), sopClass, sopInstance)));
    byte[] body = new byte[part10File.length - file.dataSetOffset()];
    System.arraycopy(part10File, file.dataSetOffset(), body, 0, body.length);
    as.send(ctx, false, body);
    return as.receiveResponse(0).status();
  }

  /** Ends the association with an A-ABORT instead of a release, as a sender that gives up midway does. */
  public void abort() {
    as.abort();
  }

  /** Releases the association (A-RELEASE), waiting for the peer's answer. */
  @Override
  public void close() throws IOException {
    as.close();
  }
}
