package io.seedtrace.server.verification;

import ca.uhn.fhir.context.FhirContext;
import io.seedtrace.dicom.spool.SeriesStableEvent;
import io.seedtrace.routes.verification.Alarm;
import io.seedtrace.routes.verification.Implant;
import io.seedtrace.routes.verification.IncompleteSeries;
import io.seedtrace.routes.verification.StoredResults;
import io.seedtrace.routes.verification.StudyVerification;
import io.seedtrace.routes.verification.VerificationArchive;
import io.seedtrace.server.alerts.AdminChannel;
import io.seedtrace.server.alerts.Alerts;
import io.seedtrace.server.audit.AuditTrail;
import io.seedtrace.server.custody.CustodyCodes;
import io.seedtrace.server.store.FhirStore;
import io.seedtrace.server.custody.Provenances;
import io.seedtrace.server.ehr.EhrOutbox;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outcomes of verifications in the FHIR store: the results of a verification (one transaction
 * of conditional creates with their Provenance, the earlier report of the series withdrawn), and
 * the alerts of a study that was not verified, which also go to the administrator and, when the
 * patient is known, to the EHR. Every record carries an identifier derived from the verification
 * id, so a repeat after a crash stores nothing twice.
 */
public final class FhirVerificationArchive implements VerificationArchive {

  private static final Logger LOG = LoggerFactory.getLogger(FhirVerificationArchive.class);
  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final String AGENT = "seedtrace-verification";

  private final FhirStore store;
  private final VerificationTables tables;
  private final EhrOutbox outbox;
  private final AdminChannel admin;
  private final AuditTrail audit;
  private final double toleranceMm;
  private final ReportPrinter printer;

  /**
   * @param toleranceMm the displacement beyond which a matched seed raises an alarm (kept with the figures)
   * @param printer prints each report for people, attached as its {@code presentedForm}
   */
  public FhirVerificationArchive(FhirStore store, VerificationTables tables, EhrOutbox outbox, AdminChannel admin,
      AuditTrail audit, double toleranceMm, ReportPrinter printer) {
    this.store = store;
    this.tables = tables;
    this.outbox = outbox;
    this.admin = admin;
    this.audit = audit;
    this.toleranceMm = toleranceMm;
    this.printer = printer;
  }

  @Override
  public StoredResults store(StudyVerification v) {
    SeriesStableEvent event = v.event();
    Implant implant = v.implant();
    String cartridge = implant.cartridge().orElseThrow();
    VerificationResults.Refs refs = new VerificationResults.Refs(implant.patient(), implant.procedure(), cartridge,
        urn(), urn(), urn(), urn());
    VerificationResults.Study study = new VerificationResults.Study(event.studyUid(), event.seriesUid(),
        v.volume().frameOfReferenceUid(), event.accessionNumber(), event.patientId(), v.studyTime(),
        event.instanceCount());
    VerificationResults.Resources results = VerificationResults.build(v.verificationId(), refs, study, v.detection(),
        v.positions(), v.plan(), v.counts(), v.alarms(), v.conclusion(), v.dose());
    if (IncompleteSeries.of(event)) {
      VerificationResults.markPreliminary(results.report(), event);
    }
    Optional<ReportSupersession.Earlier> earlier = ReportSupersession.find(tables, event.seriesUid(),
        v.verificationId());
    earlier.ifPresent(e -> ReportSupersession.link(results.report(), e));
    Patient patient = store.read(Patient.class, implant.patient());
    Procedure procedure = store.read(Procedure.class, implant.procedure());
    Device device = store.read(Device.class, cartridge);
    SeedFigures figures = SeedFigures.of(v, toleranceMm);
    attachPrinted(results.report(), v, figures, patient, procedure, device);
    Bundle ehr = EhrExport.bundle(patient, procedure, device, results.all());
    ReportSupersession.linkByIdentifierOnly(ehr);
    tables.saveFigures(v.verificationId(), figures);
    String reportId = storeResults(results, event, earlier);
    return new StoredResults(reportId, implant.patient(), FHIR.newJsonParser().encodeResourceToString(ehr),
        results.report().getConclusion(), earlier.map(e -> new StoredResults.Supersession(e.verificationId(),
            e.reportId(), FHIR.newJsonParser().encodeResourceToString(ReportSupersession.withdrawalAtEhr(e)))));
  }

  /**
   * Attaches the report printed for people as its {@code presentedForm}. A report that cannot be
   * printed is still stored and delivered, without it: the figures and the alarms matter more than
   * their picture.
   */
  private void attachPrinted(DiagnosticReport report, StudyVerification v, SeedFigures figures, Patient patient,
      Procedure procedure, Device device) {
    long start = System.nanoTime();
    try {
      ReportPrinter.Printed done = printer.print(new ReportPrinter.Content(v.verificationId(), v.studyTime(),
          v.event().seriesUid(), v.event().instanceCount(), v.volume(), figures, v.counts(), v.alarms(), patient,
          procedure, device, report, v.dose()));
      byte[] printed = done.document();
      tables.savePictures(v.verificationId(), done.pictures());
      report.addPresentedForm().setContentType(printer.contentType()).setData(printed).setCreationElement(
          new DateTimeType(new Date())).setTitle("Seed implant verification " + v.verificationId());
      LOG.info("Verification {}: report printed, {} bytes in {} ms", v.verificationId(), printed.length,
          (System.nanoTime() - start) / 1_000_000);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Verification {}: the report could not be printed; it goes without its PDF", v.verificationId(), e);
    }
  }

  /**
   * Stores the results in one transaction (conditional creates, so a repeat creates nothing twice),
   * with their Provenance and, when they replace an earlier report, that report withdrawn. Returns
   * the new report's id.
   */
  private String storeResults(VerificationResults.Resources results, SeriesStableEvent event,
      Optional<ReportSupersession.Earlier> earlier) {
    Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    for (Resource r : results.all()) {
      String url = r.getIdElement().getValue() != null && r.getIdElement().getValue().startsWith("urn:")
          ? r.getIdElement().getValue() : urn();
      r.setId((String) null);
      Bundle.BundleEntryComponent e = tx.addEntry().setFullUrl(url).setResource(r);
      e.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl(r.fhirType()).setIfNoneExist(identifierQuery(r));
    }
    List<String> targets = new ArrayList<>();
    tx.getEntry().forEach(e -> targets.add(e.getFullUrl()));
    tx.addEntry().setFullUrl(urn()).setResource(Provenances.of(targets, AGENT, "verify",
        "series " + event.seriesUid())).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Provenance");
    earlier.flatMap(e -> store.readOptional(DiagnosticReport.class, e.reportId()))
        .ifPresent(old -> FhirStore.addUpdate(tx, ReportSupersession.withdrawn(old)));
    List<String> ids = FhirStore.locations(store.transaction(tx));
    return ids.get(results.all().indexOf(results.report()));
  }

  @Override
  public void unmatched(StudyVerification v) {
    SeriesStableEvent event = v.event();
    String vid = v.verificationId();
    String detail = "CT study " + event.studyUid() + " (patient ID '" + event.patientId() + "', accession '"
        + event.accessionNumber() + "') matches no seed implant procedure; it was not verified.";
    DetectedIssue alert = Alerts.alert("unmatched-study", DetectedIssue.DetectedIssueSeverity.MODERATE, detail,
        List.of());
    alert.getIdentifierFirstRep().setValue(vid + "#unmatched");
    String alertId = storeAlert(alert, vid + "#unmatched");
    admin.tell("unmatched-study", detail + " See " + alertId + ".", alertId);
    audit.record(AGENT, "", "verify", AuditEvent.AuditEventAction.C, alertId, AuditTrail.Outcome.REFUSED,
        "series " + event.seriesUid() + " unmatched");
    tables.finished(vid, "UNMATCHED", detail, null, null);
    LOG.warn(detail);
  }

  @Override
  public void notVerified(StudyVerification v, Alarm why) {
    Implant implant = v.implant();
    String vid = v.verificationId();
    String cartridge = implant.cartridge().orElseThrow();
    DetectedIssue alert = Alerts.alert(why.kind(), DetectedIssue.DetectedIssueSeverity.HIGH, why.detail(),
        List.of(implant.procedure(), cartridge));
    alert.getIdentifierFirstRep().setValue(vid + "#" + why.kind());
    alert.setPatient(new Reference(implant.patient()));
    String alertId = storeAlert(alert.copy(), vid + "#" + why.kind());
    outbox.enqueue(implant.patient(), "verification " + vid + " (" + why.kind() + ")", vid,
        FHIR.newJsonParser().encodeResourceToString(EhrExport.bundle(store.read(Patient.class, implant.patient()),
            store.read(Procedure.class, implant.procedure()), store.read(Device.class, cartridge), List.of(alert))));
    admin.tell(why.kind(), why.detail() + " See " + alertId + ".", alertId);
    audit.record(AGENT, "", "verify", AuditEvent.AuditEventAction.C, alertId, AuditTrail.Outcome.FAILED,
        "series " + v.event().seriesUid() + ": " + why.kind());
    tables.finished(vid, "INCOMPLETE", why.detail(), null, null);
    outbox.kick();
    LOG.warn(why.detail());
  }

  @Override
  public void refused(StudyVerification v, String why) {
    String detail = "CT series " + v.event().seriesUid() + " was not verified: " + why;
    admin.tell("verification-refused", detail, null);
    audit.record(AGENT, "", "verify", AuditEvent.AuditEventAction.C, "series", AuditTrail.Outcome.FAILED, detail);
    tables.finished(v.verificationId(), "REFUSED", detail, null, null);
    LOG.warn(detail);
  }

  /** Stores an alert once (by its identifier); returns its id. */
  private String storeAlert(DetectedIssue alert, String identifier) {
    Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    tx.addEntry().setFullUrl(urn()).setResource(alert).getRequest().setMethod(Bundle.HTTPVerb.POST)
        .setUrl("DetectedIssue").setIfNoneExist("identifier=" + CustodyCodes.SID_ALERT + "|" + identifier);
    return FhirStore.locations(store.transaction(tx)).get(0);
  }

  private static String identifierQuery(Resource r) {
    List<Identifier> ids = FHIR.newTerser().getValues(r, r.fhirType() + ".identifier", Identifier.class);
    return ids.stream().filter(i -> i.hasSystem() && i.hasValue()).findFirst()
        .map(i -> "identifier=" + i.getSystem() + "|" + i.getValue()).orElse(null);
  }

  private static String urn() {
    return "urn:uuid:" + UUID.randomUUID();
  }
}
