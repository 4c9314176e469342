package io.seedtrace.routes.verification;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Seventh step: the results are stored in the record system (once, whatever the repeats). */
final class StoreResults implements Processor {

  private final VerificationArchive archive;

  StoreResults(VerificationArchive archive) {
    this.archive = archive;
  }

  @Override
  public void process(Exchange exchange) throws Exception {
    StudyVerification v = exchange.getMessage().getMandatoryBody(StudyVerification.class);
    long t0 = System.nanoTime();
    v.stored(archive.store(v));
    v.timed("store", t0);
  }
}
