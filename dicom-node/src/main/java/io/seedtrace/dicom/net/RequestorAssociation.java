package io.seedtrace.dicom.net;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.DataSetReader;
import io.seedtrace.dicom.data.DicomFormatException;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.net.UpperLayer.Event;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The requesting side of one association, shared by our SCUs ({@link StoreScu},
 * {@link QueryRetrieveScu}): connects, proposes presentation contexts (Verification always),
 * remembers what the peer accepted, sends DIMSE messages and reads responses with their data set,
 * and releases. Every read waits at most the socket timeout; a response's data set may not exceed
 * a size limit.
 */
final class RequestorAssociation implements Closeable {

  /** A response: its command set and, when it has one, its data set (else null). */
  record Response(DataSet command, DataSet dataSet) {
    int status() throws IOException {
      return command.getInt(Tag.Status).orElseThrow(() -> new IOException("Response without status"));
    }
  }

  private final Association as;
  private final Map<String, Integer> contextBySopClass = new LinkedHashMap<>();
  private final Map<Integer, String> transferSyntaxByContext = new LinkedHashMap<>();
  private final Map<Integer, String> abstractSyntaxByContext = new LinkedHashMap<>();
  private final java.util.Set<String> scpRoles = new java.util.HashSet<>();
  private int messageId = 1;

  private RequestorAssociation(Association as) {
    this.as = as;
  }

  /**
   * Connects and negotiates the proposals (Verification is always proposed too).
   *
   * @throws AssociationAbortedException if the peer rejects or aborts the association
   * @throws IOException if the peer cannot be reached or does not answer within the timeout
   */
  static RequestorAssociation open(String host, int port, String callingAe, String calledAe,
      List<StoreScu.Proposal> proposals, int timeoutMillis, Optional<TlsSettings> tls) throws IOException {
    return open(host, port, callingAe, calledAe, proposals, List.of(), timeoutMillis, tls);
  }

  /**
   * As {@link #open(String, int, String, String, List, int, Optional)}, proposing SCP/SCU role
   * selection items too (a C-GET SCU asks to be SCP of the storage classes it receives).
   */
  static RequestorAssociation open(String host, int port, String callingAe, String calledAe,
      List<StoreScu.Proposal> proposals, List<Pdu.RoleSelection> roles, int timeoutMillis, Optional<TlsSettings> tls)
      throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
    } catch (IOException e) {
      socket.close();
      String message = "Cannot connect to " + calledAe + " at " + host + ":" + port + ": " + e.getMessage();
      // keep the kind: a caller may wait for a peer that is still starting (ConnectException)
      IOException named = e instanceof ConnectException ? new ConnectException(message) : new IOException(message);
      named.initCause(e);
      throw named;
    }
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
    for (StoreScu.Proposal p : proposals) {
      id += 2;
      contexts.add(new Pdu.ProposedContext(id, p.sopClassUid(), p.transferSyntaxes()));
    }
    Pdu.AssociateRq rq = new Pdu.AssociateRq(calledAe, callingAe, Pdu.APPLICATION_CONTEXT, contexts,
        new Pdu.UserInfo(1 << 20, Part10.IMPLEMENTATION_CLASS_UID, Part10.IMPLEMENTATION_VERSION, 1, 1, roles));
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
    RequestorAssociation requestor = new RequestorAssociation(as);
    for (Pdu.AcceptedContext c : ac.contexts()) {
      if (c.result() == Pdu.AcceptedContext.ACCEPTANCE) {
        String sopClass = contexts.stream().filter(p -> p.id() == c.id()).findFirst().orElseThrow().abstractSyntax();
        requestor.contextBySopClass.putIfAbsent(sopClass, c.id());
        requestor.transferSyntaxByContext.put(c.id(), c.transferSyntax());
        requestor.abstractSyntaxByContext.put(c.id(), sopClass);
      }
    }
    for (Pdu.RoleSelection r : ac.userInfo().roles()) {
      boolean asked = roles.stream().anyMatch(p -> p.sopClassUid().equals(r.sopClassUid()) && p.scp());
      if (asked && r.scp()) {
        requestor.scpRoles.add(r.sopClassUid());
      }
    }
    return requestor;
  }

  /** The presentation context the peer accepted for a SOP class, or null. */
  Integer context(String sopClassUid) {
    return contextBySopClass.get(sopClassUid);
  }

  /** The transfer syntax accepted in a context. */
  String transferSyntax(int context) {
    return transferSyntaxByContext.get(context);
  }

  /** The abstract syntax of an accepted context, or null. */
  String abstractSyntax(int context) {
    return abstractSyntaxByContext.get(context);
  }

  /** Whether the peer agreed that we act as SCP of a SOP class (role selection answered with SCP). */
  boolean scpRoleAccepted(String sopClassUid) {
    return scpRoles.contains(sopClassUid);
  }

  String remoteAddress() {
    return as.remoteAddress();
  }

  /**
   * Reads the next PDU, streaming the PDVs of a P-DATA-TF to {@code receiver}; null when the
   * association ended (released by the peer, aborted, closed or silent beyond the timeout).
   */
  Pdu receive(PduReader.PdvReceiver receiver) throws IOException {
    return as.receive(receiver);
  }

  int nextMessageId() {
    return messageId++;
  }

  void send(int context, boolean command, byte[] bytes) throws IOException {
    as.sendMessage(context, command, bytes);
  }

  /**
   * Reads the next response: its command and, if the command announces one, its data set (at most
   * {@code maxDataSetBytes}, decoded in the context's transfer syntax).
   *
   * @throws IOException if the association ends, the peer is silent beyond the timeout, or the
   *     response cannot be read
   */
  Response receiveResponse(int maxDataSetBytes) throws IOException {
    ByteArrayOutputStream command = new ByteArrayOutputStream();
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    DataSet commandSet = null;
    int dataContext = 0;
    while (true) {
      Pdu pdu = as.receive();
      if (pdu == null) {
        throw new AssociationAbortedException("Association ended (closed or no answer in time) while awaiting a "
            + "response");
      }
      for (Pdu.Pdv pdv : Association.pdvs(pdu)) {
        if (pdv.command()) {
          command.writeBytes(pdv.data());
          if (pdv.last()) {
            commandSet = decodeCommand(command.toByteArray());
            if (!Dimse.hasDataSet(commandSet)) {
              return new Response(commandSet, null);
            }
          }
          continue;
        }
        if (data.size() + pdv.data().length > maxDataSetBytes) {
          as.abort();
          throw new IOException("A response data set is larger than " + maxDataSetBytes + " bytes; association aborted");
        }
        data.writeBytes(pdv.data());
        dataContext = pdv.contextId();
        if (pdv.last() && commandSet != null) {
          return new Response(commandSet, decodeData(data.toByteArray(), dataContext));
        }
      }
    }
  }

  private static DataSet decodeCommand(byte[] bytes) throws IOException {
    try {
      return Dimse.decode(bytes);
    } catch (DicomFormatException e) {
      throw new IOException("Unreadable response: " + e.getMessage(), e);
    }
  }

  private DataSet decodeData(byte[] bytes, int context) throws IOException {
    String ts = transferSyntaxByContext.get(context);
    if (ts == null) {
      throw new IOException("Response data set in presentation context " + context + ", which was not accepted");
    }
    try {
      return DataSetReader.read(bytes, 0, bytes.length, TransferSyntax.of(ts), bytes.length * 4L);
    } catch (DicomFormatException | RuntimeException e) {
      throw new IOException("Unreadable response data set: " + e.getMessage(), e);
    }
  }

  void abort() {
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
