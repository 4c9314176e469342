package io.seedtrace.server.console.report;

import io.seedtrace.server.store.FhirStore;
import io.seedtrace.server.verification.ReportPrinter;
import io.seedtrace.server.verification.VerificationResults;
import io.seedtrace.server.verification.VerificationTables;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;

/** Reads a verification report and what it refers to (counts, positions, alarms) into a {@link ReportView}. */
public final class ReportViews {

  private final FhirStore store;
  private final VerificationTables tables;

  public ReportViews(FhirStore store, VerificationTables tables) {
    this.store = store;
    this.tables = tables;
  }

  public Optional<ReportView> load(String reportId) {
    if (!reportId.matches("[A-Za-z0-9.-]{1,64}")) {
      return Optional.empty();
    }
    return store.readOptional(DiagnosticReport.class, reportId).map(this::view);
  }

  /** The report printed as PDF when it was made (its {@code presentedForm}), if it has one. */
  public Optional<byte[]> printed(String reportId) {
    if (!reportId.matches("[A-Za-z0-9.-]{1,64}")) {
      return Optional.empty();
    }
    return store.readOptional(DiagnosticReport.class, reportId).flatMap(r -> r.getPresentedForm().stream()
        .filter(a -> "application/pdf".equals(a.getContentType()) && a.hasData()).findFirst())
        .map(a -> a.getData());
  }

  /** The dose pictures kept for a verification (names and captions; DVH first, then the isodose slices). */
  public List<ReportPrinter.Picture> pictures(String verificationId) {
    return verificationId == null ? List.of() : tables.pictureList(verificationId);
  }

  /** One kept picture as PNG. */
  public Optional<byte[]> picture(String verificationId, String name) {
    return verificationId == null || !name.matches("[a-z0-9-]{1,64}") ? Optional.empty()
        : tables.picture(verificationId, name);
  }

  private ReportView view(DiagnosticReport report) {
    Observation imaged = null;
    Observation position = null;
    Observation dose = null;
    for (Reference result : report.getResult()) {
      Optional<Observation> o = store.readOptional(Observation.class, result.getReference());
      if (o.isPresent() && code(o.get()).equals("seed-count-imaged")) {
        imaged = o.get();
      } else if (o.isPresent() && code(o.get()).equals("seed-position-verification")) {
        position = o.get();
      } else if (o.isPresent() && code(o.get()).equals("implant-dose")) {
        dose = o.get();
      }
    }
    String device = imaged == null || !imaged.hasDevice() ? null : imaged.getDevice().getReference();
    String procedure = imaged == null || !imaged.hasPartOf() ? null : imaged.getPartOfFirstRep().getReference();
    String id = report.getIdElement().getIdPart();
    String verificationId = verificationId(report);
    List<ReportView.Alarm> alarms = new ArrayList<>();
    for (DetectedIssue issue : Alarms.byReport(store, List.of(report)).getOrDefault(id, List.of())) {
      alarms.add(new ReportView.Alarm(issue.getIdElement().getIdPart(), Alarms.kind(issue),
          issue.hasSeverity() ? issue.getSeverity().toCode() : "", issue.getDetail(), issue.hasMitigation()));
    }
    return new ReportView(id, report.getStatus().toCode(), report.getEffectiveDateTimeType().getValue(),
        report.getSubject().getReference(), idPart(procedure), idPart(device), verificationId,
        seriesUid(report), report.getConclusion(), counts(imaged, device), position(position), alarms,
        report.hasResultsInterpreter() ? report.getResultsInterpreterFirstRep().getDisplay() : null,
        verificationId == null ? null : tables.figures(verificationId).orElse(null), dose(dose));
  }

  private static List<ReportView.DoseFigure> dose(Observation o) {
    if (o == null) {
      return List.of();
    }
    List<ReportView.DoseFigure> figures = new ArrayList<>();
    for (Observation.ObservationComponentComponent c : o.getComponent()) {
      if (c.getValue() instanceof Quantity q && q.hasValue()) {
        String unit = "cm3".equals(q.getUnit()) ? "cc" : q.getUnit();
        figures.add(new ReportView.DoseFigure(c.getCode().hasText() ? c.getCode().getText()
            : c.getCode().getCodingFirstRep().getDisplay(), q.getValue().toPlainString() + " " + unit));
      }
    }
    return figures;
  }

  private ReportView.Counts counts(Observation imaged, String device) {
    List<Observation> deviceCounts = device == null ? List.of() : store.byReference(Observation.class, "device", device);
    Integer l1 = imaged == null || !imaged.hasValueQuantity() ? null : imaged.getValueQuantity().getValue().intValue();
    String note = imaged == null || !imaged.hasNote() ? null : imaged.getNoteFirstRep().getText();
    return new ReportView.Counts(count(deviceCounts, "seed-count-shipped"), l1,
        count(deviceCounts, "seed-count-remaining"), count(deviceCounts, "seed-count-removed"), note);
  }

  private static Integer count(List<Observation> observations, String kind) {
    return observations.stream()
        .filter(o -> kind.equals(code(o)) && o.getStatus() == Observation.ObservationStatus.FINAL && o.hasValueQuantity())
        .max(Comparator.comparing(o -> o.getMeta().getLastUpdated()))
        .map(o -> o.getValueQuantity().getValue().intValue()).orElse(null);
  }

  private static ReportView.Position position(Observation o) {
    if (o == null) {
      return null;
    }
    String note = o.hasNote() ? o.getNoteFirstRep().getText() : null;
    return new ReportView.Position(decimal(o, "similarity-score"), integer(o, "matched-seeds"),
        integer(o, "missing-seeds"), integer(o, "extra-seeds"), decimal(o, "max-displacement"),
        decimal(o, "mean-displacement"), decimal(o, "registration-residual"), note);
  }

  private static Double decimal(Observation o, String code) {
    return o.getComponent().stream().filter(c -> code.equals(c.getCode().getCodingFirstRep().getCode()))
        .filter(c -> c.getValue() instanceof Quantity).map(c -> ((Quantity) c.getValue()).getValue().doubleValue())
        .findFirst().orElse(null);
  }

  private static Integer integer(Observation o, String code) {
    return o.getComponent().stream().filter(c -> code.equals(c.getCode().getCodingFirstRep().getCode()))
        .filter(c -> c.getValue() instanceof IntegerType).map(c -> ((IntegerType) c.getValue()).getValue())
        .findFirst().orElse(null);
  }

  private String seriesUid(DiagnosticReport report) {
    if (!report.hasImagingStudy()) {
      return null;
    }
    return store.readOptional(ImagingStudy.class, report.getImagingStudyFirstRep().getReference())
        .filter(ImagingStudy::hasSeries).map(s -> s.getSeriesFirstRep().getUid()).orElse(null);
  }

  private static String verificationId(DiagnosticReport report) {
    return report.getIdentifier().stream().filter(i -> VerificationResults.SID_VERIFICATION.equals(i.getSystem()))
        .map(i -> i.getValue()).findFirst().orElse(null);
  }

  private static String code(Observation o) {
    return o.getCode().getCodingFirstRep().getCode();
  }

  private static String idPart(String reference) {
    return reference == null ? null : reference.substring(reference.indexOf('/') + 1);
  }
}
