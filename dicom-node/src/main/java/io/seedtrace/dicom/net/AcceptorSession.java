package io.seedtrace.dicom.net;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.DicomFormatException;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.net.UpperLayer.Event;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves one incoming association: negotiation by the {@link AssociationPolicy}, then C-ECHO,
 * C-STORE and (with a {@link QueryRetrieveScp}) C-FIND and C-MOVE requests one at a time
 * (asynchronous operations window 1), until release or abort. A C-CANCEL is not answered: the
 * C-FIND or C-MOVE it names has already ended when it is read.
 */
final class AcceptorSession implements Runnable {

  private static final Logger LOG = Logger.getLogger(AcceptorSession.class.getName());
  private static final int MAX_COMMAND_BYTES = 64 * 1024;

  private final Socket socket;
  private final AssociationPolicy policy;
  private final StoreHandler storeHandler;
  private final QueryRetrieveScp queryRetrieve;
  private final int artimMillis;
  private final int idleMillis;
  private final boolean overLimit;

  AcceptorSession(Socket socket, AssociationPolicy policy, StoreHandler storeHandler, QueryRetrieveScp queryRetrieve,
      int artimMillis, int idleMillis, boolean overLimit) {
    this.socket = socket;
    this.policy = policy;
    this.storeHandler = storeHandler;
    this.queryRetrieve = queryRetrieve;
    this.artimMillis = artimMillis;
    this.idleMillis = idleMillis;
    this.overLimit = overLimit;
  }

  @Override
  public void run() {
    Association as;
    try {
      as = new Association(socket, policy.maxPduReceive() + 1024L);
    } catch (IOException e) {
      closeQuietly();
      return;
    }
    try {
      serve(as);
    } catch (AssociationAbortedException e) {
      LOG.log(Level.FINE, "Association from {0} ended: {1}", new Object[] {as.remoteAddress(), e.getMessage()});
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "Association from " + as.remoteAddress() + " failed; aborting", e);
      as.abort();
    } finally {
      as.close();
    }
  }

  private void serve(Association as) throws IOException {
    as.fire(Event.EVT5_TRANSPORT_INDICATION);
    as.setTimeout(artimMillis);
    Pdu first = as.receive();
    if (!(first instanceof Pdu.AssociateRq rq)) {
      return;
    }
    if (overLimit) {
      as.send(new Pdu.AssociateRj(2, 3, 2), Event.EVT8_ASSOCIATE_REJECT_LOCAL);
      awaitClose(as);
      return;
    }
    AssociationPolicy.Decision decision = policy.decide(rq, as.remoteAddress());
    if (decision.reject() != null) {
      as.send(decision.reject(), Event.EVT8_ASSOCIATE_REJECT_LOCAL);
      awaitClose(as);
      return;
    }
    Pdu.AssociateAc ac = decision.accept();
    as.setPeerMaxPdu(rq.userInfo().maxPduLength());
    as.send(ac, Event.EVT7_ASSOCIATE_ACCEPT_LOCAL);
    Map<Integer, Pdu.AcceptedContext> accepted = new HashMap<>();
    Map<Integer, String> abstractSyntaxes = new HashMap<>();
    for (Pdu.AcceptedContext c : ac.contexts()) {
      if (c.result() == Pdu.AcceptedContext.ACCEPTANCE) {
        accepted.put(c.id(), c);
      }
    }
    for (Pdu.ProposedContext p : rq.contexts()) {
      abstractSyntaxes.put(p.id(), p.abstractSyntax());
    }
    as.setTimeout(idleMillis);
    transfer(as, rq.callingAe(), accepted, abstractSyntaxes);
  }

  private void transfer(Association as, String callingAe, Map<Integer, Pdu.AcceptedContext> accepted,
      Map<Integer, String> abstractSyntaxes) throws IOException {
    Transfer transfer = new Transfer(as, callingAe, accepted, abstractSyntaxes);
    boolean released = false;
    try {
      while (true) {
        Pdu pdu = as.receive(transfer);
        if (pdu == null) {
          return;
        }
        if (pdu instanceof Pdu.ReleaseRq) {
          released = true;
          as.send(new Pdu.ReleaseRp(), Event.EVT14_RELEASE_RESPONSE_LOCAL);
          awaitClose(as);
          return;
        }
      }
    } finally {
      transfer.abandon();
      storeHandler.associationEnded(transfer.id, released);
    }
  }

  /**
   * The DIMSE side of the established association: PDVs arrive in pieces; command fragments are
   * collected, data set fragments go straight to the store's sink, and each complete request is
   * answered.
   */
  private final class Transfer implements PduReader.PdvReceiver {
    private final Association as;
    private final String callingAe;
    private final Map<Integer, Pdu.AcceptedContext> accepted;
    private final Map<Integer, String> abstractSyntaxes;
    private final ByteArrayOutputStream commandBytes = new ByteArrayOutputStream();
    /** Names this association to the store, which tracks the series it carried. */
    private final String id = java.util.UUID.randomUUID().toString();
    private DataSet command;
    private int commandContext = -1;
    private StoreHandler.Sink sink;
    private boolean pdvIsCommand;
    private boolean pdvIsLast;
    private int pdvContext;

    Transfer(Association as, String callingAe, Map<Integer, Pdu.AcceptedContext> accepted,
        Map<Integer, String> abstractSyntaxes) {
      this.as = as;
      this.callingAe = callingAe;
      this.accepted = accepted;
      this.abstractSyntaxes = abstractSyntaxes;
    }

    @Override
    public void begin(int contextId, boolean isCommand, boolean last, long length) throws IOException {
      if (!accepted.containsKey(contextId)) {
        throw abort(as, "PDV on presentation context " + contextId + " that was not accepted");
      }
      if (isCommand) {
        if (command != null) {
          throw abort(as, "Command fragment while a data set was expected");
        }
        if (commandBytes.size() + length > MAX_COMMAND_BYTES) {
          throw abort(as, "Command set larger than " + MAX_COMMAND_BYTES + " bytes");
        }
      } else {
        if (command == null) {
          throw abort(as, "Data set fragment without a command");
        }
        if (contextId != commandContext) {
          throw abort(as, "Data set on another presentation context than its command");
        }
      }
      pdvIsCommand = isCommand;
      pdvIsLast = last;
      pdvContext = contextId;
    }

    @Override
    public void value(byte[] bytes, int offset, int length) throws IOException {
      if (pdvIsCommand) {
        commandBytes.write(bytes, offset, length);
      } else {
        sink.write(bytes, offset, length);
      }
    }

    @Override
    public void end() throws IOException {
      if (!pdvIsLast) {
        return;
      }
      if (pdvIsCommand) {
        try {
          command = Dimse.decode(commandBytes.toByteArray());
        } catch (DicomFormatException e) {
          throw abort(as, "Unreadable command set: " + e.getMessage());
        }
        commandBytes.reset();
        commandContext = pdvContext;
        if (!Dimse.hasDataSet(command)) {
          respond(as, commandContext, command, noDataSetRequest(command, abstractSyntaxes.get(commandContext)));
          command = null;
        } else {
          sink = beginStore(as, callingAe, id, command, accepted.get(commandContext),
              abstractSyntaxes.get(commandContext));
        }
      } else if (sink instanceof IdentifierSink identifier) {
        sink = null;
        queryOrRetrieve(as, callingAe, commandContext, command, identifier, accepted.get(commandContext),
            abstractSyntaxes.get(commandContext));
        command = null;
      } else {
        StoreHandler.Outcome outcome = sink.complete();
        sink = null;
        DataSet rsp = Dimse.response(command, outcome.status(), outcome.comment());
        as.sendMessage(commandContext, true, Dimse.encode(rsp));
        command = null;
      }
    }

    /** The association ended: a data set that was not complete leaves nothing behind. */
    void abandon() {
      if (sink != null) {
        sink.abandon();
        sink = null;
      }
    }
  }

  private StoreHandler.Sink beginStore(Association as, String callingAe, String associationId, DataSet command,
      Pdu.AcceptedContext context, String abstractSyntax) throws IOException {
    int field = command.getInt(Tag.CommandField).orElse(-1);
    if (queryRetrieve != null && (field == Dimse.C_FIND_RQ && QueryRetrieveScp.FIND_CLASSES.contains(abstractSyntax)
        || field == Dimse.C_MOVE_RQ && QueryRetrieveScp.MOVE_CLASSES.contains(abstractSyntax))) {
      return new IdentifierSink();
    }
    if (field != Dimse.C_STORE_RQ) {
      // another service with a data set: consume it, then answer "unrecognized operation"
      return new RefusingSink(new StoreHandler.Outcome(Dimse.UNRECOGNIZED_OPERATION, "Operation not supported"));
    }
    String sopClass = command.getString(Tag.AffectedSOPClassUID, "");
    String sopInstance = command.getString(Tag.AffectedSOPInstanceUID, "");
    if (!sopClass.equals(abstractSyntax) || sopInstance.isEmpty()) {
      return new RefusingSink(new StoreHandler.Outcome(Dimse.DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
          "SOP class differs from the presentation context or instance UID missing"));
    }
    return storeHandler.begin(new StoreHandler.StoreContext(callingAe, as.remoteAddress(), sopClass, sopInstance,
        context.transferSyntax(), associationId));
  }

  /** Answers a C-FIND or C-MOVE whose identifier has arrived, each response on the request's context. */
  private void queryOrRetrieve(Association as, String callingAe, int contextId, DataSet command,
      IdentifierSink identifier,
      Pdu.AcceptedContext context, String abstractSyntax) throws IOException {
    io.seedtrace.dicom.data.TransferSyntax ts = io.seedtrace.dicom.data.TransferSyntax.of(context.transferSyntax());
    QueryRetrieveScp.Responder out = (rsp, answer) -> {
      if (answer != null) {
        rsp.putUS(Tag.CommandDataSetType, Dimse.DATA_SET_PRESENT);
      }
      as.sendMessage(contextId, true, Dimse.encode(rsp));
      if (answer != null) {
        as.sendMessage(contextId, false, io.seedtrace.dicom.data.DataSetWriter.toBytes(answer, ts));
      }
    };
    QueryRetrieveScp.Caller caller = new QueryRetrieveScp.Caller(callingAe, as.remoteAddress());
    DataSet keys;
    try {
      keys = identifier.tooLong ? null : io.seedtrace.dicom.data.DataSetReader.read(identifier.bytes.toByteArray(), ts);
    } catch (DicomFormatException e) {
      keys = null;
    }
    if (keys == null) {
      out.send(Dimse.response(command, QueryRetrieveScp.UNABLE_TO_PROCESS, "identifier unreadable or too long"), null);
    } else if (command.getInt(Tag.CommandField).orElse(-1) == Dimse.C_FIND_RQ) {
      queryRetrieve.find(caller, abstractSyntax, command, keys, out);
    } else {
      queryRetrieve.move(caller, abstractSyntax, command, keys, out);
    }
  }

  private static int noDataSetRequest(DataSet command, String abstractSyntax) {
    int field = command.getInt(Tag.CommandField).orElse(-1);
    if (field == Dimse.C_ECHO_RQ && Dimse.VERIFICATION_SOP_CLASS.equals(abstractSyntax)) {
      return Dimse.SUCCESS;
    }
    return Dimse.UNRECOGNIZED_OPERATION;
  }

  private static void respond(Association as, int contextId, DataSet command, int status) throws IOException {
    if (command.getInt(Tag.CommandField).orElse(-1) == Dimse.C_CANCEL_RQ) {
      return; // a C-CANCEL has no response
    }
    as.sendMessage(contextId, true, Dimse.encode(Dimse.response(command, status, null)));
  }

  private static AssociationAbortedException abort(Association as, String why) {
    as.abort();
    return new AssociationAbortedException("Aborted: " + why);
  }

  private void awaitClose(Association as) throws IOException {
    as.setTimeout(artimMillis);
    while (as.state() != UpperLayer.State.STA1_IDLE && as.receive() != null) {
      // ignore whatever comes until the peer closes or ARTIM expires
    }
    as.close();
  }

  private void closeQuietly() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  /** Collects the identifier of a C-FIND or C-MOVE (at most {@value #MAX_COMMAND_BYTES} bytes are kept). */
  private static final class IdentifierSink implements StoreHandler.Sink {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private boolean tooLong;

    @Override
    public void write(byte[] b, int offset, int length) {
      if (bytes.size() + length > MAX_COMMAND_BYTES) {
        tooLong = true;
      } else {
        bytes.write(b, offset, length);
      }
    }

    @Override
    public StoreHandler.Outcome complete() {
      throw new IllegalStateException("an identifier is answered by the Query/Retrieve SCP");
    }

    @Override
    public void abandon() {}
  }

  /** Consumes a data set that is refused before it is stored. */
  private record RefusingSink(StoreHandler.Outcome outcome) implements StoreHandler.Sink {
    @Override
    public void write(byte[] bytes, int offset, int length) {}

    @Override
    public StoreHandler.Outcome complete() {
      return outcome;
    }

    @Override
    public void abandon() {}
  }
}
