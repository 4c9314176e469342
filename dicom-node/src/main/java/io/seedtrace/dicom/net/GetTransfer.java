package io.seedtrace.dicom.net;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.DicomFormatException;
import io.seedtrace.dicom.data.Tag;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * The requesting side of one C-GET (PS3.4 C.4.3) after its request was sent: the PACS sends the
 * instances as C-STORE sub-operations on our own association, between its C-GET pending responses.
 * Each sub-operation's data set is streamed, fragment by fragment, into a {@link StoreHandler} (the
 * node's spool, exactly as a pushed C-STORE) and answered with the store's status; the C-GET ends
 * with the PACS's final response.
 *
 * <p>Bounded: at most {@code maxSubOperations} instances are stored (further ones are refused and
 * the C-GET is cancelled), the whole operation must end before {@code deadline} (else A-ABORT),
 * each PDU within the association's read timeout, and a command set may not exceed 64 KiB. An
 * instance whose data set was cut off by the end of the association leaves nothing behind; those
 * stored before stay stored.
 */
final class GetTransfer implements PduReader.PdvReceiver {

  static final int C_GET_RSP = 0x8010;
  private static final int MAX_COMMAND_BYTES = 64 * 1024;
  /** C-STORE refusal once the sub-operation cap is reached (PS3.4 C.4.3: out of resources). */
  private static final int REFUSED_OUT_OF_RESOURCES = 0xA702;

  private final RequestorAssociation as;
  private final StoreHandler store;
  private final String peerAe;
  private final String associationId;
  private final int getMessageId;
  private final int getContext;
  private final int maxSubOperations;
  private final ByteArrayOutputStream commandBytes = new ByteArrayOutputStream();
  private DataSet command;
  private int commandContext;
  private StoreHandler.Sink sink;
  private boolean pdvIsCommand;
  private boolean pdvIsLast;
  private int pdvContext;
  private int storeRequests;
  private int stored;
  private int pending;
  private boolean cancelled;
  private final int[] counts = {-1, -1, -1};
  private QueryRetrieveScu.MoveResult result;

  GetTransfer(RequestorAssociation as, StoreHandler store, String peerAe, String associationId, int getMessageId,
      int getContext, int maxSubOperations) {
    this.as = as;
    this.store = store;
    this.peerAe = peerAe;
    this.associationId = associationId;
    this.getMessageId = getMessageId;
    this.getContext = getContext;
    this.maxSubOperations = maxSubOperations;
  }

  /**
   * Receives until the final C-GET response.
   *
   * @throws IOException if the association ends first, the deadline passes (the association is then
   *     aborted) or the PACS breaks the protocol
   */
  QueryRetrieveScu.MoveResult run(long deadlineNanos, String bound) throws IOException {
    try {
      while (result == null) {
        if (System.nanoTime() > deadlineNanos) {
          as.abort();
          throw new IOException("C-GET on " + peerAe + " took longer than " + bound + " (" + stored
              + " instances stored); association aborted");
        }
        Pdu pdu = as.receive(this);
        if (pdu == null || pdu != Association.STREAMED) {
          throw new AssociationAbortedException("Association with " + peerAe + " ended during a C-GET, after "
              + stored + " instances stored");
        }
      }
      return result;
    } finally {
      if (sink != null) {
        sink.abandon();
        sink = null;
      }
    }
  }

  @Override
  public void begin(int contextId, boolean isCommand, boolean last, long length) throws IOException {
    if (as.transferSyntax(contextId) == null) {
      throw abort("PDV on presentation context " + contextId + ", which was not accepted");
    }
    if (isCommand) {
      if (command != null) {
        throw abort("command fragment while a data set was expected");
      }
      if (commandBytes.size() + length > MAX_COMMAND_BYTES) {
        throw abort("command set larger than " + MAX_COMMAND_BYTES + " bytes");
      }
    } else if (command == null || contextId != commandContext) {
      throw abort("data set fragment without a command on its presentation context");
    }
    pdvIsCommand = isCommand;
    pdvIsLast = last;
    pdvContext = contextId;
  }

  @Override
  public void value(byte[] bytes, int offset, int length) throws IOException {
    if (pdvIsCommand) {
      commandBytes.write(bytes, offset, length);
    } else if (sink != null) {
      sink.write(bytes, offset, length);
    }
    // otherwise the identifier of a C-GET response or a refused instance: not kept
  }

  @Override
  public void end() throws IOException {
    if (!pdvIsLast) {
      return;
    }
    if (!pdvIsCommand) {
      dataSetEnded();
      return;
    }
    try {
      command = Dimse.decode(commandBytes.toByteArray());
    } catch (DicomFormatException e) {
      throw abort("unreadable command set: " + e.getMessage());
    }
    commandBytes.reset();
    commandContext = pdvContext;
    int field = command.getInt(Tag.CommandField).orElse(-1);
    if (field == Dimse.C_STORE_RQ) {
      beginStore();
    } else if (field == C_GET_RSP) {
      if (!Dimse.hasDataSet(command)) {
        getResponse();
      }
    } else {
      throw abort(String.format("command %04X during a C-GET", field));
    }
  }

  private void beginStore() throws IOException {
    if (!Dimse.hasDataSet(command)) {
      throw abort("C-STORE request without a data set");
    }
    storeRequests++;
    String sopClass = command.getString(Tag.AffectedSOPClassUID, "");
    String sopInstance = command.getString(Tag.AffectedSOPInstanceUID, "");
    if (storeRequests > maxSubOperations) {
      cancelOnce();
      return; // refused when its data set has arrived
    }
    if (!sopClass.equals(as.abstractSyntax(commandContext)) || sopInstance.isEmpty()) {
      return;
    }
    try {
      sink = store.begin(new StoreHandler.StoreContext(peerAe, as.remoteAddress(), sopClass, sopInstance,
          as.transferSyntax(commandContext), associationId));
    } catch (IOException e) {
      sink = null;
    }
  }

  private void dataSetEnded() throws IOException {
    int field = command.getInt(Tag.CommandField).orElse(-1);
    if (field == C_GET_RSP) {
      getResponse();
      return;
    }
    StoreHandler.Outcome outcome;
    if (sink != null) {
      outcome = sink.complete();
      sink = null;
    } else if (storeRequests > maxSubOperations) {
      outcome = new StoreHandler.Outcome(REFUSED_OUT_OF_RESOURCES, "More than " + maxSubOperations
          + " instances in one C-GET");
    } else if (!command.getString(Tag.AffectedSOPClassUID, "").equals(as.abstractSyntax(commandContext))) {
      outcome = new StoreHandler.Outcome(Dimse.DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
          "SOP class differs from the presentation context");
    } else {
      outcome = new StoreHandler.Outcome(Dimse.OUT_OF_RESOURCES, "Could not store the instance");
    }
    if (outcome.status() == Dimse.SUCCESS) {
      stored++;
    }
    as.send(commandContext, true, Dimse.encode(Dimse.response(command, outcome.status(), outcome.comment())));
    command = null;
  }

  private void getResponse() throws IOException {
    DataSet rsp = command;
    command = null;
    if (rsp.getInt(Tag.MessageIDBeingRespondedTo).orElse(-1) != getMessageId) {
      throw abort("C-GET response to message " + rsp.getInt(Tag.MessageIDBeingRespondedTo).orElse(-1)
          + ", not to ours");
    }
    counts[0] = rsp.getInt(Tag.NumberOfCompletedSuboperations).orElse(counts[0]);
    counts[1] = rsp.getInt(Tag.NumberOfFailedSuboperations).orElse(counts[1]);
    counts[2] = rsp.getInt(Tag.NumberOfWarningSuboperations).orElse(counts[2]);
    int status = rsp.getInt(Tag.Status).orElseThrow(() -> abort("C-GET response without status"));
    if (status == Dimse.PENDING || status == Dimse.PENDING_WARNING) {
      pending++;
      return;
    }
    int refused = storeRequests - stored;
    result = new QueryRetrieveScu.MoveResult(status, counts[0] < 0 ? stored : counts[0],
        counts[1] < 0 ? refused : Math.max(counts[1], refused), Math.max(counts[2], 0), pending);
  }

  private void cancelOnce() throws IOException {
    if (!cancelled) {
      cancelled = true;
      as.send(getContext, true, Dimse.encode(Dimse.cancelRq(getMessageId)));
    }
  }

  private AssociationAbortedException abort(String why) {
    as.abort();
    return new AssociationAbortedException("C-GET on " + peerAe + " aborted: " + why);
  }
}
