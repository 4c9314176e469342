package io.seedtrace.server.network;

import io.seedtrace.server.alerts.AdminChannel;
import java.util.List;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells of each new alert of the authority's ledger: the authority's own administrator
 * (Communication {@code authority-<kind>}) and each organisation concerned that is a trusted
 * hospital or manufacturer peer, by a signed {@code custody-discrepancy} message through the
 * outbox (ordered per cartridge, retried for days). The receiving node keeps it as a SeedAlert
 * for its administrators ({@link MessageApplication}). An organisation that is no peer (an unknown
 * node) is only named to the administrator.
 */
public final class AuthorityNotices implements Consumer<SourceLedger.Raised> {

  private static final Logger LOG = LoggerFactory.getLogger(AuthorityNotices.class);
  private final AdminChannel admin;
  private final CustodySender sender;
  private final NodeProperties node;

  public AuthorityNotices(AdminChannel admin, CustodySender sender, NodeProperties node) {
    this.admin = admin;
    this.sender = sender;
    this.node = node;
  }

  @Override
  public void accept(SourceLedger.Raised alert) {
    admin.tell("authority-" + alert.kind(), alert.detail(), null);
    for (String organisation : alert.organisations()) {
      NodeProperties.Peer peer = node.peers().get(organisation);
      if (alert.serial() == null || peer == null || peer.revoked() || !CustodyEvent.DISCREPANCY.goesTo(peer.role())) {
        continue;
      }
      try {
        sender.send(CustodyEvent.DISCREPANCY, organisation, "alert:" + alert.serial(), List.of(focus(alert)),
            "node:" + node.organization().id());
      } catch (RuntimeException e) {
        // the alert is in the ledger and with the administrator; the organisation learns of it by query
        LOG.error("the {} alert about {} could not be queued for {}", alert.kind(), alert.serial(), organisation, e);
      }
    }
  }

  /** The message's focus: the cartridge serial, the alert kind and the sentence. */
  static Parameters focus(SourceLedger.Raised alert) {
    Parameters p = new Parameters();
    p.addParameter().setName("serial").setValue(new StringType(alert.serial()));
    p.addParameter().setName("kind").setValue(new StringType(alert.kind()));
    p.addParameter().setName("detail").setValue(new StringType(alert.detail()));
    return p;
  }
}
