package io.seedtrace.dicom.net;

import io.seedtrace.dicom.net.UpperLayer.Action;
import io.seedtrace.dicom.net.UpperLayer.Event;
import io.seedtrace.dicom.net.UpperLayer.State;
import io.seedtrace.dicom.net.UpperLayer.Transition;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * One Upper Layer association over one socket, for either side. Every PDU received or sent moves
 * the {@link UpperLayer} table; an event that is illegal in the current state is answered with an
 * A-ABORT and the connection is closed. Not thread-safe: one thread drives one association.
 */
public class Association implements Closeable {

  private static final int RECEIVE_BUFFER = 256 * 1024;

  /** What {@link #receive(PduReader.PdvReceiver)} returns for a P-DATA-TF whose PDVs it streamed. */
  static final Pdu STREAMED = new Pdu.PDataTf(List.of());

  private final Socket socket;
  private final PduReader reader;
  private final OutputStream out;
  private State state = State.STA1_IDLE;
  private int peerMaxPdu = 16384;
  private final long receiveLimit;

  Association(Socket socket, long receiveLimit) throws IOException {
    socket.setTcpNoDelay(true);
    this.socket = socket;
    this.reader = new PduReader(socket.getInputStream(), RECEIVE_BUFFER);
    this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    this.receiveLimit = receiveLimit;
  }

  public State state() {
    return state;
  }

  String remoteAddress() {
    return socket.getInetAddress().getHostAddress();
  }

  void setPeerMaxPdu(long max) {
    // 0 means unlimited; cap our PDUs at 1 MiB anyway.
    this.peerMaxPdu = (int) (max == 0 ? 1 << 20 : Math.min(max, 1 << 20));
  }

  int peerMaxPdu() {
    return peerMaxPdu;
  }

  void setTimeout(int millis) throws IOException {
    socket.setSoTimeout(millis);
  }

  /** Applies an event to the state table; returns the action to perform. */
  Action fire(Event event) {
    Transition t = UpperLayer.next(state, event);
    state = t.next();
    return t.action();
  }

  /**
   * Reads the next PDU and moves the state machine. Returns null (after aborting or closing as
   * the table says) when the association ended instead.
   */
  Pdu receive() throws IOException {
    return receive(null);
  }

  /**
   * As {@link #receive()}, but with a receiver the PDVs of a P-DATA-TF are streamed to it as they
   * arrive, and {@link #STREAMED} is returned for that PDU.
   */
  Pdu receive(PduReader.PdvReceiver receiver) throws IOException {
    while (true) {
      PduReader.Header header;
      Pdu pdu = STREAMED;
      try {
        header = reader.readHeader(receiveLimit);
        if (receiver == null || header.type() != Pdu.P_DATA_TF) {
          pdu = reader.readBody(header);
        }
      } catch (SocketTimeoutException timeout) {
        timedOut();
        return null;
      } catch (PduFormatException bad) {
        throw invalid(bad);
      } catch (java.io.EOFException closed) {
        transportClosed();
        return null;
      }
      Action action = fire(pdu == STREAMED ? Event.EVT10_P_DATA_RECEIVED : UpperLayer.eventFor(pdu));
      switch (action) {
        case AA8_SEND_ABORT_INDICATE -> {
          sendRaw(new Pdu.Abort(2, PduCodec.UNEXPECTED_PDU));
          close();
          throw new AssociationAbortedException("Aborted: "
              + (pdu == STREAMED ? "P-DATA-TF" : pdu.getClass().getSimpleName()) + " not expected");
        }
        case AA3_INDICATE_ABORT_CLOSE, AA2_STOP_ARTIM_CLOSE -> {
          close();
          throw new AssociationAbortedException("Peer aborted the association"
              + (pdu instanceof Pdu.Abort a ? " (source " + a.source() + ", reason " + a.reason() + ")" : ""));
        }
        case AA6_IGNORE -> {
          if (pdu == STREAMED && !skip(header)) {
            return null;
          }
        }
        default -> {
          if (pdu == STREAMED && !stream(header, receiver)) {
            return null;
          }
          return pdu;
        }
      }
    }
  }

  private boolean stream(PduReader.Header header, PduReader.PdvReceiver receiver) throws IOException {
    try {
      reader.readPData(header, receiver);
      return true;
    } catch (SocketTimeoutException timeout) {
      timedOut();
      return false;
    } catch (PduFormatException bad) {
      throw invalid(bad);
    } catch (java.io.EOFException closed) {
      transportClosed();
      return false;
    }
  }

  private boolean skip(PduReader.Header header) throws IOException {
    try {
      reader.skipBody(header);
      return true;
    } catch (SocketTimeoutException timeout) {
      timedOut();
      return false;
    } catch (java.io.EOFException closed) {
      transportClosed();
      return false;
    }
  }

  private void timedOut() {
    Action a = fire(state == State.STA2_AWAITING_ASSOCIATE_RQ || state == State.STA13_AWAITING_TRANSPORT_CLOSE
        ? Event.EVT18_ARTIM_EXPIRED : Event.EVT15_ABORT_REQUEST_LOCAL);
    if (a == Action.AA1_SEND_ABORT) {
      try {
        sendRaw(new Pdu.Abort(0, 0));
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    close();
  }

  private AssociationAbortedException invalid(PduFormatException bad) throws IOException {
    fire(Event.EVT19_INVALID_PDU);
    sendRaw(new Pdu.Abort(2, bad.abortReason()));
    close();
    return new AssociationAbortedException("Aborted: " + bad.getMessage());
  }

  private void transportClosed() {
    fire(Event.EVT17_TRANSPORT_CLOSED);
    close();
  }

  /** Sends a PDU after checking the local event is legal now. */
  void send(Pdu pdu, Event event) throws IOException {
    Action action = fire(event);
    if (action == Action.AA8_SEND_ABORT_INDICATE) {
      sendRaw(new Pdu.Abort(2, 0));
      close();
      throw new AssociationAbortedException("Illegal local event " + event + " in this state");
    }
    sendRaw(pdu);
  }

  void sendRaw(Pdu pdu) throws IOException {
    if (socket.isClosed()) {
      return;
    }
    out.write(PduCodec.encode(pdu));
    out.flush();
  }

  /** Sends a command or data set as P-DATA-TF PDUs no larger than the peer accepts. */
  void sendMessage(int contextId, boolean command, byte[] bytes) throws IOException {
    int chunk = Math.max(1, peerMaxPdu - 6);
    int off = 0;
    do {
      int n = Math.min(chunk, bytes.length - off);
      byte[] part = new byte[n];
      System.arraycopy(bytes, off, part, 0, n);
      off += n;
      send(new Pdu.PDataTf(List.of(new Pdu.Pdv(contextId, command, off >= bytes.length, part))),
          Event.EVT9_P_DATA_REQUEST_LOCAL);
    } while (off < bytes.length);
  }

  void abort() {
    try {
      if (state != State.STA1_IDLE && !socket.isClosed()) {
        fire(Event.EVT15_ABORT_REQUEST_LOCAL);
        sendRaw(new Pdu.Abort(0, 0));
      }
    } catch (IOException ignored) {
      // the connection is being torn down anyway
    } finally {
      close();
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  static List<Pdu.Pdv> pdvs(Pdu pdu) {
    return pdu instanceof Pdu.PDataTf p ? p.pdvs() : new ArrayList<>();
  }
}
