package io.seedtrace.dicom.rt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.DataSetReader;
import io.seedtrace.dicom.data.Element;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.data.Vr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class StructureSetContourReaderTest {

  private static final String FRAME = "1.2.826.0.1.3680043.10.543.77.2";

  @Test
  void readsTheClosedOutlinesAndSkipsTheSeedMarkers() throws Exception {
    byte[] file = Part10.toBytes(RtTestObjects.structureSet(FRAME, FRAME, RtTestObjects.fiveSeedsAndAProstate()),
        TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);

    StructureSetContours s = StructureSetContourReader.read(Part10.read(file).dataSet());

    assertThat(s.frameOfReferenceUid()).isEqualTo(FRAME);
    assertThat(s.rois()).singleElement().satisfies(roi -> {
      assertThat(roi.name()).isEqualTo("Prostate");
      assertThat(roi.number()).isEqualTo(1);
      assertThat(roi.contours()).singleElement().satisfies(c -> assertThat(c).containsExactly(
          new double[] {-20, -20, 10, 20, -20, 10, 20, 20, 10, -20, 20, 10}, within(1e-12)));
    });
  }

  @Test
  void readsTheOutlinesOfAStructureSetWrittenByOtherSoftware() throws Exception {
    Path rtstruct = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/rtstruct.dcm");
    assumeTrue(Files.isRegularFile(rtstruct), "python3-pydicom is not installed; its rtstruct.dcm is not here");
    DataSet ds = DataSetReader.read(Files.readAllBytes(rtstruct), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);

    StructureSetContours s = StructureSetContourReader.read(ds);

    assertThat(s.rois()).singleElement().satisfies(roi -> {
      assertThat(roi.name()).isEqualTo("patient");
      assertThat(roi.contours()).hasSize(3);
      assertThat(roi.contours().get(1)).hasSize(18);
      assertThat(java.util.Arrays.copyOf(roi.contours().get(1), 3)).containsExactly(new double[] {200, 0, -190},
          within(1e-12));
    });
  }

  @Test
  void refusesContourDataThatDisagreesWithItsCountOrIsNoNumber() {
    assertThatThrownBy(() -> StructureSetContourReader.read(withContour("4", "0\\0\\0\\1\\0\\0\\1\\1\\0")))
        .isInstanceOf(RtObjectException.class).hasMessageContaining("Number of Contour Points says 4")
        .hasMessageContaining("Urethra");
    assertThatThrownBy(() -> StructureSetContourReader.read(withContour("3", "0\\0\\0\\1\\0\\0\\1\\NaN\\0")))
        .isInstanceOf(RtObjectException.class).hasMessageContaining("not a decimal number");
    assertThatThrownBy(() -> StructureSetContourReader.read(withContour("2", "0\\0\\0\\1\\0\\0")))
        .isInstanceOf(RtObjectException.class).hasMessageContaining("at least 3 points");
  }

  @Test
  void refusesAStructureSetWithoutOutlinesOrWithoutAFrame() {
    List<RtTestObjects.Roi> seedsOnly = RtTestObjects.fiveSeedsAndAProstate().subList(1, 6);
    assertThatThrownBy(() -> StructureSetContourReader.read(RtTestObjects.structureSet(FRAME, FRAME, seedsOnly)))
        .isInstanceOf(RtObjectException.class).hasMessageContaining("no CLOSED_PLANAR contour");
    assertThatThrownBy(() -> StructureSetContourReader.read(RtTestObjects.structureSet(null, null,
        RtTestObjects.fiveSeedsAndAProstate()))).isInstanceOf(RtObjectException.class)
        .hasMessageContaining("names no frame of reference");
  }

  private static DataSet withContour(String count, String data) {
    DataSet ss = RtTestObjects.structureSet(FRAME, FRAME, List.of(new RtTestObjects.Roi(4, "Urethra",
        new double[] {0, 0, 0, 1, 0, 0, 1, 1, 0})));
    DataSet contour = new DataSet().putString(Tag.ContourGeometricType, Vr.CS, "CLOSED_PLANAR")
        .putString(Tag.NumberOfContourPoints, Vr.IS, count).putString(Tag.ContourData, Vr.DS, data);
    return ss.put(Element.ofItems(Tag.ROIContourSequence, List.of(new DataSet()
        .putString(Tag.ReferencedROINumber, Vr.IS, "4").put(Element.ofItems(Tag.ContourSequence, List.of(contour))))));
  }
}
