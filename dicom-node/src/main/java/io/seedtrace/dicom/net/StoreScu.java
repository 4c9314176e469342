package io.seedtrace.dicom.net;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.DicomFormatException;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.net.UpperLayer.Event;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

  private final Association as;
  private final Map<String, Integer> contextBySopClass = new LinkedHashMap<>();
  private final Map<Integer, String> transferSyntaxByContext = new LinkedHashMap<>();
  private int messageId = 1;

  private StoreScu(Association as) {
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
    return open(host, port, callingAe, calledAe, proposals, timeoutMillis, java.util.Optional.empty());
  }

  /**
   * As {@link #open(String, int, String, String, List, int)}, over DICOM TLS when settings are given
   * (the peer's certificate must be trusted and name {@code host}).
   */
  public static StoreScu open(String host, int port, String callingAe, String calledAe, List<Proposal> proposals,
      int timeoutMillis, java.util.Optional<TlsSettings> tls) throws IOException {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(host, port), timeoutMillis);
    socket.setSoTimeout(timeoutMillis);
    if (tls.isPresent()) {
      try {
        socket = tls.get().connect(socket, host, port);
      } catch (IOException e) {
        socket.close();
        throw new IOException("DICOM TLS handshake with " + host + ":" + port + " failed: " + e.getMessage(), e);
      }
    }
    Association as = new Association(socket, 1L << 24);
    as.fire(Event.EVT1_ASSOCIATE_REQUEST_LOCAL);
    List<Pdu.ProposedContext> contexts = new ArrayList<>();
    int id = 1;
    contexts.add(new Pdu.ProposedContext(id, Dimse.VERIFICATION_SOP_CLASS, List.of("1.2.840.10008.1.2")));
    for (Proposal p : proposals) {
      id += 2;
      contexts.add(new Pdu.ProposedContext(id, p.sopClassUid(), p.transferSyntaxes()));
    }
    Pdu.AssociateRq rq = new Pdu.AssociateRq(calledAe, callingAe, Pdu.APPLICATION_CONTEXT, contexts,
        new Pdu.UserInfo(1 << 20, Part10.IMPLEMENTATION_CLASS_UID, Part10.IMPLEMENTATION_VERSION, 1, 1));
    as.fire(Event.EVT2_TRANSPORT_CONFIRM);
    as.sendRaw(rq);
    Pdu answer = as.receive();
    if (answer instanceof Pdu.AssociateRj rj) {
      as.close();
      throw new AssociationAbortedException("Association rejected by " + calledAe + " (result " + rj.result()
          + ", source " + rj.source() + ", reason " + rj.reason() + ")");
    }
    if (!(answer instanceof Pdu.AssociateAc ac)) {
      as.close();
      throw new AssociationAbortedException("No association answer from " + calledAe);
    }
    as.setPeerMaxPdu(ac.userInfo().maxPduLength());
    StoreScu scu = new StoreScu(as);
    for (Pdu.AcceptedContext c : ac.contexts()) {
      if (c.result() == Pdu.AcceptedContext.ACCEPTANCE) {
        String sopClass = contexts.stream().filter(p -> p.id() == c.id()).findFirst().orElseThrow().abstractSyntax();
        scu.contextBySopClass.putIfAbsent(sopClass, c.id());
        scu.transferSyntaxByContext.put(c.id(), c.transferSyntax());
      }
    }
    return scu;
  }

  /** The transfer syntax the peer accepted for a SOP class, if any. */
  public String acceptedTransferSyntax(String sopClassUid) {
    Integer id = contextBySopClass.get(sopClassUid);
    return id == null ? null : transferSyntaxByContext.get(id);
  }

  /** C-ECHO: returns the DIMSE status. */
  public int echo() throws IOException {
    Integer ctx = contextBySopClass.get(Dimse.VERIFICATION_SOP_CLASS);
    if (ctx == null) {
      throw new IOException("Peer did not accept Verification");
    }
    as.sendMessage(ctx, true, Dimse.encode(Dimse.echoRq(messageId++)));
    return awaitStatus();
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
    Integer ctx = contextBySopClass.get(sopClass);
    if (ctx == null) {
      throw new IOException("Peer accepted no presentation context for SOP class " + sopClass);
    }
    if (!file.transferSyntax().uid().equals(transferSyntaxByContext.get(ctx))) {
      throw new IOException("File is in " + file.transferSyntax().uid() + " but the peer accepted "
          + transferSyntaxByContext.get(ctx) + " for " + sopClass);
    }
    as.sendMessage(ctx, true, Dimse.encode(Dimse.storeRq(messageId++, sopClass, sopInstance)));
    byte[] body = new byte[part10File.length - file.dataSetOffset()];
    System.arraycopy(part10File, file.dataSetOffset(), body, 0, body.length);
    as.sendMessage(ctx, false, body);
    return awaitStatus();
  }

  private int awaitStatus() throws IOException {
    ByteArrayOutputStream command = new ByteArrayOutputStream();
    while (true) {
      Pdu pdu = as.receive();
      if (pdu == null) {
        throw new AssociationAbortedException("Association closed while awaiting a response");
      }
      for (Pdu.Pdv pdv : Association.pdvs(pdu)) {
        if (!pdv.command()) {
          continue;
        }
        command.writeBytes(pdv.data());
        if (pdv.last()) {
          try {
            DataSet rsp = Dimse.decode(command.toByteArray());
            return rsp.getInt(Tag.Status).orElseThrow(() -> new IOException("Response without status"));
          } catch (DicomFormatException e) {
            throw new IOException("Unreadable response: " + e.getMessage(), e);
          }
        }
      }
    }
  }

  /** Ends the association with an A-ABORT instead of a release, as a sender that gives up midway does. */
  public void abort() {
    as.abort();
  }

  /** Releases the association (A-RELEASE), waiting for the peer's answer. */
  @Override
  public void close() throws IOException {
    try {
      if (as.state() == UpperLayer.State.STA6_ESTABLISHED) {
        as.send(new Pdu.ReleaseRq(), Event.EVT11_RELEASE_REQUEST_LOCAL);
        while (as.state() == UpperLayer.State.STA7_AWAITING_RELEASE_RP) {
          if (as.receive() == null) {
            break;
          }
        }
      }
    } finally {
      as.close();
    }
  }
}
