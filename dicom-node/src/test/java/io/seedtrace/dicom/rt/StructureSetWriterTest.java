package io.seedtrace.dicom.rt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seedtrace.dicom.NodeConfig;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Element;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.testing.TestCt;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StructureSetWriterTest {

  private static final Clock NOV_24_0930 = Clock.fixed(Instant.parse("2026-11-24T09:30:00Z"), ZoneOffset.UTC);

  @TempDir
  Path work;

  private final String study = TestCt.uid();
  private final String frame = TestCt.uid();
  private final String ctSeries = TestCt.uid();

  private StructureSetWriter.Input seeds(List<double[]> positions, List<String> ctImages) {
    return new StructureSetWriter.Input("张^伟", "IP-2026-0042", study, frame, ctSeries, "ACC-2026-77812", positions,
        "Post-implant seed detection, day 30", ctImages);
  }

  /** Seed centres with as many decimals as a detector produces, some far from the origin. */
  private static List<double[]> detectorOutput(int count) {
    Random random = new Random(30);
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(new double[] {
          random.nextGaussian() * 30, -150 + random.nextDouble() * 0.1, 1234.5 + random.nextDouble()});
    }
    out.add(new double[] {0.1 + 0.2, -1e-7, 99999.123456789});
    return out;
  }

  @Test
  void roundTripsEverySeedAsAPointRoiWithinDecimalStringPrecision() throws Exception {
    List<double[]> positions = detectorOutput(60);

    byte[] file = StructureSetWriter.write(seeds(positions, List.of()), NOV_24_0930);

    Part10.DicomFile read = Part10.read(file);
    assertThat(read.transferSyntax()).isEqualTo(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    PlannedPositions back = StructureSetPointReader.read(read.dataSet());
    assertThat(back.frameOfReferenceUid()).isEqualTo(frame);
    assertThat(back.size()).isEqualTo(positions.size());
    for (int i = 0; i < positions.size(); i++) {
      assertThat(back.labels().get(i)).isEqualTo("Seed " + (i + 1));
      assertThat(back.position(i)).containsExactly(positions.get(i), within(1e-6));
    }
  }

  @Test
  void joinsTheCtStudyInANewSeriesWithNewUids() throws Exception {
    DataSet first = Part10.read(StructureSetWriter.write(seeds(detectorOutput(3), List.of()), NOV_24_0930))
        .dataSet();
    DataSet second = Part10.read(StructureSetWriter.write(seeds(detectorOutput(3), List.of()), NOV_24_0930))
        .dataSet();

    assertThat(first.getString(Tag.SOPClassUID)).contains(NodeConfig.RT_STRUCTURE_SET);
    assertThat(first.getString(Tag.Modality)).contains("RTSTRUCT");
    assertThat(first.getString(Tag.StudyInstanceUID)).contains(study);
    assertThat(first.getString(Tag.PatientName)).contains("张^伟");
    assertThat(first.getString(Tag.PatientID)).contains("IP-2026-0042");
    assertThat(first.getString(Tag.AccessionNumber)).contains("ACC-2026-77812");
    assertThat(first.getString(Tag.SeriesInstanceUID).orElseThrow()).isNotEqualTo(ctSeries)
        .isNotEqualTo(second.getString(Tag.SeriesInstanceUID).orElseThrow());
    for (int tag : new int[] {Tag.SOPInstanceUID, Tag.SeriesInstanceUID}) {
      assertThat(first.getString(tag).orElseThrow()).matches("2\\.25\\.(0|[1-9][0-9]*)").hasSizeLessThanOrEqualTo(64);
    }
    assertThat(first.getString(Tag.SOPInstanceUID)).isNotEqualTo(second.getString(Tag.SOPInstanceUID));
    assertThat(first.getString(Tag.StructureSetDate)).contains("20261124");
    assertThat(first.getString(Tag.StructureSetTime)).contains("093000");
  }

  @Test
  void writesEveryMandatoryAttributeOfTheIodModules() {
    DataSet ds = StructureSetWriter.dataSet(seeds(detectorOutput(2), List.of()), NOV_24_0930);

    // type 1 and 2 of Patient, General Study, RT Series, General Equipment, Frame of Reference,
    // Structure Set and SOP Common (PS3.3 A.19.3); type 2 may be empty, type 1 may not
    int[] type1 = {Tag.SOPClassUID, Tag.SOPInstanceUID, Tag.SpecificCharacterSet, Tag.StudyInstanceUID,
        Tag.Modality, Tag.SeriesInstanceUID, Tag.FrameOfReferenceUID, Tag.StructureSetLabel};
    int[] type2 = {Tag.PatientName, Tag.PatientID, Tag.PatientBirthDate, Tag.PatientSex, Tag.StudyDate,
        Tag.StudyTime, Tag.ReferringPhysicianName, Tag.StudyID, Tag.AccessionNumber, Tag.SeriesNumber,
        Tag.OperatorsName, Tag.Manufacturer, Tag.PositionReferenceIndicator, Tag.StructureSetDate,
        Tag.StructureSetTime};
    assertPresent(ds, type1, type2);

    DataSet frameItem = only(ds, Tag.ReferencedFrameOfReferenceSequence);
    assertThat(frameItem.getString(Tag.FrameOfReferenceUID)).contains(frame);
    assertThat(frameItem.contains(Tag.RTReferencedStudySequence)).as("no CT images given: no reference").isFalse();

    List<DataSet> rois = ds.get(Tag.StructureSetROISequence).orElseThrow().items();
    List<DataSet> contours = ds.get(Tag.ROIContourSequence).orElseThrow().items();
    List<DataSet> observations = ds.get(Tag.RTROIObservationsSequence).orElseThrow().items();
    assertThat(rois).hasSize(3);
    assertThat(contours).hasSize(3);
    assertThat(observations).hasSize(3);
    for (int i = 0; i < 3; i++) {
      String number = Integer.toString(i + 1);
      assertPresent(rois.get(i), new int[] {Tag.ROINumber, Tag.ReferencedFrameOfReferenceUID},
          new int[] {Tag.ROIName, Tag.ROIGenerationAlgorithm});
      assertThat(rois.get(i).getString(Tag.ROINumber)).contains(number);
      assertThat(rois.get(i).getString(Tag.ROIName)).contains("Seed " + number);
      assertThat(rois.get(i).getString(Tag.ROIGenerationAlgorithm)).contains("AUTOMATIC");
      assertThat(rois.get(i).getString(Tag.ReferencedFrameOfReferenceUID)).contains(frame);

      assertPresent(contours.get(i), new int[] {Tag.ReferencedROINumber}, new int[0]);
      assertThat(contours.get(i).getString(Tag.ReferencedROINumber)).contains(number);
      DataSet contour = only(contours.get(i), Tag.ContourSequence);
      assertPresent(contour,
          new int[] {Tag.ContourGeometricType, Tag.NumberOfContourPoints, Tag.ContourData}, new int[0]);
      assertThat(contour.getString(Tag.ContourGeometricType)).contains("POINT");
      assertThat(contour.getString(Tag.NumberOfContourPoints)).contains("1");
      for (String value : contour.getStrings(Tag.ContourData)) {
        assertThat(value.length()).as("DS value '%s'", value).isLessThanOrEqualTo(16);
      }

      assertPresent(observations.get(i), new int[] {Tag.ObservationNumber, Tag.ReferencedROINumber},
          new int[] {Tag.RTROIInterpretedType, Tag.ROIInterpreter});
      assertThat(observations.get(i).getString(Tag.ReferencedROINumber)).contains(number);
      assertThat(observations.get(i).getString(Tag.RTROIInterpretedType)).contains("MARKER");
    }
  }

  @Test
  void referencesTheCtImagesWhenTheyAreKnown() {
    List<String> images = List.of(TestCt.uid(), TestCt.uid(), TestCt.uid());
    DataSet ds = StructureSetWriter.dataSet(seeds(detectorOutput(1), images), NOV_24_0930);

    DataSet studyRef = only(only(ds, Tag.ReferencedFrameOfReferenceSequence), Tag.RTReferencedStudySequence);
    assertThat(studyRef.getString(Tag.ReferencedSOPInstanceUID)).contains(study);
    assertThat(studyRef.getString(Tag.ReferencedSOPClassUID)).contains(StructureSetWriter.STUDY_REFERENCE_SOP_CLASS);
    DataSet seriesRef = only(studyRef, Tag.RTReferencedSeriesSequence);
    assertThat(seriesRef.getString(Tag.SeriesInstanceUID)).contains(ctSeries);
    List<DataSet> imageRefs = seriesRef.get(Tag.ContourImageSequence).orElseThrow().items();
    assertThat(imageRefs).extracting(item -> item.getString(Tag.ReferencedSOPInstanceUID).orElseThrow())
        .containsExactlyElementsOf(images);
    assertThat(imageRefs).allSatisfy(item ->
        assertThat(item.getString(Tag.ReferencedSOPClassUID)).contains(NodeConfig.CT_IMAGE));
  }

  @Test
  void theShortInputLeavesTheCtReferenceOutAndTheSystemClockDatesTheFile() throws Exception {
    StructureSetWriter.Input input = new StructureSetWriter.Input("Zhang^Wei", "IP-2026-0042", study, frame,
        ctSeries, null, detectorOutput(1), null);
    DataSet ds = Part10.read(StructureSetWriter.write(input)).dataSet();
    assertThat(only(ds, Tag.ReferencedFrameOfReferenceSequence).contains(Tag.RTReferencedStudySequence)).isFalse();
    assertThat(ds.getString(Tag.StructureSetDate).orElseThrow()).matches("20[0-9]{6}");
    assertThat(ds.contains(Tag.SeriesDescription)).as("no description given").isFalse();
    assertThat(ds.getString(Tag.AccessionNumber)).as("type 2, unknown").contains("");
    assertThat(StructureSetPointReader.read(ds).size()).isEqualTo(2);
  }

  @Test
  void refusesInputThatWouldMakeAnInvalidObject() {
    assertThatThrownBy(() -> seeds(List.of(), List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one ROI");
    assertThatThrownBy(() -> seeds(List.of(new double[] {1, Double.NaN, 3}), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StructureSetWriter.Input("", "", "1.2.03", frame, ctSeries, "", detectorOutput(1),
        ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("studyInstanceUid");
  }

  @Test
  void decimalStringsStayWithinSixteenCharacters() {
    for (double v : new double[] {0, -0.0, 1e-7, -123.4567891, 99999.123456789, -987654321.123, 1.5e20, -2.5e-300}) {
      String ds = RtAttributes.decimalString(v);
      assertThat(ds.length()).as(ds).isLessThanOrEqualTo(16);
      assertThat(Double.parseDouble(ds)).as(ds).isCloseTo(v, within(Math.max(1e-6, Math.abs(v) * 1e-9)));
    }
  }

  @Test
  void dcmdumpReadsTheWrittenFile() throws Exception {
    assumeTrue(onPath("dcmdump"), "DCMTK's dcmdump is not installed; independent parse skipped");
    Tool dcmdump = run("dcmdump", seeds(detectorOutput(5), List.of(TestCt.uid(), TestCt.uid())));

    assertThat(dcmdump.exitCode()).as(dcmdump.output()).isZero();
    assertThat(dcmdump.output()).contains("RTSTRUCT").contains("RTStructureSetStorage").contains("Seed 6")
        .contains("MARKER").doesNotContain("E: ").doesNotContain("W: ");
  }

  /** DCMTK's drtdump checks the RT Structure Set IOD and warns of every missing type 1 or 2 attribute. */
  @Test
  void drtdumpFindsNoMissingAttributes() throws Exception {
    assumeTrue(onPath("drtdump"), "DCMTK's drtdump is not installed; independent IOD check skipped");
    for (List<String> ctImages : List.of(List.<String>of(), List.of(TestCt.uid(), TestCt.uid()))) {
      Tool drtdump = run("drtdump", seeds(detectorOutput(3), ctImages));

      assertThat(drtdump.exitCode()).as(drtdump.output()).isZero();
      assertThat(drtdump.output()).contains("RT Structure Set object").doesNotContain("W: ").doesNotContain("E: ");
    }
  }

  private record Tool(int exitCode, String output) {}

  /** Writes {@code seeds} to a file and runs {@code tool -v file} on it (or without -v for dcmdump). */
  private Tool run(String tool, StructureSetWriter.Input seeds) throws Exception {
    Path file = Files.createTempFile(work, "seeds", ".dcm");
    Files.write(file, StructureSetWriter.write(seeds, NOV_24_0930));
    Path log = work.resolve(tool + ".log");
    List<String> command =
        tool.equals("dcmdump") ? List.of(tool, file.toString()) : List.of(tool, "-v", file.toString());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(tool + " finished").isTrue();
    return new Tool(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  private static boolean onPath(String tool) {
    return Stream.of(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
  }

  private static DataSet only(DataSet ds, int sequence) {
    Element e = ds.get(sequence).orElseThrow(() -> new AssertionError(Tag.toString(sequence) + " missing"));
    assertThat(e.items()).as(Tag.toString(sequence)).hasSize(1);
    return e.items().get(0);
  }

  private static void assertPresent(DataSet ds, int[] type1, int[] type2) {
    for (int tag : type1) {
      assertThat(ds.getString(tag)).as("type 1 " + Tag.toString(tag)).isPresent().get().asString().isNotEmpty();
    }
    for (int tag : type2) {
      assertThat(ds.contains(tag)).as("type 2 " + Tag.toString(tag)).isTrue();
    }
  }
}
