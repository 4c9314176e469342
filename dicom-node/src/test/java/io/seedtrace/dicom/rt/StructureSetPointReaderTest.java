package io.seedtrace.dicom.rt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.seedtrace.dicom.NodeConfig;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Element;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.data.Vr;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StructureSetPointReaderTest {

  private static final String FRAME = "1.2.826.0.1.3680043.10.543.77.2";

  @Test
  void readsEveryPointRoiAndSkipsOutlines() throws Exception {
    List<RtTestObjects.Roi> rois = RtTestObjects.fiveSeedsAndAProstate();
    DataSet ss = RtTestObjects.structureSet(FRAME, FRAME, rois);
    byte[] file = Part10.toBytes(ss, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);

    PlannedPositions points = StructureSetPointReader.read(file);

    assertThat(points.sourceKind()).isEqualTo(PlannedPositions.SourceKind.RT_STRUCTURE_SET);
    assertThat(points.sopClassUid()).isEqualTo(NodeConfig.RT_STRUCTURE_SET);
    assertThat(points.sopInstanceUid()).isEqualTo(ss.getString(Tag.SOPInstanceUID, ""));
    assertThat(points.frameOfReferenceUid()).isEqualTo(FRAME);
    assertThat(points.labels()).containsExactly("Seed 1", "Seed 2", "Seed 3", "Seed 4", "Seed 5");
    for (int i = 0; i < 5; i++) {
      assertThat(points.position(i)).containsExactly(rois.get(i + 1).contour(), within(1e-9));
    }
  }

  @Test
  void takesTheFrameFromTheRoisWhenTheStructureSetDeclaresNone() throws Exception {
    PlannedPositions points = StructureSetPointReader.read(
        RtTestObjects.structureSet(null, FRAME, RtTestObjects.fiveSeedsAndAProstate()));
    assertThat(points.frameOfReferenceUid()).isEqualTo(FRAME);
    assertThat(points.size()).isEqualTo(5);
  }

  @Test
  void takesTheDeclaredFrameWhenTheRoisNameNone() throws Exception {
    PlannedPositions points = StructureSetPointReader.read(
        RtTestObjects.structureSet(FRAME, null, RtTestObjects.fiveSeedsAndAProstate()));
    assertThat(points.frameOfReferenceUid()).isEqualTo(FRAME);
  }

  @Test
  void readsImplicitVrFilesAsOlderPlanningSystemsWriteThem() throws Exception {
    byte[] file = Part10.toBytes(RtTestObjects.structureSet(FRAME, FRAME, RtTestObjects.fiveSeedsAndAProstate()),
        TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
    assertThat(StructureSetPointReader.read(file).labels()).hasSize(5).startsWith("Seed 1");
  }

  @Test
  void namesPointsOfUnnamedRoisByTheirNumber() throws Exception {
    List<RtTestObjects.Roi> rois = List.of(new RtTestObjects.Roi(12, "", new double[] {1, 2, 3}));
    assertThat(StructureSetPointReader.read(RtTestObjects.structureSet(FRAME, FRAME, rois)).labels())
        .containsExactly("ROI 12");
  }

  @Test
  void refusesAStructureSetWithoutPointRois() {
    List<RtTestObjects.Roi> outlines = RtTestObjects.fiveSeedsAndAProstate().subList(0, 1);
    assertThatThrownBy(() -> StructureSetPointReader.read(RtTestObjects.structureSet(FRAME, FRAME, outlines)))
        .isInstanceOf(RtObjectException.class).hasMessageContaining("no ROI with a POINT contour");
  }

  @Test
  void refusesPointsWhoseFrameIsUnknownOrAmbiguous() {
    assertThatThrownBy(() -> StructureSetPointReader.read(
        RtTestObjects.structureSet(null, null, RtTestObjects.fiveSeedsAndAProstate())))
        .isInstanceOf(RtObjectException.class).hasMessageContaining("names no frame of reference");

    assertThatThrownBy(() -> StructureSetPointReader.read(
        RtTestObjects.structureSet(FRAME, FRAME + ".9", RtTestObjects.fiveSeedsAndAProstate())))
        .isInstanceOf(RtObjectException.class).hasMessageContaining("does not declare");

    DataSet twoFrames = RtTestObjects.structureSet(null, FRAME, RtTestObjects.fiveSeedsAndAProstate());
    List<DataSet> rois = new ArrayList<>(twoFrames.get(Tag.StructureSetROISequence).orElseThrow().items());
    rois.get(5).putString(Tag.ReferencedFrameOfReferenceUID, Vr.UI, FRAME + ".9");
    twoFrames.put(Element.ofItems(Tag.StructureSetROISequence, rois));
    assertThatThrownBy(() -> StructureSetPointReader.read(twoFrames))
        .isInstanceOf(RtObjectException.class).hasMessageContaining("in 2 frames of reference");
  }

  @Test
  void refusesAPointContourWithoutThreeCoordinates() {
    List<RtTestObjects.Roi> rois = List.of(new RtTestObjects.Roi(1, "Seed 1", new double[] {1, 2, 3}));
    DataSet ss = RtTestObjects.structureSet(FRAME, FRAME, rois);
    DataSet contour = ss.get(Tag.ROIContourSequence).orElseThrow().items().get(0)
        .get(Tag.ContourSequence).orElseThrow().items().get(0);
    contour.putString(Tag.ContourData, Vr.DS, "1\\2\\3\\4\\5\\6");
    assertThatThrownBy(() -> StructureSetPointReader.read(ss))
        .isInstanceOf(RtObjectException.class).hasMessageContaining("Seed 1").hasMessageContaining("6 values");
    contour.remove(Tag.ContourData);
    assertThatThrownBy(() -> StructureSetPointReader.read(ss))
        .isInstanceOf(RtObjectException.class).hasMessageContaining("(3006,0050) is missing");
  }

  @Test
  void refusesAnRtPlanGivenAsStructureSet() {
    assertThatThrownBy(() -> StructureSetPointReader.read(RtTestObjects.brachyPlan(FRAME, 1, 1, 1, 0)))
        .isInstanceOf(RtObjectException.class).hasMessageContaining("Not an RT Structure Set");
  }
}
