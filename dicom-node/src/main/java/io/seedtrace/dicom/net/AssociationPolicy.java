package io.seedtrace.dicom.net;

import java.util.List;
import java.util.Set;

/**
 * What an acceptor agrees to (immutable): its AE title, who may call, what it accepts and its
 * limits. {@link #decide(Pdu.AssociateRq, String)} turns a request into an AC or RJ.
 *
 * @param aeTitle the called AE title we answer to
 * @param allowedCallingAeTitles calling AE titles accepted; {@code *} accepts any
 * @param allowedAddresses peer IP addresses accepted; {@code *} accepts any
 * @param abstractSyntaxes SOP classes accepted (Verification is always accepted); {@code *} for any;
 *     {@link #ALL_STORAGE} for every storage class of the standard ({@link StorageSopClasses})
 * @param transferSyntaxes transfer syntaxes accepted, in our order of preference; a trailing
 *     {@code *} accepts the peer's first proposal when none of ours is offered
 * @param maxPduReceive largest P-DATA-TF variable field we accept
 */
public record AssociationPolicy(String aeTitle, Set<String> allowedCallingAeTitles, Set<String> allowedAddresses,
    Set<String> abstractSyntaxes, List<String> transferSyntaxes, int maxPduReceive) {

  /** In {@code abstractSyntaxes}: every storage SOP class of the standard. */
  public static final String ALL_STORAGE = "storage";

  public AssociationPolicy {
    if (aeTitle == null || aeTitle.isBlank() || aeTitle.length() > 16) {
      throw new IllegalArgumentException("AE title must be 1 to 16 characters: '" + aeTitle + "'");
    }
    if (maxPduReceive < 4096) {
      throw new IllegalArgumentException("max PDU length must be at least 4096, got " + maxPduReceive);
    }
    allowedCallingAeTitles = Set.copyOf(allowedCallingAeTitles);
    allowedAddresses = Set.copyOf(allowedAddresses);
    abstractSyntaxes = Set.copyOf(abstractSyntaxes);
    transferSyntaxes = List.copyOf(transferSyntaxes);
  }

  /**
   * Our first preference among the proposed syntaxes, except that a compressed syntax the peer
   * proposes first, and we accept, is taken: the peer holds the data so, and DCMTK's storescu, for
   * one, proposes [compressed, native...] in one context but cannot decompress to send native.
   */
  private String choose(List<String> proposed) {
    String peerFirst = proposed.isEmpty() ? null : proposed.get(0);
    if (peerFirst != null && transferSyntaxes.contains(peerFirst)
        && !io.seedtrace.dicom.data.TransferSyntax.of(peerFirst).isNative()) {
      return peerFirst;
    }
    return transferSyntaxes.stream().filter(proposed::contains).findFirst()
        .orElse(transferSyntaxes.contains("*") && peerFirst != null ? peerFirst : null);
  }

  /** The outcome of an association request: an AC to send, or an RJ. */
  public record Decision(Pdu.AssociateAc accept, Pdu.AssociateRj reject) {}

  public Decision decide(Pdu.AssociateRq rq, String remoteAddress) {
    if (!Pdu.APPLICATION_CONTEXT.equals(rq.applicationContext())) {
      return new Decision(null, new Pdu.AssociateRj(1, 1, 2));
    }
    if (!aeTitle.equals(rq.calledAe())) {
      return new Decision(null, new Pdu.AssociateRj(1, 1, 7));
    }
    if (!allowedCallingAeTitles.contains("*") && !allowedCallingAeTitles.contains(rq.callingAe())) {
      return new Decision(null, new Pdu.AssociateRj(1, 1, 3));
    }
    if (!allowedAddresses.contains("*") && !allowedAddresses.contains(remoteAddress)) {
      return new Decision(null, new Pdu.AssociateRj(1, 1, 1));
    }
    List<Pdu.AcceptedContext> answers = new java.util.ArrayList<>();
    for (Pdu.ProposedContext pc : rq.contexts()) {
      boolean known = Dimse.VERIFICATION_SOP_CLASS.equals(pc.abstractSyntax()) || abstractSyntaxes.contains("*")
          || abstractSyntaxes.contains(pc.abstractSyntax())
          || abstractSyntaxes.contains(ALL_STORAGE) && StorageSopClasses.isStandardStorage(pc.abstractSyntax());
      if (!known) {
        answers.add(new Pdu.AcceptedContext(pc.id(), Pdu.AcceptedContext.ABSTRACT_SYNTAX_NOT_SUPPORTED, ""));
        continue;
      }
      String chosen = choose(pc.transferSyntaxes());
      answers.add(chosen == null
          ? new Pdu.AcceptedContext(pc.id(), Pdu.AcceptedContext.TRANSFER_SYNTAXES_NOT_SUPPORTED, "")
          : new Pdu.AcceptedContext(pc.id(), Pdu.AcceptedContext.ACCEPTANCE, chosen));
    }
    Pdu.UserInfo user = new Pdu.UserInfo(maxPduReceive, io.seedtrace.dicom.data.Part10.IMPLEMENTATION_CLASS_UID,
        io.seedtrace.dicom.data.Part10.IMPLEMENTATION_VERSION, 1, 1);
    return new Decision(new Pdu.AssociateAc(rq.calledAe(), rq.callingAe(), Pdu.APPLICATION_CONTEXT, answers, user), null);
  }
}
