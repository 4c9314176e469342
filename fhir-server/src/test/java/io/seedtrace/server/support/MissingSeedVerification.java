package io.seedtrace.server.support;

import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.seedtrace.detection.phantom.Phantom;
import io.seedtrace.detection.phantom.PhantomGenerator;
import io.seedtrace.detection.phantom.PhantomSpec;
import io.seedtrace.server.custody.CustodyChainSteps;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;

/**
 * A whole verification made for a test: a custody chain (20 shipped, 18 implanted, 2 removed, 0
 * remaining), a plan of 18 seeds, and a generated CT with 17 of them pushed over DICOM. The
 * stored report says one seed is unaccounted for and one planned seed is missing.
 */
public final class MissingSeedVerification {

  private MissingSeedVerification() {}

  /** Runs it and waits (up to 5 minutes) for the report to reach the test's EHR; returns the stored report. */
  public static DiagnosticReport run(Function<String, IGenericClient> as, int dicomPort, FakeEhr ehr) throws Exception {
    String today = LocalDate.now().format(DateTimeFormatter.BASIC_ISO_DATE);
    Phantom p = PhantomGenerator.generate(new PhantomSpec(PhantomSpec.Anatomy.PROSTATE, 128, 128, 50, 0.7, 1.5, 17,
        0, 0, 0, false, false, 15, 31));
    List<double[]> plan = new ArrayList<>(p.seeds().stream().map(Phantom.TruthSeed::centre).toList());
    double[] last = plan.get(plan.size() - 1);
    plan.add(new double[] {last[0] + 9, last[1] + 9, last[2]});
    CtSeries frame = new CtSeries("x", null, today);
    CustodyChainSteps.Implant implant = new CustodyChainSteps(as).implantAndSeal(20, 18, 0);
    PlanDocument.attachJson(as.apply("physicist"), implant.patientId(), implant.procedureId(), plan,
        frame.frameOfReferenceUid);
    CtSeries series = new CtSeries(implant.dicomPatientId(), implant.accession(), today, frame.frameOfReferenceUid);
    CtSeries.send(dicomPort, series.files(p.scan()));
    // the report is stored before it goes to the EHR
    await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(500)).until(() -> ehr.created(
        DiagnosticReport.class).stream().anyMatch(r -> r.getIdentifierFirstRep().getValue()
            .startsWith("VER-" + series.seriesUid + "-")));
    String vid = ehr.created(DiagnosticReport.class).stream().map(r -> r.getIdentifierFirstRep().getValue())
        .filter(v -> v.startsWith("VER-" + series.seriesUid + "-")).findFirst().orElseThrow();
    return as.apply("admin").search().forResource(DiagnosticReport.class)
        .where(DiagnosticReport.IDENTIFIER.exactly().code(vid)).returnBundle(Bundle.class).execute()
        .getEntry().stream().map(e -> (DiagnosticReport) e.getResource()).findFirst().orElseThrow();
  }
}
