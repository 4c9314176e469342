package io.seedtrace.server.dicom.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.seedtrace.detection.phantom.PhantomGenerator;
import io.seedtrace.detection.phantom.PhantomSpec;
import io.seedtrace.routes.pull.JdbcPullLedger;
import io.seedtrace.routes.pull.JdbcPullLedger.PullRecord;
import io.seedtrace.server.custody.CustodyChainSteps;
import io.seedtrace.server.dicom.DicomNodeService;
import io.seedtrace.server.support.ConsoleBrowser;
import io.seedtrace.server.support.CtSeries;
import io.seedtrace.server.support.OrthancPacs;
import io.seedtrace.server.support.ServerTestBase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Procedure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The pull rule against Orthanc as the PACS: an implant whose post-operative CT was sent to the
 * PACS only (never to us) has no verification when its deadline passes; the server searches the
 * PACS by patient and date, moves the CT series to its own node, and verifies it as if pushed. A
 * PACS that is down is retried, visibly, and the CT is pulled once it is back. The implant's time
 * is moved back so that its deadline (2 h in this test) falls two seconds later; the test measures
 * the time from the deadline to the stored report.
 */
class CtPullIT extends ServerTestBase {

  static final Duration DEADLINE = Duration.ofHours(2);
  static final OrthancPacs PACS = orthanc();

  private final Map<String, IGenericClient> clients = new HashMap<>();

  @Autowired
  JdbcPullLedger ledger;

  @Autowired
  DicomNodeService dicom;

  /** The PACS learns where our node listens (a random port) as a move destination. */
  @BeforeEach
  void pacsKnowsOurNode() throws Exception {
    if (PACS != null) {
      PACS.knows("SEEDTRACE", dicom.port());
    }
  }

  @DynamicPropertySource
  static void pull(DynamicPropertyRegistry registry) {
    ownDatabaseAndSpool(registry, "seedtrace-pull-it");
    registry.add("seedtrace.dicom.pull.enabled", () -> "true");
    registry.add("seedtrace.dicom.pull.deadline", DEADLINE::toString);
    registry.add("seedtrace.dicom.pull.poll-period", () -> "500ms");
    registry.add("seedtrace.dicom.pull.pacs-ae-title", () -> "PACS");
    registry.add("seedtrace.dicom.pull.pacs-host", () -> "127.0.0.1");
    registry.add("seedtrace.dicom.pull.pacs-port", () -> Integer.toString(PACS == null ? 1 : PACS.dicomPort));
    registry.add("seedtrace.dicom.pull.patient-id-system", () -> "https://hospital.example/mrn");
    registry.add("seedtrace.dicom.pull.initial-backoff", () -> "1s");
    registry.add("seedtrace.dicom.pull.max-backoff", () -> "2s");
    registry.add("seedtrace.dicom.pull.max-attempts", () -> "100");
    registry.add("seedtrace.dicom.pull.response-timeout", () -> "10s");
  }

  /** How the ledger says the CT came. */
  String retrievedHow() {
    return "moved from";
  }

  static OrthancPacs orthanc() {
    if (!OrthancPacs.installed()) {
      return null;
    }
    try {
      return new OrthancPacs(Files.createTempDirectory("seedtrace-pull-pacs"), "PACS").start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Started again when an earlier test class of the same run (CtPullGetIT, CtPullIT) stopped it. */
  @BeforeAll
  static void pacsRuns() throws Exception {
    if (PACS != null && !PACS.running()) {
      PACS.start();
    }
  }

  @AfterAll
  static void stopPacs() throws InterruptedException {
    if (PACS != null) {
      PACS.close();
    }
  }

  IGenericClient as(String role) {
    return clients.computeIfAbsent(role, this::fhirAs);
  }

  /** An implant (20 shipped, 18 implanted, 2 removed) whose CT is on the PACS only. */
  record OnPacs(CustodyChainSteps.Implant implant, CtSeries ct) {}

  OnPacs implantWithCtOnPacsOnly() throws Exception {
    CustodyChainSteps.Implant implant = new CustodyChainSteps(this::as).implantAndSeal(20, 18, 0);
    CtSeries ct = new CtSeries(implant.dicomPatientId(), implant.accession(),
        LocalDate.now().format(DateTimeFormatter.BASIC_ISO_DATE));
    PACS.load(ct.files(PhantomGenerator.generate(new PhantomSpec(PhantomSpec.Anatomy.PROSTATE, 128, 128, 50, 0.7,
        1.5, 18, 0, 0, 0, false, false, 15, 11)).scan()));
    return new OnPacs(implant, ct);
  }

  /** Moves the implant's time back so its deadline falls {@code in} from now; returns the deadline as stored. */
  Instant deadlineIn(CustodyChainSteps.Implant implant, Duration in) {
    Procedure p = as("physician").read().resource(Procedure.class).withId(implant.procedureId()).execute();
    Instant deadline = Instant.now().plus(in);
    p.setPerformed(new DateTimeType(Date.from(deadline.minus(DEADLINE)), TemporalPrecisionEnum.MILLI));
    as("physician").update().resource(p).execute();
    Procedure stored = as("physician").read().resource(Procedure.class).withId(implant.procedureId()).execute();
    return stored.getPerformedDateTimeType().getValue().toInstant().plus(DEADLINE);
  }

  static Optional<DiagnosticReport> reportAtEhr(String seriesUid) {
    return EHR.created(DiagnosticReport.class).stream()
        .filter(r -> r.getIdentifierFirstRep().getValue().startsWith("VER-" + seriesUid + "-")).findFirst();
  }

  String procedureRef(CustodyChainSteps.Implant implant) {
    return "Procedure/" + implant.procedureId().replaceFirst("^Procedure/", "");
  }

  @Test
  void anImplantWhoseCtIsOnlyOnThePacsIsVerifiedAfterItsDeadline() throws Exception {
    assumeTrue(PACS != null, "Orthanc is not installed; the pull rule's PACS test is skipped");
    List<Long> millis = new ArrayList<>();
    for (int run = 0; run < 3; run++) {
      OnPacs case_ = implantWithCtOnPacsOnly();
      String procedure = procedureRef(case_.implant());
      assertThat(ledger.find(procedure)).as("not pulled before its deadline").isEmpty();
      Instant deadline = deadlineIn(case_.implant(), Duration.ofSeconds(2));
      await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(200))
          .until(() -> reportAtEhr(case_.ct().seriesUid).isPresent());
      DiagnosticReport report = reportAtEhr(case_.ct().seriesUid).orElseThrow();
      assertThat(report.getConclusion()).startsWith("All 20 seeds accounted for: 18 seen on CT");
      PullRecord row = ledger.find(procedure).orElseThrow();
      assertThat(row.status()).isEqualTo(JdbcPullLedger.MOVED);
      assertThat(row.attempts()).isEqualTo(1);
      assertThat(row.outcome()).isEqualTo("1 CT series (50 instances) " + retrievedHow() + " PACS@127.0.0.1:"
          + PACS.dicomPort);
      long ms = report.getIssued().getTime() - deadline.toEpochMilli();
      millis.add(ms);
      System.out.println("PULL " + retrievedHow() + " deadline-to-verified run " + (run + 1) + ": " + ms + " ms");
    }
    List<Long> sorted = millis.stream().sorted().toList();
    System.out.println("PULL " + retrievedHow() + " deadline-to-verified over " + sorted.size() + " runs: median " + sorted.get(1)
        + " ms, min " + sorted.get(0) + " ms, max " + sorted.get(2) + " ms");
  }

  @Test
  void aPacsThatIsDownIsRetriedVisiblyAndTheCtIsPulledWhenItIsBack() throws Exception {
    assumeTrue(PACS != null, "Orthanc is not installed; the pull rule's PACS test is skipped");
    OnPacs case_ = implantWithCtOnPacsOnly();
    String procedure = procedureRef(case_.implant());
    PACS.stop();
    try {
      deadlineIn(case_.implant(), Duration.ofSeconds(1));
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
          .until(() -> ledger.find(procedure).map(r -> r.attempts() >= 2).orElse(false));
      PullRecord failing = ledger.find(procedure).orElseThrow();
      assertThat(failing.status()).isEqualTo(JdbcPullLedger.PENDING);
      assertThat(failing.lastError()).contains("Cannot connect to PACS at 127.0.0.1:" + PACS.dicomPort);
      assertThat(reportAtEhr(case_.ct().seriesUid)).isEmpty();
      ConsoleBrowser admin = new ConsoleBrowser(baseUrl());
      admin.signIn("admin", "admin");
      assertThat(admin.get("/console/operations").body()).contains("id=\"pull-table\"")
          .containsPattern("<td>" + procedure + "</td>\\s*<td>" + case_.implant().dicomPatientId()
              + "</td>\\s*<td>PENDING</td>")
          .contains("Cannot connect to PACS at 127.0.0.1:" + PACS.dicomPort);
    } finally {
      PACS.start();
    }
    await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(200))
        .until(() -> reportAtEhr(case_.ct().seriesUid).isPresent());
    assertThat(reportAtEhr(case_.ct().seriesUid).orElseThrow().getConclusion())
        .startsWith("All 20 seeds accounted for");
    assertThat(ledger.find(procedure).orElseThrow().status()).isEqualTo(JdbcPullLedger.MOVED);
  }
}
