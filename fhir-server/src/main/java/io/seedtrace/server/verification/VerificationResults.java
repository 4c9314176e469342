package io.seedtrace.server.verification;

import io.seedtrace.detection.DetectionResult;
import io.seedtrace.detection.plan.PositionVerification;
import io.seedtrace.dicom.spool.SeriesStableEvent;
import io.seedtrace.routes.verification.Alarm;
import io.seedtrace.routes.verification.CountModel;
import io.seedtrace.routes.verification.DoseOutcome;
import io.seedtrace.routes.verification.IncompleteSeries;
import io.seedtrace.routes.verification.Plan;
import io.seedtrace.server.custody.CustodyCodes;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * The FHIR resources of one verification, all valid against our profiles and each with an
 * identifier derived from the verification id, so that storing or delivering them again (after a
 * crash or a retry) never makes a second copy: ImagingStudy, SeedCount "imaged" (L1),
 * SeedPositionVerification, the implant's dose when computed, SeedVerificationReport, and for each
 * alarm a SeedAlert and a Flag.
 */
public final class VerificationResults {

  public static final String SID_VERIFICATION = CustodyCodes.BASE + "sid/verification";
  public static final String SID_FLAG = CustodyCodes.BASE + "sid/flag";
  static final String DICOM_UID = "urn:dicom:uid";

  
  /** The resources, with the references between them still to be resolved by the caller. */
  public record Resources(ImagingStudy study, Observation imaged, Optional<Observation> position,
      Optional<Observation> dose, DiagnosticReport report, List<DetectedIssue> alerts, List<Flag> flags) {

    public List<Resource> all() {
      List<Resource> all = new ArrayList<>();
      all.add(study);
      all.add(imaged);
      position.ifPresent(all::add);
      dose.ifPresent(all::add);
      all.add(report);
      all.addAll(alerts);
      all.addAll(flags);
      return all;
    }
  }

  private VerificationResults() {}

  /**
   * @param refs the references to use: patient, procedure, device, and the placeholders (e.g.
   *     urn:uuid) the caller gives the study, the two observations and the report, which become
   *     their ids
   */
  public static Resources build(String verificationId, Refs refs, Study study, DetectionResult detection,
      Optional<PositionVerification> positions, Optional<Plan> plan, CountModel counts, List<Alarm> alarms,
      String conclusion, Optional<DoseOutcome> doseOutcome) {
    Date now = new Date();
    ImagingStudy s = new ImagingStudy();
    s.addIdentifier().setSystem(DICOM_UID).setValue("urn:oid:" + study.studyUid());
    if (study.accessionNumber() != null && !study.accessionNumber().isBlank()) {
      s.addIdentifier().setValue(study.accessionNumber()).getType().addCoding(
          new Coding("http://terminology.hl7.org/CodeSystem/v2-0203", "ACSN", null));
    }
    s.setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
    s.setSubject(new Reference(refs.patient()));
    s.setStarted(Date.from(study.time()));
    s.setProcedureReference(new Reference(refs.procedure()));
    s.setNumberOfSeries(1);
    s.setNumberOfInstances(study.instances());
    ImagingStudy.ImagingStudySeriesComponent series = s.addSeries();
    series.setUid(study.seriesUid());
    series.setModality(new Coding("http://dicom.nema.org/resources/ontology/DCM", "CT", "Computed Tomography"));
    series.setNumberOfInstances(study.instances());
    series.setDescription("post-implant CT");

    Observation imaged = new Observation();
    imaged.getMeta().addProfile(CustodyCodes.PROFILE_COUNT);
    imaged.addIdentifier().setSystem(SID_VERIFICATION).setValue(verificationId + "#imaged");
    imaged.setStatus(Observation.ObservationStatus.FINAL);
    imaged.setCode(CustodyCodes.concept("seed-count-imaged"));
    imaged.setSubject(new Reference(refs.patient()));
    imaged.addPartOf(new Reference(refs.procedure()));
    imaged.setDevice(new Reference(refs.device()));
    imaged.setEffective(new DateTimeType(Date.from(study.time())));
    imaged.setValue(CustodyCodes.seeds(detection.count()));
    imaged.addDerivedFrom(new Reference(refs.study()));
    if (!detection.countIsCertain()) {
      imaged.addNote(new Annotation().setText("The count is uncertain: " + detection.minCount() + "-"
          + detection.maxCount() + " seeds (" + detection.ambiguousClusters() + " cluster(s) of touching seeds)."));
    }

    Optional<Observation> position = positions.map(pv -> {
      Observation o = new Observation();
      o.getMeta().addProfile(CustodyCodes.SD + "seed-position-verification");
      o.addIdentifier().setSystem(SID_VERIFICATION).setValue(verificationId + "#positions");
      o.setStatus(Observation.ObservationStatus.FINAL);
      o.setCode(new CodeableConcept(new Coding(CustodyCodes.CS, "seed-position-verification",
          "Seed position verification")));
      o.setSubject(new Reference(refs.patient()));
      o.addPartOf(new Reference(refs.procedure()));
      o.setDevice(new Reference(refs.device()));
      o.setEffective(new DateTimeType(Date.from(study.time())));
      o.addDerivedFrom(new Reference(refs.study()));
      o.addComponent().setCode(CustodyCodes.concept("similarity-score")).setValue(new Quantity()
          .setValue(round(pv.score(), 3)).setUnit("1").setSystem(CustodyCodes.UCUM).setCode("1"));
      o.addComponent().setCode(CustodyCodes.concept("matched-seeds")).setValue(new IntegerType(pv.pairs().size()));
      o.addComponent().setCode(CustodyCodes.concept("missing-seeds")).setValue(new IntegerType(pv.missing().size()));
      o.addComponent().setCode(CustodyCodes.concept("extra-seeds")).setValue(new IntegerType(pv.extra().size()));
      if (!pv.pairs().isEmpty()) {
        o.addComponent().setCode(CustodyCodes.concept("max-displacement")).setValue(mm(pv.maxDisplacementMm()));
        o.addComponent().setCode(CustodyCodes.concept("mean-displacement")).setValue(mm(pv.meanDisplacementMm()));
      }
      o.addComponent().setCode(CustodyCodes.concept("registration-residual"))
          .setValue(mm(pv.registration().residualMm()));
      plan.ifPresent(p -> o.addNote(new Annotation().setText("Plan: " + p.source() + "; registration: "
          + pv.registration().method())));
      return o;
    });

    DiagnosticReport report = new DiagnosticReport();
    report.getMeta().addProfile(CustodyCodes.SD + "seed-verification-report");
    report.addIdentifier().setSystem(SID_VERIFICATION).setValue(verificationId);
    report.setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL);
    report.setCode(CustodyCodes.concept("seed-verification-report"));
    report.setSubject(new Reference(refs.patient()));
    report.setEffective(new DateTimeType(Date.from(study.time())));
    report.setIssuedElement(new InstantType(now));
    report.addResult(new Reference(refs.imaged()));
    position.ifPresent(p -> report.addResult(new Reference(refs.position())));
    Optional<Observation> dose = doseOutcome.map(d -> DoseObservation.of(verificationId, refs, study, d));
    String doseUrn = "urn:uuid:" + java.util.UUID.randomUUID();
    dose.ifPresent(d -> report.addResult(new Reference(doseUrn)));
    report.addImagingStudy(new Reference(refs.study()));
    report.setConclusion(conclusion);
    report.addConclusionCode(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
        alarms.isEmpty() ? "N" : "A", alarms.isEmpty() ? "Normal" : "Abnormal")));

    List<DetectedIssue> issues = new ArrayList<>();
    List<Flag> flags = new ArrayList<>();
    int n = 0;
    for (Alarm alarm : alarms) {
      n++;
      DetectedIssue issue = new DetectedIssue();
      issue.getMeta().addProfile(CustodyCodes.PROFILE_ALERT);
      issue.addIdentifier().setSystem(CustodyCodes.SID_ALERT).setValue(verificationId + "#alarm-" + n);
      issue.setStatus(DetectedIssue.DetectedIssueStatus.FINAL);
      issue.setCode(CustodyCodes.concept(alarm.kind()));
      issue.setSeverity(alarm.kind().equals("count-uncertain") ? DetectedIssue.DetectedIssueSeverity.MODERATE
          : DetectedIssue.DetectedIssueSeverity.HIGH);
      issue.setPatient(new Reference(refs.patient()));
      issue.setIdentified(new DateTimeType(now));
      issue.addImplicated(new Reference(refs.procedure()));
      issue.addImplicated(new Reference(refs.device()));
      issue.addImplicated(new Reference(refs.report()));
      issue.setDetail(alarm.detail());
      issues.add(issue);
      Flag flag = new Flag();
      flag.addIdentifier().setSystem(SID_FLAG).setValue(verificationId + "#alarm-" + n);
      flag.setStatus(Flag.FlagStatus.ACTIVE);
      flag.addCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/flag-category",
          "clinical", "Clinical")));
      flag.setCode(new CodeableConcept(new Coding(CustodyCodes.CS, alarm.kind(), null)).setText("Brachytherapy seed alarm: "
          + alarm.detail()));
      flag.setSubject(new Reference(refs.patient()));
      flag.getPeriod().setStart(now);
      flags.add(flag);
    }
    s.setId(refs.study());
    imaged.setId(refs.imaged());
    position.ifPresent(p -> p.setId(refs.position()));
    dose.ifPresent(d -> d.setId(doseUrn));
    report.setId(refs.report());
    return new Resources(s, imaged, position, dose, report, issues, flags);
  }

  private static Quantity mm(double v) {
    return new Quantity().setValue(round(v, 2)).setUnit("mm").setSystem(CustodyCodes.UCUM).setCode("mm");
  }

  private static java.math.BigDecimal round(double v, int places) {
    return java.math.BigDecimal.valueOf(v).setScale(places, java.math.RoundingMode.HALF_UP);
  }

  /** The references the resources use. */
  public record Refs(String patient, String procedure, String device, String study, String imaged, String position,
      String report) {}

  /** The CT study as received. */
  public record Study(String studyUid, String seriesUid, String frameOfReferenceUid, String accessionNumber,
      String patientId, java.time.Instant time, int instances) {}

  /**
   * A report made from a series that did not arrive whole is only {@code preliminary}, and says
   * why first, in its conclusion and among its conclusion codes.
   */
  static void markPreliminary(DiagnosticReport report, SeriesStableEvent event) {
    report.setStatus(DiagnosticReport.DiagnosticReportStatus.PRELIMINARY);
    report.setConclusion("PRELIMINARY: " + IncompleteSeries.detail(event) + " " + report.getConclusion());
    report.addConclusionCode(CustodyCodes.concept(IncompleteSeries.KIND));
  }
}
