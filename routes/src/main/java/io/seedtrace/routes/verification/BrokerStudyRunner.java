package io.seedtrace.routes.verification;

import io.seedtrace.dicom.spool.SeriesStableEvent;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one study received from the broker through the steps. The broker takes the message back
 * only after this returns, so a node that dies mid-study leaves it to the broker, which hands it
 * to the next consumer. A failed attempt is published again (at the end of the queue) with its
 * attempt number, up to the last attempt, after which the study is given up on.
 */
final class BrokerStudyRunner implements Processor {

  static final String ATTEMPT = "seedtraceAttempt";
  private static final Logger LOG = LoggerFactory.getLogger(BrokerStudyRunner.class);

  private final BrokerSettings broker;
  private final VerificationLedger ledger;
  private final String stepsEndpoint;
  private volatile ProducerTemplate producer;

  BrokerStudyRunner(BrokerSettings broker, VerificationLedger ledger, String stepsEndpoint) {
    this.broker = broker;
    this.ledger = ledger;
    this.stepsEndpoint = stepsEndpoint;
  }

  void start(ProducerTemplate producer) {
    this.producer = producer;
  }

  @Override
  public void process(Exchange exchange) {
    String text = exchange.getMessage().getBody(String.class);
    SeriesStableEvent event;
    try {
      event = StudyMessage.decode(text == null ? "" : text);
    } catch (IllegalArgumentException malformed) {
      LOG.error("A message on the study queue {} is not a study and is dropped: {}", broker.queue(),
          malformed.getMessage());
      return;
    }
    Integer attempt = exchange.getMessage().getHeader(ATTEMPT, 1, Integer.class);
    QueuedStudy study = new QueuedStudy(QueuedStudy.verificationId(event), event, attempt, "broker");
    Exchange result = producer.send(stepsEndpoint, e -> e.getMessage().setBody(study));
    if (result.getException() == null) {
      return;
    }
    String error = result.getException().getClass().getSimpleName() + ": " + result.getException().getMessage();
    if (attempt >= broker.maxAttempts()) {
      LOG.error("Verification {} given up after attempt {}: {}", study.verificationId(), attempt, error);
      ledger.gaveUp(study.verificationId(), error);
      return;
    }
    LOG.warn("Verification {} failed (attempt {}): {}; it goes back to the broker", study.verificationId(), attempt,
        error);
    producer.sendBodyAndHeader(broker.producerUri(), text, ATTEMPT, attempt + 1);
  }
}
