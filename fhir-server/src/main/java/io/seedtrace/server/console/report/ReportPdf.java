package io.seedtrace.server.console.report;

import io.seedtrace.dicom.volume.ImageVolume;
import io.seedtrace.routes.verification.Alarm;
import io.seedtrace.dosimetry.dvh.Contour;
import io.seedtrace.dosimetry.dvh.DoseMetric;
import io.seedtrace.dosimetry.dvh.DoseVolumeHistogram;
import io.seedtrace.dosimetry.dvh.Structure;
import io.seedtrace.dosimetry.dvh.StructureRole;
import io.seedtrace.routes.verification.CountModel;
import io.seedtrace.routes.verification.DoseOutcome;
import io.seedtrace.server.console.report.SeedProjections.Plane;
import io.seedtrace.server.verification.ReportPrinter;
import io.seedtrace.server.verification.SeedFigures;
import java.io.IOException;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TimeZone;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verification report as a PDF of one or two A4 pages, for the EHR: patient, implant and
 * cartridge, the count balance, the three projections with the seeds drawn as on the report page,
 * the comparison with the plan, the alarms, whether the report is signed off, the dose (figures,
 * DVH and isodose lines over the CT slices through the target) when it was computed, and the
 * displacement table, rows with an alarm first. What does not fit on two pages (the table of a large implant) is
 * left to the console, and the last page says how many rows that is. The projections come from the
 * volume already in memory, so printing costs one projection pass and the document's size (the
 * three PNGs and a few kilobytes of text).
 */
public final class ReportPdf implements ReportPrinter {

  private static final Logger LOG = LoggerFactory.getLogger(ReportPdf.class);
  private static final int MAX_PAGES = 2;
  private static final float[] COLUMNS = {0, 46, 170, 214, 338, 392, 452};

  @Override
  public String contentType() {
    return "application/pdf";
  }

  /** What an unsigned report says under "Sign-off", on one line, so that a later sign-off can replace it. */
  static final String UNSIGNED =
      "Not signed off: made by SeedTrace without review; a physicist signs it off in the SeedTrace console.";

  @Override
  public Printed print(Content c) throws IOException {
    DiagnosticReport report = c.report();
    List<Picture> pictures = new ArrayList<>();
    try (PdfSheet sheet = new PdfSheet(MAX_PAGES, "SeedTrace verification " + c.verificationId())) {
      sheet.title("Seed implant verification");
      facts(sheet, c);
      sheet.heading("Sign-off");
      sheet.paragraph(report.hasResultsInterpreter()
          ? "Signed off by " + report.getResultsInterpreterFirstRep().getDisplay() + "." : UNSIGNED);
      balance(sheet, c.counts());
      projections(sheet, c.volume(), c.figures());
      alarms(sheet, c.alarms());
      if (c.dose().isPresent()) {
        pictures.addAll(dosePictures(c.volume(), c.dose().get()));
        dose(sheet, c.dose().get(), pictures);
      }
      displacements(sheet, c.figures());
      return new Printed(sheet.finish(), pictures);
    }
  }

  /**
   * The DVH plot and the isodose lines over the CT slices through the target. When the slices cannot
   * be drawn (a tilted CT, a target the dose's structures do not name), the DVH alone.
   */
  static List<Picture> dosePictures(ImageVolume volume, DoseOutcome dose) {
    List<Picture> pictures = new ArrayList<>();
    pictures.add(new Picture("dvh", "Cumulative DVH; dashed line: prescription", dose.dvhPng()));
    Optional<Structure> target = target(dose);
    if (target.isEmpty()) {
      return pictures;
    }
    try {
      List<IsodoseSlices.Slice> slices = IsodoseSlices.draw(volume, dose.result().doseGy(), dose.prescriptionGy(),
          target.get());
      for (int n = 0; n < slices.size(); n++) {
        pictures.add(new Picture("isodose-" + (n + 1), slices.get(n).caption(), slices.get(n).png()));
      }
    } catch (IllegalArgumentException cannot) {
      LOG.warn("Isodose lines not drawn: {}", cannot.getMessage());
    }
    return pictures;
  }

  /** The target's contours from the structure set, found by the name its DVH carries. */
  private static Optional<Structure> target(DoseOutcome dose) {
    DoseVolumeHistogram dvh = dose.result().dvhs().get(StructureRole.TARGET);
    if (dvh == null) {
      return Optional.empty();
    }
    return dose.structures().rois().stream().filter(r -> r.name().equals(dvh.name())).findFirst()
        .map(r -> new Structure(r.name(), r.contours().stream().map(Contour::ofPoints).toList()));
  }

  private static void facts(PdfSheet sheet, Content c) throws IOException {
    Patient patient = c.patient();
    Procedure procedure = c.procedure();
    Device cartridge = c.cartridge();
    sheet.fact("Patient", patient.getNameFirstRep().getNameAsSingleString()
        + (patient.hasBirthDate() ? ", born " + day(patient.getBirthDate()) : "")
        + (patient.hasIdentifier() ? ", ID " + patient.getIdentifierFirstRep().getValue() : ""));
    sheet.fact("Implant", "seed implant" + (procedure.hasPerformedDateTimeType()
        ? " of " + day(procedure.getPerformedDateTimeType().getValue()) : "")
        + (procedure.hasIdentifier() ? ", " + procedure.getIdentifierFirstRep().getValue() : ""));
    sheet.fact("Cartridge", "serial " + cartridge.getSerialNumber() + ", lot " + cartridge.getLotNumber()
        + (cartridge.hasManufacturer() ? ", " + cartridge.getManufacturer() : ""));
    sheet.fact("CT", day(Date.from(c.ctTime())) + ", series " + c.seriesUid() + " (" + c.images() + " images)");
    sheet.fact("Report status", c.report().getStatus().toCode() + ", verification " + c.verificationId());
    sheet.fact("Conclusion", c.report().getConclusion());
  }

  private static void balance(PdfSheet sheet, CountModel c) throws IOException {
    sheet.heading("Count balance: L0 = L1 + L2 + L3");
    String range = c.imagedMin() == c.imagedMax() ? "" : " (the detector's range " + c.imagedMin() + " to "
        + c.imagedMax() + ")";
    sheet.fact("L0 shipped", number(c.shipped()));
    sheet.fact("L1 seen on the CT", c.imaged() + range);
    sheet.fact("L2 left in cartridge", number(c.remaining()));
    sheet.fact("L3 removed", number(c.removed()));
    if (c.shipped().isPresent() && c.remaining().isPresent() && c.removed().isPresent()) {
      int unaccounted = c.shipped().getAsInt() - c.imaged() - c.remaining().getAsInt() - c.removed().getAsInt();
      sheet.fact("Balance", unaccounted == 0 ? "every seed accounted for"
          : unaccounted > 0 ? unaccounted + " seed(s) unaccounted for"
          : -unaccounted + " seed(s) more seen than shipped");
    } else {
      sheet.fact("Balance", "cannot be drawn: a count was never recorded");
    }
  }

  private static void projections(PdfSheet sheet, ImageVolume volume, SeedFigures figures) throws IOException {
    sheet.heading("Seeds on the CT (maximum-intensity projections)");
    Map<Plane, byte[]> pngs = SeedProjections.draw(volume, figures);
    List<byte[]> images = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    for (Plane plane : CtProjections.planes()) {
      images.add(pngs.get(plane));
      captions.add(plane.path());
    }
    sheet.images(images, captions);
    sheet.paragraph("Numbers: detected seeds. Blue circle: planned seed matched; red square with a cross: planned "
        + "seed missing; orange triangle: detected seed with no planned seed.");
    long matched = figures.planned().stream().filter(p -> !p.missing()).count();
    sheet.paragraph(figures.planned().isEmpty() ? "No plan to compare with."
        : figures.planned().size() + " planned seeds: " + matched + " matched, "
            + (figures.planned().size() - matched) + " missing; "
            + figures.detected().stream().filter(SeedFigures.DetectedSeed::extra).count() + " extra detected.");
  }

  /** The dose-volume figures, the DVH plot and the isodose slices, when the dose was computed. */
  private static void dose(PdfSheet sheet, DoseOutcome dose, List<Picture> pictures) throws IOException {
    sheet.heading("Dose (AAPM TG-43, dose to infinity)");
    for (DoseMetric m : dose.result().metrics().metrics()) {
      sheet.fact(m.display(), String.format(Locale.ROOT, "%.1f %s (%s)", m.value(),
          m.unit().equals("cm3") ? "cc" : m.unit(), m.structure()));
    }
    for (String note : dose.notes()) {
      sheet.paragraph("Note: " + note + ".");
    }
    sheet.image(pictures.get(0).png(), pictures.get(0).caption(), 0.6f);
    List<Picture> slices = pictures.subList(1, pictures.size());
    if (!slices.isEmpty()) {
      sheet.images(slices.stream().map(Picture::png).toList(), slices.stream().map(Picture::caption).toList());
      sheet.paragraph(String.format(Locale.ROOT, "Isodose lines of the prescription (%.0f Gy): 50 %% dotted blue, "
          + "100 %% solid red, 150 %% dashed orange, 200 %% dash-dot magenta; target contour thin solid green.",
          dose.prescriptionGy()));
    }
  }

  private static void alarms(PdfSheet sheet, List<Alarm> alarms) throws IOException {
    sheet.heading("Alarms");
    if (alarms.isEmpty()) {
      sheet.paragraph("None.");
    }
    for (Alarm alarm : alarms) {
      sheet.paragraph(alarm.kind() + ": " + alarm.detail());
    }
  }

  private static void displacements(PdfSheet sheet, SeedFigures figures) throws IOException {
    List<DisplacementTable.Row> rows = new ArrayList<>(DisplacementTable.rows(figures));
    if (rows.isEmpty() || !sheet.heading("Displacements (mm; rows with an alarm first)")) {
      return;
    }
    rows.sort(Comparator.comparing(r -> !r.alarm()));
    sheet.row(COLUMNS, List.of("Planned", "at", "Found", "at", "Distance", "Outcome", "Alarm"), true);
    int printed = 0;
    for (DisplacementTable.Row r : rows) {
      if (!sheet.row(COLUMNS, List.of(text(r.plannedSeed()), text(r.plannedAt()), text(r.foundSeed()),
          text(r.foundAt()), text(r.distanceMm()), r.outcome(), r.alarm() ? "ALARM" : ""), false)) {
        break;
      }
      printed++;
    }
    if (printed < rows.size()) {
      sheet.lastNote((rows.size() - printed) + " more rows of the displacement table are in the SeedTrace console.");
    }
  }

  private static String number(OptionalInt n) {
    return n.isPresent() ? String.valueOf(n.getAsInt()) : "not recorded";
  }

  private static String text(Object o) {
    return o == null ? "" : o.toString();
  }

  private static String day(Date date) {
    SimpleDateFormat format = new SimpleDateFormat("yyyy-MM-dd");
    format.setTimeZone(TimeZone.getTimeZone("UTC"));
    return format.format(date);
  }
}
