package io.seedtrace.server.alerts;

import io.seedtrace.routes.custody.AdminChannelRoute;
import io.seedtrace.server.custody.CustodyCodes;
import io.seedtrace.server.store.FhirStore;
import java.util.Date;
import org.apache.camel.ProducerTemplate;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages for the administrator: each is stored as a Communication labelled restricted (only the
 * admin role sees it, see {@link io.seedtrace.server.security.RestrictedResourceGuard}) and handed to the Camel admin channel
 * (log by default; more endpoints by configuration).
 */
public final class AdminChannel {

  public static final String CONFIDENTIALITY = io.seedtrace.server.security.RestrictedResourceGuard.CONFIDENTIALITY;
  private static final Logger LOG = LoggerFactory.getLogger(AdminChannel.class);

  private final FhirStore store;
  private final ProducerTemplate camel;

  public AdminChannel(FhirStore store, ProducerTemplate camel) {
    this.store = store;
    this.camel = camel;
  }

  /** Stores and sends a message; returns the Communication's id. */
  public String tell(String topic, String text, String about) {
    Communication c = new Communication();
    c.getMeta().addSecurity(new Coding(CONFIDENTIALITY, "R", "restricted"));
    c.setStatus(Communication.CommunicationStatus.COMPLETED);
    c.addCategory().addCoding(new Coding(CustodyCodes.CS, topic, null));
    c.getRecipientFirstRep().setDisplay("SeedTrace administrator");
    c.setSent(new Date());
    if (about != null) {
      c.addAbout(new Reference(about));
    }
    c.addPayload().setContent(new StringType(text));
    String id = store.create(c).getId().toUnqualifiedVersionless().getValue();
    try {
      camel.sendBodyAndHeader(AdminChannelRoute.ENDPOINT, text, "topic", topic);
    } catch (RuntimeException e) {
      // the stored Communication is the durable copy; the route has its own dead letter
      LOG.error("admin channel delivery failed for {} ({}): {}", topic, id, e.getMessage());
    }
    return id;
  }
}
