package io.seedtrace.dicom.net;

import java.util.List;

/**
 * The protocol data units of the DICOM Upper Layer (PS3.8 section 9.3), as immutable values.
 * {@link PduCodec} turns them into bytes and back.
 */
public sealed interface Pdu {

  int A_ASSOCIATE_RQ = 0x01;
  int A_ASSOCIATE_AC = 0x02;
  int A_ASSOCIATE_RJ = 0x03;
  int P_DATA_TF = 0x04;
  int A_RELEASE_RQ = 0x05;
  int A_RELEASE_RP = 0x06;
  int A_ABORT = 0x07;

  String APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";

  /** A presentation context as proposed: id (odd), abstract syntax, transfer syntaxes. */
  record ProposedContext(int id, String abstractSyntax, List<String> transferSyntaxes) {
    public ProposedContext {
      transferSyntaxes = List.copyOf(transferSyntaxes);
    }
  }

  /** A presentation context as answered: result 0 acceptance, 1 user rejection, 2 no reason,
   * 3 abstract syntax not supported, 4 transfer syntaxes not supported. */
  record AcceptedContext(int id, int result, String transferSyntax) {
    public static final int ACCEPTANCE = 0;
    public static final int USER_REJECTION = 1;
    public static final int ABSTRACT_SYNTAX_NOT_SUPPORTED = 3;
    public static final int TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;
  }

  /** The user information the association negotiates besides presentation contexts. */
  record UserInfo(long maxPduLength, String implementationClassUid, String implementationVersion,
      int maxOpsInvoked, int maxOpsPerformed, List<RoleSelection> roles) {
    public UserInfo {
      roles = List.copyOf(roles);
    }

    /** Without SCP/SCU role selection (each side keeps its default role). */
    public UserInfo(long maxPduLength, String implementationClassUid, String implementationVersion,
        int maxOpsInvoked, int maxOpsPerformed) {
      this(maxPduLength, implementationClassUid, implementationVersion, maxOpsInvoked, maxOpsPerformed, List.of());
    }
  }

  /**
   * SCP/SCU Role Selection sub-item (PS3.7 D.3.3.4): for a SOP class, whether the requestor may be
   * SCU and SCP. A C-GET SCU proposes {@code scp=true} for the storage classes it wants to receive on
   * its own association; the acceptor answers with the roles it agrees to.
   */
  record RoleSelection(String sopClassUid, boolean scu, boolean scp) {}

  record AssociateRq(String calledAe, String callingAe, String applicationContext,
      List<ProposedContext> contexts, UserInfo userInfo) implements Pdu {
    public AssociateRq {
      contexts = List.copyOf(contexts);
    }
  }

  record AssociateAc(String calledAe, String callingAe, String applicationContext,
      List<AcceptedContext> contexts, UserInfo userInfo) implements Pdu {
    public AssociateAc {
      contexts = List.copyOf(contexts);
    }
  }

  /**
   * Rejection (PS3.8 table 9-21). result: 1 permanent, 2 transient. source: 1 service user,
   * 2 provider (ACSE), 3 provider (presentation). reason for source 1: 1 no reason, 2 application
   * context not supported, 3 calling AE not recognized, 7 called AE not recognized; for source 3:
   * 1 temporary congestion, 2 local limit exceeded.
   */
  record AssociateRj(int result, int source, int reason) implements Pdu {}

  /** One presentation data value: a fragment of a command or data set. */
  record Pdv(int contextId, boolean command, boolean last, byte[] data) {}

  record PDataTf(List<Pdv> pdvs) implements Pdu {
    public PDataTf {
      pdvs = List.copyOf(pdvs);
    }
  }

  record ReleaseRq() implements Pdu {}

  record ReleaseRp() implements Pdu {}

  /** Abort (PS3.8 table 9-26). source 0 service user, 2 service provider; reason (provider):
   * 0 not specified, 1 unrecognized PDU, 2 unexpected PDU, 4 unrecognized PDU parameter,
   * 5 unexpected PDU parameter, 6 invalid PDU parameter value. */
  record Abort(int source, int reason) implements Pdu {}
}
