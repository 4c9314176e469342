package io.seedtrace.routes.verification;

import io.seedtrace.detection.plan.PositionSettings;
import io.seedtrace.detection.plan.PositionVerifier;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Fourth step: the detected seeds are compared with the implant's plan (registered into the CT's
 * frame when the plan's differs). Without a plan the positions are not verified, which the
 * conclusion says.
 */
final class CompareWithPlan implements Processor {

  private final ImplantRecords implants;
  private final PositionSettings settings;

  CompareWithPlan(ImplantRecords implants, PositionSettings settings) {
    this.implants = implants;
    this.settings = settings;
  }

  @Override
  public void process(Exchange exchange) throws Exception {
    StudyVerification v = exchange.getMessage().getMandatoryBody(StudyVerification.class);
    long t0 = System.nanoTime();
    Optional<Plan> plan = implants.plan(v.implant(), v.event().patientId(), v.volume().frameOfReferenceUid());
    v.compared(plan, plan.map(p -> PositionVerifier.verify(p.positions(), v.detectedCentres(), p.toCtFrame(),
        settings)));
    v.timed("comparison", t0);
  }
}
