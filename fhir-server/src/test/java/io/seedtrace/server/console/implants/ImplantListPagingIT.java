package io.seedtrace.server.console.implants;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.server.alerts.Alerts;
import io.seedtrace.server.custody.CustodyCodes;
import io.seedtrace.server.store.FhirStore;
import io.seedtrace.server.support.ConsoleBrowser;
import io.seedtrace.server.support.ServerTestBase;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The implant list over real HTTP against a real server and database: deep pages hold exactly the
 * implants at their place in the newest-first order, and a state filter lists exactly the implants in
 * that state, page by page, including one whose state changed a moment before. The implants are dated
 * in 2099 so they are the newest of the store whatever other tests wrote.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImplantListPagingIT extends ServerTestBase {

  static final int IMPLANTS = 130;
  static final Instant NEWEST = Instant.parse("2099-06-30T12:00:00Z");
  private static final Pattern PROCEDURE_CELL = Pattern.compile("<tr>\\s*<td>[^<]*</td>\\s*<td>([^<]+)</td>");

  @Autowired
  FhirStore store;

  private String mrn;
  /** Procedure ids, newest first. */
  private final List<String> newestFirst = new ArrayList<>();
  private final Map<VerificationStatus, List<String>> byState = new EnumMap<>(VerificationStatus.class);
  private final Map<String, String> reportOf = new java.util.HashMap<>();
  private final Map<String, Date> performed = new java.util.HashMap<>();

  @BeforeAll
  void implantsInEveryState() {
    mrn = "PAGING-" + UUID.randomUUID();
    Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    Patient patient = new Patient();
    patient.addIdentifier().setSystem("https://hospital.example/mrn").setValue(mrn);
    String patientRef = add(tx, patient);
    List<VerificationStatus> planned = new ArrayList<>();
    List<Date> dates = new ArrayList<>();
    for (int i = 0; i < IMPLANTS; i++) {
      VerificationStatus state = VerificationStatus.values()[i % VerificationStatus.values().length];
      planned.add(state);
      dates.add(Date.from(NEWEST.minus(i, ChronoUnit.HOURS)));
      implant(tx, patientRef, dates.get(i), state);
    }
    List<String> locations = FhirStore.locations(store.transaction(tx));
    List<String> procedures = locations.stream().filter(l -> l.startsWith("Procedure/"))
        .map(l -> l.split("/")[1]).toList();
    List<String> reports = locations.stream().filter(l -> l.startsWith("DiagnosticReport/"))
        .map(l -> l.split("/")[1]).toList();
    int r = 0;
    for (int i = 0; i < IMPLANTS; i++) {
      newestFirst.add(procedures.get(i));
      performed.put(procedures.get(i), dates.get(i));
      byState.computeIfAbsent(planned.get(i), s -> new ArrayList<>()).add(procedures.get(i));
      if (planned.get(i) != VerificationStatus.WAITING) {
        reportOf.put(procedures.get(i), reports.get(r++));
      }
    }
  }

  @Test
  void deepPagesHoldExactlyTheImplantsAtTheirPlace() {
    ConsoleBrowser nurse = signedIn();
    for (int offset : new int[] {0, 25, 50, 100, 125}) {
      List<String> page = procedureIds(nurse.get("/console/implants?offset=" + offset).body());
      List<String> expected = newestFirst.subList(offset, Math.min(IMPLANTS, offset + 25));
      // ours are the newest; older implants of other tests may fill the rest of the last page
      assertThat(page).as("offset %d", offset).startsWith(expected.toArray(String[]::new));
      assertThat(page.size()).as("offset %d", offset).isLessThanOrEqualTo(25);
    }
    List<String> all = new ArrayList<>();
    for (int offset = 0; offset < IMPLANTS; offset += 25) {
      all.addAll(procedureIds(nurse.get("/console/implants?patient=" + mrn + "&offset=" + offset).body()));
    }
    assertThat(all).isEqualTo(newestFirst);
    ConsoleBrowser.Page last = nurse.get("/console/implants?patient=" + mrn + "&offset=125");
    assertThat(last.body()).doesNotContain("rel=\"next\"");
    assertThat(nurse.get("/console/implants?offset=10001").status()).isEqualTo(400);
  }

  @Test
  void aStateFilterListsExactlyTheImplantsInThatState() {
    ConsoleBrowser nurse = signedIn();
    for (VerificationStatus state : VerificationStatus.values()) {
      List<String> listed = new ArrayList<>();
      String path = "/console/implants?patient=" + mrn + "&status=" + state.key();
      for (int offset = 0; offset < 100; offset += 25) {
        String body = nurse.get(path + "&offset=" + offset).body();
        listed.addAll(procedureIds(body));
        if (!body.contains("rel=\"next\"")) {
          break;
        }
      }
      assertThat(listed).as(state.label()).isEqualTo(byState.get(state));
    }
    String page = nurse.get("/console/implants?patient=" + mrn + "&status=alarm").body();
    assertThat(page).contains("status-alarm").doesNotContain("status-verified", "status-waiting");
    List<String> datedFilter = procedureIds(nurse.get("/console/implants?patient=" + mrn
        + "&status=alarm&from=2099-06-30&to=2099-06-30").body());
    LocalDate day = LocalDate.of(2099, 6, 30);
    List<String> expected = byState.get(VerificationStatus.ALARM).stream()
        .filter(id -> performed.get(id).toInstant().atZone(ZoneId.systemDefault()).toLocalDate().equals(day)).toList();
    assertThat(expected).isNotEmpty();
    assertThat(datedFilter).isEqualTo(expected);
  }

  @Test
  void anImplantWhoseStateChangedIsListedUnderItsNewStateAtOnce() {
    String verified = byState.get(VerificationStatus.VERIFIED).get(0);
    DetectedIssue alarm = Alerts.alert("count-mismatch", DetectedIssue.DetectedIssueSeverity.HIGH,
        "one seed missing", List.of("DiagnosticReport/" + reportOf.get(verified), "Procedure/" + verified));
    store.create(alarm);
    ConsoleBrowser nurse = signedIn();
    List<String> alarms = new ArrayList<>();
    for (int offset = 0; offset < 50; offset += 25) {
      alarms.addAll(procedureIds(nurse.get("/console/implants?patient=" + mrn + "&status=alarm&offset=" + offset).body()));
    }
    assertThat(alarms).contains(verified);
    assertThat(procedureIds(nurse.get("/console/implants?patient=" + mrn + "&status=verified").body()))
        .doesNotContain(verified);
    byState.get(VerificationStatus.VERIFIED).remove(verified);
    List<String> nowAlarm = new ArrayList<>(byState.get(VerificationStatus.ALARM));
    nowAlarm.add(verified);
    nowAlarm.sort(java.util.Comparator.comparingInt(newestFirst::indexOf));
    byState.put(VerificationStatus.ALARM, nowAlarm);
  }

  private ConsoleBrowser signedIn() {
    ConsoleBrowser nurse = new ConsoleBrowser(baseUrl());
    nurse.signIn("nurse", "nurse");
    return nurse;
  }

  private static List<String> procedureIds(String html) {
    List<String> ids = new ArrayList<>();
    Matcher m = PROCEDURE_CELL.matcher(html.replaceAll("(?s).*<tbody>(.*?)</tbody>.*", "$1"));
    while (m.find()) {
      ids.add(m.group(1).trim());
    }
    return ids;
  }

  private static void implant(Bundle tx, String patient, Date performed, VerificationStatus state) {
    Procedure procedure = new Procedure();
    procedure.setStatus(Procedure.ProcedureStatus.COMPLETED);
    procedure.setCode(new CodeableConcept(new Coding("http://snomed.info/sct", "169359004",
        "Internal radiotherapy - permanent seeds")));
    procedure.setSubject(new Reference(patient));
    procedure.setPerformed(new DateTimeType(performed));
    String procedureRef = add(tx, procedure);
    if (state == VerificationStatus.WAITING) {
      return;
    }
    Observation imaged = new Observation();
    imaged.setStatus(Observation.ObservationStatus.FINAL);
    imaged.setCode(CustodyCodes.concept("seed-count-imaged"));
    imaged.setSubject(new Reference(patient));
    imaged.addPartOf(new Reference(procedureRef));
    imaged.setValue(CustodyCodes.seeds(18));
    String observation = add(tx, imaged);
    DiagnosticReport report = new DiagnosticReport();
    report.setStatus(state == VerificationStatus.INCOMPLETE ? DiagnosticReport.DiagnosticReportStatus.PRELIMINARY
        : DiagnosticReport.DiagnosticReportStatus.FINAL);
    report.setCode(CustodyCodes.concept("seed-verification-report"));
    report.setSubject(new Reference(patient));
    report.setIssued(new Date(performed.getTime() + 3_600_000L));
    report.addResult(new Reference(observation));
    String reportRef = add(tx, report);
    if (state == VerificationStatus.ALARM || state == VerificationStatus.COUNT_UNCERTAIN) {
      String kind = state == VerificationStatus.ALARM ? "count-mismatch" : "count-uncertain";
      DetectedIssue alarm = Alerts.alert(kind, DetectedIssue.DetectedIssueSeverity.HIGH, kind, List.of(reportRef, procedureRef));
      alarm.setPatient(new Reference(patient));
      add(tx, alarm);
    }
  }

  private static String add(Bundle bundle, Resource resource) {
    String ref = "urn:uuid:" + UUID.randomUUID();
    bundle.addEntry().setFullUrl(ref).setResource(resource).getRequest()
        .setMethod(Bundle.HTTPVerb.POST).setUrl(resource.fhirType());
    return ref;
  }
}
