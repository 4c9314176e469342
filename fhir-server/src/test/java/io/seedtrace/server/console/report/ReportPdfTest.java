package io.seedtrace.server.console.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedtrace.dicom.volume.ImageVolume;
import io.seedtrace.routes.verification.Alarm;
import io.seedtrace.routes.verification.CountModel;
import io.seedtrace.server.verification.ReportPrinter;
import io.seedtrace.server.verification.SeedFigures;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.junit.jupiter.api.Test;

class ReportPdfTest {

  private final ReportPdf printer = new ReportPdf();

  @Test
  void aSmallImplantFitsOnePageWithPatientCountsPicturesAndEveryRow() throws IOException {
    ReportPrinter.Content content = content(seeds(10, 1), List.of(new Alarm("count-mismatch",
        "L0 = 12 but L1 + L2 + L3 = 11: 1 seed unaccounted for.")));
    try (PDDocument doc = Loader.loadPDF(printer.print(content).document())) {
      assertThat(doc.getNumberOfPages()).isEqualTo(1);
      String text = new PDFTextStripper().getText(doc);
      assertThat(text).contains("MRN-4711", "José Müller", "count-mismatch", "Not signed off",
          "10 planned seeds: 9 matched, 1 missing");
      assertThat(text).containsPattern("L0 shipped\\s+12").containsPattern("L1 seen on the CT\\s+9")
          .containsPattern("1 seed\\(s\\) unaccounted for");
      assertThat(rows(text, "matched")).isEqualTo(9L);
      assertThat(rows(text, "missing ALARM")).isEqualTo(1L);
      assertThat(doc.getPage(0).getResources().getXObjectNames()).as("the three projections").hasSize(3);
    }
  }

  @Test
  void aComputedDoseIsPrintedWithItsFiguresTheDvhPlotAndIsodoseLinesOnThreeSlices() throws IOException {
    ReportPrinter.Content plain = content(seeds(10, 1), List.of());
    // a CT around the made-up implant (centred on the patient origin), 2 mm slices
    short[] voxels = new short[200 * 200 * 60];
    Arrays.fill(voxels, (short) 30);
    ImageVolume around = ImageVolume.ct(200, 200, 60, 0.7, 0.7, 2, new double[] {-70, -70, -60},
        new double[] {1, 0, 0}, new double[] {0, 1, 0}, new double[] {0, 0, 1}, voxels, "1.2", "1.2.3", "1.2.3.4");
    ReportPrinter.Content dosed = new ReportPrinter.Content(plain.verificationId(), plain.ctTime(), plain.seriesUid(),
        plain.images(), around, plain.figures(), plain.counts(), plain.alarms(), plain.patient(),
        plain.procedure(), plain.cartridge(), plain.report(),
        java.util.Optional.of(io.seedtrace.server.verification.ImplantDoses.dose("1.2.3.4", 145)));
    ReportPrinter.Printed printed = printer.print(dosed);
    assertThat(printed.pictures()).extracting(ReportPrinter.Picture::name)
        .containsExactly("dvh", "isodose-1", "isodose-2", "isodose-3");
    assertThat(printed.pictures().get(2).caption()).isEqualTo("z = 0.0 mm (target centre)");
    try (PDDocument doc = Loader.loadPDF(printed.document())) {
      String text = new PDFTextStripper().getText(doc);
      assertThat(text).contains("Dose (AAPM TG-43, dose to infinity)", "Cumulative DVH", "Note: a test implant.",
          "Isodose lines of the prescription (145 Gy)", "z = -10.0 mm (-10 mm)", "z = 10.0 mm (+10 mm)")
          .containsPattern("Target D90\\s+\\d+\\.\\d Gy \\(Prostate\\)")
          .containsPattern("Rectum V100\\s+\\d+\\.\\d cc \\(Rectum\\)");
      int images = 0;
      for (int p = 0; p < doc.getNumberOfPages(); p++) {
        for (var name : doc.getPage(p).getResources().getXObjectNames()) {
          images++;
        }
      }
      assertThat(images).as("three projections, the DVH and three isodose slices").isEqualTo(7);
    }
    try (PDDocument doc = Loader.loadPDF(printer.print(plain).document())) {
      assertThat(new PDFTextStripper().getText(doc)).doesNotContain("Dose (AAPM");
    }
  }

  /** 200 planned seeds do not fit on two pages: the rows with an alarm come first, the rest are counted. */
  @Test
  void aLargeImplantStaysWithinTwoPagesAndSaysWhatWasLeftToTheConsole() throws IOException {
    ReportPrinter.Content content = content(seeds(200, 3), List.of());
    long start = System.nanoTime();
    byte[] pdf = printer.print(content).document();
    long ms = (System.nanoTime() - start) / 1_000_000;
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      assertThat(doc.getNumberOfPages()).isEqualTo(2);
      String text = new PDFTextStripper().getText(doc);
      assertThat(rows(text, "missing ALARM")).as("every row with an alarm").isEqualTo(3L);
      assertThat(rows(text, "matched")).isBetween(60L, 120L);
      assertThat(text).containsPattern("\\d+ more rows of the displacement table are in the SeedTrace console");
    }
    assertThat(pdf.length).as("bytes").isLessThan(1_000_000);
    System.out.printf("ReportPdfTest: 200 seeds, 256 x 256 x 80 CT: %d bytes, %d ms%n", pdf.length, ms);
  }

  @Test
  void aSignOffReplacesTheUnsignedStatementWithWhoSignedAndWhen() throws IOException {
    byte[] unsigned = printer.print(content(seeds(10, 1), List.of())).document();
    byte[] signed = SignedPdf.signed(unsigned, "Marie Skłodowska (physicist)", Instant.parse("2026-12-07T23:40:00Z"));
    try (PDDocument doc = Loader.loadPDF(signed)) {
      String text = new PDFTextStripper().getText(doc);
      assertThat(text).contains("Signed off by Marie Sk?odowska (physicist) on 2026-12-07 23:40 UTC.", "MRN-4711")
          .doesNotContain("Not signed off");
      assertThat(doc.getDocumentInformation().getModificationDate().toInstant())
          .isEqualTo(Instant.parse("2026-12-07T23:40:00Z"));
      assertThat(doc.getPage(0).getResources().getXObjectNames()).as("the projections are kept").hasSize(3);
    }
    assertThatThrownBy(() -> SignedPdf.signed(signed, "someone else", Instant.now()))
        .isInstanceOf(IOException.class).hasMessageContaining("no 'Not signed off' statement");
  }

  @Test
  void charactersTheStandardFontsCannotShowPrintAsQuestionMarks() {
    assertThat(PdfSheet.latin1("Søren Ωmega\tline")).isEqualTo("Søren ?mega line");
  }

  /** The displacement table's rows (starting with a seed number and a position) that end with the outcome. */
  private static long rows(String text, String outcome) {
    return text.lines().filter(l -> l.matches("\\d+ \\(.*") && l.endsWith(" " + outcome)).count();
  }

  /** {@code planned} seeds on a grid, the last {@code missing} of them not found. */
  private static SeedFigures seeds(int planned, int missing) {
    List<SeedFigures.DetectedSeed> detected = new ArrayList<>();
    List<SeedFigures.PlannedSeed> plan = new ArrayList<>();
    for (int n = 0; n < planned; n++) {
      double[] at = {40 + (n % 10) * 8, 40 + (n / 10 % 10) * 8, 40 + n / 100 * 20};
      if (n < planned - missing) {
        detected.add(new SeedFigures.DetectedSeed(new double[] {at[0] + 0.5, at[1], at[2]}, 0.9, 1, n + 1));
        plan.add(new SeedFigures.PlannedSeed(at, detected.size(), 0.5, false));
      } else {
        plan.add(new SeedFigures.PlannedSeed(at, null, null, false));
      }
    }
    return new SeedFigures(List.of(), detected, plan, List.of(), detected.size(), detected.size(), 0, 2.0);
  }

  private static ReportPrinter.Content content(SeedFigures figures, List<Alarm> alarms) {
    short[] voxels = new short[256 * 256 * 80];
    Arrays.fill(voxels, (short) -50);
    ImageVolume volume = ImageVolume.ct(256, 256, 80, 0.7, 0.7, 1.5, new double[] {0, 0, 0}, new double[] {1, 0, 0},
        new double[] {0, 1, 0}, new double[] {0, 0, 1}, voxels, "1.2", "1.2.3", "1.2.3.4");
    int imaged = figures.detected().size();
    CountModel counts = new CountModel(OptionalInt.of(imaged + 3), imaged, imaged, imaged, OptionalInt.of(0),
        OptionalInt.of(2));
    Patient patient = new Patient();
    patient.addIdentifier().setValue("MRN-4711");
    patient.addName().setFamily("Müller").addGiven("José");
    Procedure procedure = new Procedure();
    procedure.setPerformed(new DateTimeType("2026-12-01"));
    Device cartridge = new Device().setSerialNumber("SN-1").setLotNumber("LOT-7").setManufacturer("Seedmaker");
    DiagnosticReport report = new DiagnosticReport().setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL)
        .setConclusion("One seed unaccounted for.");
    return new ReportPrinter.Content("VER-1", Instant.parse("2026-12-02T10:00:00Z"), "1.2.3.4", 80, volume, figures,
        counts, alarms, patient, procedure, cartridge, report);
  }
}
