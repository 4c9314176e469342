package io.seedtrace.dicom.rt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.Vr;
import io.seedtrace.dicom.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signed report as an Encapsulated PDF in the CT's study, checked by dicom3tools' dciodvfy and DCMTK. */
class EncapsulatedPdfWriterTest {

  static final byte[] PDF = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
      .getBytes(StandardCharsets.ISO_8859_1);

  static DataSet ctHeader() {
    return new DataSet()
        .putString(Tag.SpecificCharacterSet, Vr.CS, "ISO_IR 100")
        .putString(Tag.PatientName, Vr.PN, "Doe^Jane")
        .putString(Tag.PatientID, Vr.LO, "IP-2026-0042")
        .putString(Tag.PatientBirthDate, Vr.DA, "19500101")
        .putString(Tag.PatientSex, Vr.CS, "M")
        .putString(Tag.StudyInstanceUID, Vr.UI, "1.2.826.0.1.3680043.8.498.1")
        .putString(Tag.StudyDate, Vr.DA, "20261124")
        .putString(Tag.StudyTime, Vr.TM, "101500")
        .putString(Tag.AccessionNumber, Vr.SH, "ACC-7")
        .putString(Tag.SeriesInstanceUID, Vr.UI, "1.2.826.0.1.3680043.8.498.2")
        .putString(Tag.Modality, Vr.CS, "CT");
  }

  @Test
  void joinsTheStudyWithThePdfWholeAndOddLengthsPadded() throws Exception {
    byte[] file = EncapsulatedPdfWriter.write(ctHeader(), PDF, "Seed verification report");
    Part10.DicomFile read = Part10.read(file);
    DataSet ds = read.dataSet();
    assertThat(ds.getString(Tag.SOPClassUID, "")).isEqualTo("1.2.840.10008.5.1.4.1.1.104.1");
    assertThat(ds.getString(Tag.StudyInstanceUID, "")).isEqualTo("1.2.826.0.1.3680043.8.498.1");
    assertThat(ds.getString(Tag.PatientID, "")).isEqualTo("IP-2026-0042");
    assertThat(ds.getString(Tag.AccessionNumber, "")).isEqualTo("ACC-7");
    assertThat(ds.getString(Tag.SeriesInstanceUID, "")).isNotEqualTo("1.2.826.0.1.3680043.8.498.2");
    assertThat(ds.getString(Tag.Modality, "")).isEqualTo("DOC");
    assertThat(ds.getString(EncapsulatedPdfWriter.MIME_TYPE, "")).isEqualTo("application/pdf");
    byte[] value = ds.get(EncapsulatedPdfWriter.ENCAPSULATED_DOCUMENT).orElseThrow().value();
    assertThat(value.length % 2).isZero();
    assertThat(java.util.Arrays.copyOf(value, PDF.length)).isEqualTo(PDF);
    assertThat(ds.getInt(EncapsulatedPdfWriter.ENCAPSULATED_DOCUMENT_LENGTH)).contains(PDF.length);
    assertThatThrownBy(() -> EncapsulatedPdfWriter.write(ctHeader(), new byte[] {1, 2, 3}, "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EncapsulatedPdfWriter.write(new DataSet(), PDF, "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void dciodvfyFindsNoErrorAndDcmdumpReadsIt(@TempDir Path dir) throws Exception {
    assumeTrue(Tools.installed("dciodvfy") && Tools.installed("dcmdump"), "dicom3tools or DCMTK not installed");
    Path file = Files.write(dir.resolve("report.dcm"), EncapsulatedPdfWriter.write(ctHeader(), PDF,
        "Seed verification report"));
    Path log = dir.resolve("dciodvfy.log");
    Tools.run(List.of("dciodvfy", file.toString()), log);
    String verdict = Files.readString(log);
    assertThat(verdict).contains("EncapsulatedPDF");
    assertThat(verdict.lines().filter(l -> l.startsWith("Error"))).as(verdict).isEmpty();
    Path dump = dir.resolve("dcmdump.log");
    Tools.check(List.of("dcmdump", "+P", "0008,0016", "+P", "0042,0012", "+P", "0020,000d", file.toString()), dump);
    assertThat(Files.readString(dump)).contains("=EncapsulatedPDFStorage").contains("application/pdf")
        .contains("1.2.826.0.1.3680043.8.498.1");
  }
}
