package io.seedtrace.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.seedtrace.server.alerts.Alerts;
import io.seedtrace.server.custody.CustodyChainSteps;
import io.seedtrace.server.custody.CustodyCodes;
import io.seedtrace.server.store.FhirStore;
import io.seedtrace.server.dicom.DicomNodeService;
import io.seedtrace.server.support.ConsoleBrowser;
import io.seedtrace.server.support.MissingSeedVerification;
import io.seedtrace.server.support.ServerTestBase;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 16 item 4: each console page with {@value #IMPLANTS} implants in the store, read over real
 * HTTP by a signed-in administrator. The store is filled through the server's own FHIR store (the
 * JPA transaction the FHIR API runs, without the per-request audit chain entries, which would make
 * the fill take far longer than the pages) in transactions of {@value #PER_TRANSACTION} implants: per implant a cartridge (Device), the Procedure, and (for nine
 * in ten) the imaged count Observation and its DiagnosticReport, every fifth report with a SeedAlert;
 * {@value #PER_PATIENT} implants per patient. One verification of a generated CT and one sealed
 * cartridge with its whole custody chain are added for the report and cartridge pages. Each page is
 * read twice to warm up, then {@value #READS} times; printed as "BENCH console ..." with median and
 * range (target: at most 1 s). Run: see README "Benchmarks".
 */
class ConsolePagesBench extends ServerTestBase {

  static final int IMPLANTS = 10_000;
  static final int PER_TRANSACTION = 100;
  static final int PER_PATIENT = 10;
  static final int READS = 10;

  @Autowired
  DicomNodeService dicom;

  @Autowired
  FhirStore store;

  private final Map<String, IGenericClient> clients = new HashMap<>();

  IGenericClient as(String role) {
    return clients.computeIfAbsent(role, this::fhirAs);
  }

  @Test
  void everyPageWithTenThousandImplants() throws Exception {
    String run = Long.toString(System.nanoTime(), 36);
    long t0 = System.nanoTime();
    for (int first = 0; first < IMPLANTS; first += PER_TRANSACTION) {
      Bundle done = store.transaction(implants(run, first));
      assertThat(done.getEntry()).isNotEmpty();
      if ((first + PER_TRANSACTION) % 1000 == 0) {
        System.out.printf("BENCH console fill: %d implants after %.0f s%n", first + PER_TRANSACTION,
            (System.nanoTime() - t0) / 1e9);
      }
    }
    System.out.printf("BENCH console fill: %d implants in %.0f s%n", IMPLANTS, (System.nanoTime() - t0) / 1e9);
    String reportId = MissingSeedVerification.run(this::as, dicom.port(), EHR).getIdElement().getIdPart();
    String deviceId = new CustodyChainSteps(this::as).implantAndSeal(20, 18, 0).deviceId().replaceFirst("^Device/", "");

    ConsoleBrowser admin = new ConsoleBrowser(baseUrl());
    admin.signIn("admin", "admin");
    measure(admin, "implants, first page", "/console/implants", "rel=\"next\"");
    measure(admin, "implants, page 201 (offset 5000)", "/console/implants?offset=5000", "rel=\"next\"");
    measure(admin, "implants, last page (offset 9975)", "/console/implants?offset=9975", "<tbody>");
    measure(admin, "implants of one patient", "/console/implants?patient=" + mrn(run, 123), "verified");
    measure(admin, "implants, status alarm", "/console/implants?status=alarm", "rel=\"next\"");
    measure(admin, "implants, status waiting", "/console/implants?status=waiting", "rel=\"next\"");
    measure(admin, "verification report", "/console/reports/" + reportId, "L0");
    measure(admin, "alarm inbox, open", "/console/alarms", "rel=\"next\"");
    measure(admin, "cartridge", "/console/cartridges/" + deviceId, "id=\"timeline\"");
    measure(admin, "cartridge list, first page", "/console/cartridges", "rel=\"next\"");
    measure(admin, "cartridge list, offset 5000", "/console/cartridges?offset=5000", "rel=\"next\"");
    measure(admin, "cartridge list, by serial", "/console/cartridges?serial=BENCH-" + run + "-4321", "BENCH-" + run + "-4321<");
    measure(admin, "operations", "/console/operations", "EHR outbox");
    // a state none of the implants is in: read from the state table like the others (it used to scan
    // 2,000 implants, about 40 s)
    measure(admin, "implants, status incomplete (none)", "/console/implants?status=incomplete", "No implant matches.");
  }

  private void measure(ConsoleBrowser browser, String name, String path, String expected) {
    List<Double> ms = new ArrayList<>();
    for (int i = -2; i < READS; i++) {
      long t = System.nanoTime();
      ConsoleBrowser.Page page = browser.get(path);
      double took = (System.nanoTime() - t) / 1e6;
      assertThat(page.status()).as(name).isEqualTo(200);
      assertThat(page.body()).as(name).contains(expected);
      if (i >= 0) {
        ms.add(took);
      }
    }
    ms.sort(Double::compare);
    System.out.printf("BENCH console %-36s median %5.0f ms, min %5.0f, max %5.0f (%d reads)%n", name + ":",
        (ms.get(READS / 2 - 1) + ms.get(READS / 2)) / 2, ms.get(0), ms.get(READS - 1), READS);
  }

  private static String mrn(String run, int patient) {
    return "BENCH-" + run + "-" + patient;
  }

  /** {@value #PER_TRANSACTION} implants from number {@code first} on, with their patients. */
  private static Bundle implants(String run, int first) {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    String patient = null;
    Instant newest = Instant.parse("2026-11-30T12:00:00Z");
    for (int i = first; i < first + PER_TRANSACTION; i++) {
      if (patient == null || i % PER_PATIENT == 0) {
        Patient p = new Patient();
        p.addIdentifier().setSystem("https://hospital.example/mrn").setValue(mrn(run, i / PER_PATIENT));
        patient = add(bundle, p);
      }
      Date performed = Date.from(newest.minus(i * 37L, ChronoUnit.MINUTES));
      Device cartridge = new Device();
      cartridge.setType(CustodyCodes.concept("seed-cartridge"));
      cartridge.addIdentifier().setSystem(CustodyCodes.SID_SERIAL).setValue("BENCH-" + run + "-" + i);
      cartridge.setSerialNumber("BENCH-" + run + "-" + i);
      cartridge.setStatus(Device.FHIRDeviceStatus.ACTIVE);
      cartridge.addProperty().setType(CustodyCodes.concept("seed-count")).addValueQuantity(CustodyCodes.seeds(20));
      String device = add(bundle, cartridge);
      Procedure procedure = new Procedure();
      procedure.setStatus(Procedure.ProcedureStatus.COMPLETED);
      procedure.setCode(new CodeableConcept(new Coding("http://snomed.info/sct", "169359004",
          "Internal radiotherapy - permanent seeds")));
      procedure.setSubject(new Reference(patient));
      procedure.setPerformed(new DateTimeType(performed));
      procedure.addFocalDevice().setManipulated(new Reference(device));
      String procedureRef = add(bundle, procedure);
      if (i % 10 != 9) {
        report(bundle, i, patient, procedureRef, device, performed);
      }
    }
    return bundle;
  }

  private static void report(Bundle bundle, int i, String patient, String procedure, String device, Date performed) {
    Observation imaged = new Observation();
    imaged.setStatus(Observation.ObservationStatus.FINAL);
    imaged.setCode(CustodyCodes.concept("seed-count-imaged"));
    imaged.setSubject(new Reference(patient));
    imaged.addPartOf(new Reference(procedure));
    imaged.setDevice(new Reference(device));
    imaged.setEffective(new DateTimeType(performed));
    imaged.setValue(CustodyCodes.seeds(i % 5 == 0 ? 17 : 18));
    String observation = add(bundle, imaged);
    DiagnosticReport report = new DiagnosticReport();
    report.setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL);
    report.setCode(CustodyCodes.concept("seed-verification-report"));
    report.setSubject(new Reference(patient));
    report.setIssued(new Date(performed.getTime() + 3_600_000L));
    report.addResult(new Reference(observation));
    String reportRef = add(bundle, report);
    if (i % 5 == 0) {
      DetectedIssue alarm = Alerts.alert("count-mismatch", DetectedIssue.DetectedIssueSeverity.HIGH,
          "18 seeds implanted, 17 found on the CT", List.of(reportRef, procedure));
      alarm.setPatient(new Reference(patient));
      alarm.setIdentified(new DateTimeType(performed));
      add(bundle, alarm);
    }
  }

  private static String add(Bundle bundle, Resource resource) {
    String ref = "urn:uuid:" + UUID.randomUUID();
    bundle.addEntry().setFullUrl(ref).setResource(resource).getRequest()
        .setMethod(Bundle.HTTPVerb.POST).setUrl(resource.fhirType());
    return ref;
  }
}
