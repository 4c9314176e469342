package io.seedtrace.routes.verification;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes studies from the queue while this node has a free verification slot, hands each to the
 * study route, keeps the leases of the studies in progress, and settles each study when its run
 * ends: done, or failed (taken again later, or given up on after its last attempt).
 */
final class StudyDispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(StudyDispatcher.class);

  private final StudyQueue queue;
  private final VerificationLedger ledger;
  private final Semaphore slots;
  private final Map<String, QueuedStudy> running = new ConcurrentHashMap<>();
  private volatile ProducerTemplate producer;

  StudyDispatcher(StudyQueue queue, VerificationLedger ledger, int concurrency) {
    this.queue = queue;
    this.ledger = ledger;
    this.slots = new Semaphore(concurrency);
  }

  void start(ProducerTemplate producer) {
    this.producer = producer;
  }

  /** Claims due studies for the free slots and hands them to {@code studyEndpoint}. */
  synchronized void dispatch(String studyEndpoint) {
    if (producer == null) {
      return;
    }
    while (slots.tryAcquire()) {
      Optional<QueuedStudy> next;
      try {
        next = queue.claim();
      } catch (RuntimeException e) {
        slots.release();
        throw e;
      }
      if (next.isEmpty()) {
        slots.release();
        return;
      }
      QueuedStudy study = next.get();
      running.put(study.verificationId(), study);
      try {
        producer.sendBody(studyEndpoint, study);
      } catch (RuntimeException e) {
        release(study);
        throw e;
      }
    }
  }

  /** Renews the lease of every study in progress here. */
  void renewLeases() {
    for (QueuedStudy study : running.values()) {
      if (!queue.renew(study)) {
        LOG.warn("Verification {}: this node's claim ran out; another node may verify the study too",
            study.verificationId());
      }
    }
  }

  /** Runs one study through {@code stepsEndpoint} and settles it in the queue. */
  void run(QueuedStudy study, String stepsEndpoint) {
    try {
      Exchange result = producer.send(stepsEndpoint, e -> e.getMessage().setBody(study));
      if (result.getException() == null) {
        queue.done(study);
      } else {
        settleFailure(study, result.getException());
      }
    } catch (RuntimeException e) {
      LOG.warn("Verification {}: settling the study in the queue failed ({}); it is taken again when its lease runs"
          + " out", study.verificationId(), e.getMessage());
    } finally {
      release(study);
    }
  }

  private void settleFailure(QueuedStudy study, Exception cause) {
    String error = cause.getClass().getSimpleName() + ": " + cause.getMessage();
    if (queue.failed(study, error)) {
      LOG.error("Verification {} given up after attempt {}: {}", study.verificationId(), study.attempt(), error);
      ledger.gaveUp(study.verificationId(), error);
    } else {
      LOG.warn("Verification {} failed (attempt {}): {}; it will be taken again", study.verificationId(),
          study.attempt(), error);
    }
  }

  /** Studies in progress on this node. */
  int running() {
    return running.size();
  }

  private void release(QueuedStudy study) {
    running.remove(study.verificationId());
    slots.release();
  }
}
