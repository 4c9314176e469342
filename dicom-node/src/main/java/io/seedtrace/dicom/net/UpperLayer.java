package io.seedtrace.dicom.net;

import java.util.EnumMap;
import java.util.Map;

/**
 * The DICOM Upper Layer state machine (PS3.8 section 9.2, table 9-10) written out as data: the
 * states, the events, and for each (state, event) the action and the next state. Every cell not
 * listed is illegal and gets {@link Action#AA8}: send A-ABORT (unexpected PDU) and wait for the
 * transport to close. {@link Association} looks up each event here before it acts.
 */
public final class UpperLayer {

  /** PS3.8 states Sta1..Sta13. */
  public enum State {
    STA1_IDLE, STA2_AWAITING_ASSOCIATE_RQ, STA3_AWAITING_LOCAL_ASSOCIATE_RESPONSE,
    STA4_AWAITING_TRANSPORT_OPEN, STA5_AWAITING_ASSOCIATE_AC_OR_RJ, STA6_ESTABLISHED,
    STA7_AWAITING_RELEASE_RP, STA8_AWAITING_LOCAL_RELEASE_RESPONSE, STA9_COLLISION_REQUESTOR,
    STA10_COLLISION_ACCEPTOR, STA11_COLLISION_REQUESTOR_RP, STA12_COLLISION_ACCEPTOR_RP,
    STA13_AWAITING_TRANSPORT_CLOSE
  }

  /** PS3.8 events Evt1..Evt19 (names shortened). */
  public enum Event {
    EVT1_ASSOCIATE_REQUEST_LOCAL, EVT2_TRANSPORT_CONFIRM, EVT3_ASSOCIATE_AC_RECEIVED,
    EVT4_ASSOCIATE_RJ_RECEIVED, EVT5_TRANSPORT_INDICATION, EVT6_ASSOCIATE_RQ_RECEIVED,
    EVT7_ASSOCIATE_ACCEPT_LOCAL, EVT8_ASSOCIATE_REJECT_LOCAL, EVT9_P_DATA_REQUEST_LOCAL,
    EVT10_P_DATA_RECEIVED, EVT11_RELEASE_REQUEST_LOCAL, EVT12_RELEASE_RQ_RECEIVED,
    EVT13_RELEASE_RP_RECEIVED, EVT14_RELEASE_RESPONSE_LOCAL, EVT15_ABORT_REQUEST_LOCAL,
    EVT16_ABORT_RECEIVED, EVT17_TRANSPORT_CLOSED, EVT18_ARTIM_EXPIRED, EVT19_INVALID_PDU
  }

  /** PS3.8 actions (only those a non-colliding SCP/SCU needs; collisions abort). */
  public enum Action {
    AE1_OPEN_TRANSPORT, AE2_SEND_ASSOCIATE_RQ, AE3_CONFIRM_ACCEPT, AE4_CONFIRM_REJECT_CLOSE,
    AE5_START_ARTIM, AE6_STOP_ARTIM_INDICATE_RQ, AE7_SEND_ASSOCIATE_AC, AE8_SEND_ASSOCIATE_RJ_START_ARTIM,
    DT1_SEND_P_DATA, DT2_INDICATE_P_DATA,
    AR1_SEND_RELEASE_RQ, AR2_INDICATE_RELEASE, AR3_CONFIRM_RELEASE_CLOSE, AR4_SEND_RELEASE_RP_START_ARTIM,
    AR5_STOP_ARTIM, AR6_INDICATE_P_DATA, AR7_SEND_P_DATA,
    AA1_SEND_ABORT, AA2_STOP_ARTIM_CLOSE, AA3_INDICATE_ABORT_CLOSE, AA4_INDICATE_PROVIDER_ABORT,
    AA5_STOP_ARTIM, AA6_IGNORE, AA7_SEND_ABORT, AA8_SEND_ABORT_INDICATE
  }

  /** The cell of the table: what to do and where to go. */
  public record Transition(Action action, State next) {}

  private static final Map<State, Map<Event, Transition>> TABLE = new EnumMap<>(State.class);

  private static void cell(State state, Event event, Action action, State next) {
    TABLE.computeIfAbsent(state, s -> new EnumMap<>(Event.class)).put(event, new Transition(action, next));
  }

  static {
    State s1 = State.STA1_IDLE;
    State s2 = State.STA2_AWAITING_ASSOCIATE_RQ;
    State s3 = State.STA3_AWAITING_LOCAL_ASSOCIATE_RESPONSE;
    State s4 = State.STA4_AWAITING_TRANSPORT_OPEN;
    State s5 = State.STA5_AWAITING_ASSOCIATE_AC_OR_RJ;
    State s6 = State.STA6_ESTABLISHED;
    State s7 = State.STA7_AWAITING_RELEASE_RP;
    State s8 = State.STA8_AWAITING_LOCAL_RELEASE_RESPONSE;
    State s13 = State.STA13_AWAITING_TRANSPORT_CLOSE;
    // Requestor
    cell(s1, Event.EVT1_ASSOCIATE_REQUEST_LOCAL, Action.AE1_OPEN_TRANSPORT, s4);
    cell(s4, Event.EVT2_TRANSPORT_CONFIRM, Action.AE2_SEND_ASSOCIATE_RQ, s5);
    cell(s5, Event.EVT3_ASSOCIATE_AC_RECEIVED, Action.AE3_CONFIRM_ACCEPT, s6);
    cell(s5, Event.EVT4_ASSOCIATE_RJ_RECEIVED, Action.AE4_CONFIRM_REJECT_CLOSE, s1);
    // Acceptor
    cell(s1, Event.EVT5_TRANSPORT_INDICATION, Action.AE5_START_ARTIM, s2);
    cell(s2, Event.EVT6_ASSOCIATE_RQ_RECEIVED, Action.AE6_STOP_ARTIM_INDICATE_RQ, s3);
    cell(s3, Event.EVT7_ASSOCIATE_ACCEPT_LOCAL, Action.AE7_SEND_ASSOCIATE_AC, s6);
    cell(s3, Event.EVT8_ASSOCIATE_REJECT_LOCAL, Action.AE8_SEND_ASSOCIATE_RJ_START_ARTIM, s13);
    // Data transfer
    cell(s6, Event.EVT9_P_DATA_REQUEST_LOCAL, Action.DT1_SEND_P_DATA, s6);
    cell(s6, Event.EVT10_P_DATA_RECEIVED, Action.DT2_INDICATE_P_DATA, s6);
    // Release
    cell(s6, Event.EVT11_RELEASE_REQUEST_LOCAL, Action.AR1_SEND_RELEASE_RQ, s7);
    cell(s6, Event.EVT12_RELEASE_RQ_RECEIVED, Action.AR2_INDICATE_RELEASE, s8);
    cell(s7, Event.EVT13_RELEASE_RP_RECEIVED, Action.AR3_CONFIRM_RELEASE_CLOSE, s1);
    cell(s7, Event.EVT10_P_DATA_RECEIVED, Action.AR6_INDICATE_P_DATA, s7);
    cell(s8, Event.EVT14_RELEASE_RESPONSE_LOCAL, Action.AR4_SEND_RELEASE_RP_START_ARTIM, s13);
    cell(s8, Event.EVT9_P_DATA_REQUEST_LOCAL, Action.AR7_SEND_P_DATA, s8);
    cell(s13, Event.EVT17_TRANSPORT_CLOSED, Action.AR5_STOP_ARTIM, s1);
    // Abort and transport failures, in every state where they can happen
    for (State s : new State[] {s3, s5, s6, s7, s8}) {
      cell(s, Event.EVT15_ABORT_REQUEST_LOCAL, Action.AA1_SEND_ABORT, s13);
      cell(s, Event.EVT16_ABORT_RECEIVED, Action.AA3_INDICATE_ABORT_CLOSE, s1);
      cell(s, Event.EVT17_TRANSPORT_CLOSED, Action.AA4_INDICATE_PROVIDER_ABORT, s1);
    }
    cell(s4, Event.EVT15_ABORT_REQUEST_LOCAL, Action.AA2_STOP_ARTIM_CLOSE, s1);
    cell(s4, Event.EVT17_TRANSPORT_CLOSED, Action.AA4_INDICATE_PROVIDER_ABORT, s1);
    cell(s2, Event.EVT16_ABORT_RECEIVED, Action.AA2_STOP_ARTIM_CLOSE, s1);
    cell(s2, Event.EVT17_TRANSPORT_CLOSED, Action.AA5_STOP_ARTIM, s1);
    cell(s2, Event.EVT18_ARTIM_EXPIRED, Action.AA2_STOP_ARTIM_CLOSE, s1);
    cell(s2, Event.EVT19_INVALID_PDU, Action.AA1_SEND_ABORT, s13);
    cell(s13, Event.EVT18_ARTIM_EXPIRED, Action.AA2_STOP_ARTIM_CLOSE, s1);
    cell(s13, Event.EVT16_ABORT_RECEIVED, Action.AA2_STOP_ARTIM_CLOSE, s1);
    for (Event ignored : new Event[] {Event.EVT3_ASSOCIATE_AC_RECEIVED, Event.EVT4_ASSOCIATE_RJ_RECEIVED,
        Event.EVT6_ASSOCIATE_RQ_RECEIVED, Event.EVT10_P_DATA_RECEIVED, Event.EVT12_RELEASE_RQ_RECEIVED,
        Event.EVT13_RELEASE_RP_RECEIVED, Event.EVT19_INVALID_PDU}) {
      cell(s13, ignored, Action.AA6_IGNORE, s13);
    }
    // Requestor asked to release while we still awaited the association answer: abort.
    for (State s : new State[] {s3, s5, s6, s7, s8}) {
      cell(s, Event.EVT19_INVALID_PDU, Action.AA8_SEND_ABORT_INDICATE, s13);
    }
  }

  private UpperLayer() {}

  /** The transition for {@code event} in {@code state}; A-ABORT to Sta13 when the cell is empty. */
  public static Transition next(State state, Event event) {
    Transition t = TABLE.getOrDefault(state, Map.of()).get(event);
    if (t != null) {
      return t;
    }
    if (state == State.STA1_IDLE) {
      return new Transition(Action.AA6_IGNORE, State.STA1_IDLE);
    }
    return new Transition(Action.AA8_SEND_ABORT_INDICATE, State.STA13_AWAITING_TRANSPORT_CLOSE);
  }

  /** The event a received PDU raises. */
  public static Event eventFor(Pdu pdu) {
    if (pdu instanceof Pdu.AssociateRq) {
      return Event.EVT6_ASSOCIATE_RQ_RECEIVED;
    } else if (pdu instanceof Pdu.AssociateAc) {
      return Event.EVT3_ASSOCIATE_AC_RECEIVED;
    } else if (pdu instanceof Pdu.AssociateRj) {
      return Event.EVT4_ASSOCIATE_RJ_RECEIVED;
    } else if (pdu instanceof Pdu.PDataTf) {
      return Event.EVT10_P_DATA_RECEIVED;
    } else if (pdu instanceof Pdu.ReleaseRq) {
      return Event.EVT12_RELEASE_RQ_RECEIVED;
    } else if (pdu instanceof Pdu.ReleaseRp) {
      return Event.EVT13_RELEASE_RP_RECEIVED;
    }
    return Event.EVT16_ABORT_RECEIVED;
  }
}
