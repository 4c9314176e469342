package io.seedtrace.routes.verification;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Last step: the stored results go to the EHR, the administrator and, when configured, the PACS. */
final class DeliverResults implements Processor {

  private final ResultRecipients recipients;

  DeliverResults(ResultRecipients recipients) {
    this.recipients = recipients;
  }

  @Override
  public void process(Exchange exchange) throws Exception {
    StudyVerification v = exchange.getMessage().getMandatoryBody(StudyVerification.class);
    recipients.deliver(v);
  }
}
