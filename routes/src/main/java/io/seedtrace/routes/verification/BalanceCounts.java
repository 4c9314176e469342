package io.seedtrace.routes.verification;

import io.seedtrace.detection.DetectionResult;
import io.seedtrace.detection.plan.PositionVerification;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Fifth step: the count model L0 = L1 + L2 + L3 with the cartridge's recorded counts, the alarms
 * of the verification (series incomplete, counts, positions) and its conclusion in words.
 */
final class BalanceCounts implements Processor {

  private final ImplantRecords implants;

  BalanceCounts(ImplantRecords implants) {
    this.implants = implants;
  }

  @Override
  public void process(Exchange exchange) throws Exception {
    StudyVerification v = exchange.getMessage().getMandatoryBody(StudyVerification.class);
    long t0 = System.nanoTime();
    CustodyCounts custody = implants.counts(v.implant().cartridge().orElseThrow());
    DetectionResult detection = v.detection();
    CountModel counts = new CountModel(custody.shipped(), detection.count(), detection.minCount(),
        detection.maxCount(), custody.remaining(), custody.removed());
    List<Alarm> alarms = new ArrayList<>();
    if (IncompleteSeries.of(v.event())) {
      alarms.add(IncompleteSeries.alarm(v.event()));
    }
    counts.alarms().forEach(a -> alarms.add(new Alarm(counts.alarmKind(), a)));
    v.positions().filter(pv -> !pv.passed()).ifPresent(pv -> alarms.add(new Alarm("position-deviation",
        "Seed positions deviate from the plan: " + String.join("; ", pv.alarms()) + ".")));
    v.balanced(counts, alarms, conclusion(counts, detection, v.positions(), v.implant().matchedBy()));
    v.timed("counts", t0);
  }

  /** The verification's conclusion: the count balance, the positions, how the study was matched. */
  static String conclusion(CountModel counts, DetectionResult detection, Optional<PositionVerification> positions,
      String matchedBy) {
    StringBuilder s = new StringBuilder();
    OptionalInt expected = counts.expectedImaged();
    if (expected.isPresent() && expected.getAsInt() == detection.count()) {
      s.append("All ").append(counts.shipped().getAsInt()).append(" seeds accounted for: ").append(detection.count())
          .append(" seen on CT, ").append(counts.remaining().getAsInt()).append(" left in the sealed cartridge, ")
          .append(counts.removed().getAsInt()).append(" removed before implantation.");
    } else {
      s.append(String.join(" ", counts.alarms()));
    }
    if (positions.isPresent()) {
      PositionVerification pv = positions.get();
      s.append(pv.passed() ? " Positions match the plan" : " Positions do NOT match the plan")
          .append(String.format(" (similarity %.2f, %d matched, %d missing, %d extra", pv.score(), pv.pairs().size(),
              pv.missing().size(), pv.extra().size()));
      if (!pv.pairs().isEmpty()) {
        s.append(String.format(", largest displacement %.1f mm", pv.maxDisplacementMm()));
      }
      s.append(").");
    } else {
      s.append(" Positions not verified: no plan was found for this implant.");
    }
    s.append(" Study matched by ").append(matchedBy).append('.');
    return s.toString();
  }
}
