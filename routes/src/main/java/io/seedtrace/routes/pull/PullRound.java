package io.seedtrace.routes.pull;

import io.seedtrace.routes.pull.JdbcPullLedger.PullRecord;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One round of the pull rule: implants past their deadline without a verification are recorded in
 * the ledger; those due (first attempt, or a retry after its pause) and not held by another node
 * are taken one by one: if still unverified, their CT is searched on the PACS and moved to us.
 * Every outcome is written to the ledger and logged; a failure never stops the round.
 */
public final class PullRound implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(PullRound.class);

  /** Implants registered, and pulls attempted, per round at most (bounds a round's length). */
  static final int PER_ROUND = 20;

  private final ImplantsAwaitingCt implants;
  private final JdbcPullLedger ledger;
  private final CtRetrieval retrieval;
  private final PullSettings settings;
  private final Clock clock;

  public PullRound(ImplantsAwaitingCt implants, JdbcPullLedger ledger, CtRetrieval retrieval, PullSettings settings,
      Clock clock) {
    this.implants = implants;
    this.ledger = ledger;
    this.retrieval = retrieval;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public void run() {
    Instant now = clock.instant();
    Instant from = now.minus(settings.lookback());
    for (AwaitedImplant overdue : implants.unverified(from, now.minus(settings.deadline()), ledger.known(from),
        PER_ROUND)) {
      if (ledger.register(overdue)) {
        LOG.info("{} (patient {}) has no verification {} after the implant; its CT will be pulled from {}",
            overdue.procedure(), overdue.dicomPatientId(), settings.deadline(), settings.pacsAeTitle());
      }
    }
    for (PullRecord due : ledger.claimDue(PER_ROUND)) {
      pull(due);
    }
  }

  private void pull(PullRecord due) {
    if (!implants.stillUnverified(due.procedure())) {
      ledger.notNeeded(due.procedure());
      LOG.info("{} was verified before its CT was pulled", due.procedure());
      return;
    }
    AwaitedImplant implant = new AwaitedImplant(due.procedure(), due.patientId(), due.performedAt());
    String error;
    try {
      CtRetrieval.Retrieved got = retrieval.retrieve(implant);
      if (got.found()) {
        String outcome = got.series() + " CT series (" + got.instances() + " instances) "
            + (settings.retrieve() == PullSettings.Retrieve.GET ? "retrieved by C-GET from " : "moved from ") + got.pacs();
        ledger.moved(due.procedure(), outcome);
        LOG.info("{}: {}; the verification follows as for a pushed CT", due.procedure(), outcome);
        return;
      }
      error = "no CT of patient " + due.patientId() + " on " + got.pacs() + " dated within " + settings.searchDays()
          + " days of the implant";
    } catch (IOException | RuntimeException e) {
      error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    boolean gaveUp = ledger.failed(due.procedure(), due.attempts(), error);
    if (gaveUp) {
      LOG.error("Pulling the CT of {} failed {} times; the rule gives up (operations page, st_ct_pull): {}",
          due.procedure(), due.attempts(), error);
    } else {
      LOG.warn("Pulling the CT of {} failed (attempt {} of {}), next in {}: {}", due.procedure(), due.attempts(),
          settings.maxAttempts(), settings.backoffAfter(due.attempts()), error);
    }
  }
}
