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
import io.seedtrace.dicom.testing.TestCt;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BrachyPlanReaderTest {

  private static final String FRAME = "1.2.826.0.1.3680043.10.543.77.1";

  @ParameterizedTest
  @ValueSource(strings = {"1.2.840.10008.1.2.1", "1.2.840.10008.1.2", "1.2.840.10008.1.2.1.99"})
  void readsEachSeedOnceInChannelOrderFromAPart10File(String transferSyntax) throws Exception {
    DataSet plan = RtTestObjects.brachyPlan(FRAME, 2, 3, 4, 0);
    byte[] file = Part10.toBytes(plan, TransferSyntax.of(transferSyntax));

    PlannedPositions planned = BrachyPlanReader.read(file);

    assertThat(planned.sourceKind()).isEqualTo(PlannedPositions.SourceKind.RT_PLAN);
    assertThat(planned.frameOfReferenceUid()).isEqualTo(FRAME);
    assertThat(planned.sopClassUid()).isEqualTo(NodeConfig.RT_PLAN);
    assertThat(planned.sopInstanceUid()).isEqualTo(plan.getString(Tag.SOPInstanceUID, ""));
    assertThat(planned.size()).isEqualTo(2 * 3 * 4);
    List<String> expectedLabels = new ArrayList<>();
    int i = 0;
    for (int s = 1; s <= 2; s++) {
      for (int c = 1; c <= 3; c++) {
        for (int k = 1; k <= 4; k++) {
          assertThat(planned.position(i++)).containsExactly(RtTestObjects.seedPosition(s, c, k), within(1e-9));
          expectedLabels.add("setup " + s + " channel " + c);
        }
      }
    }
    assertThat(planned.labels()).isEqualTo(expectedLabels);
  }

  @Test
  void controlPointsWithinAHundredthOfAMillimetreAreOnePosition() throws Exception {
    PlannedPositions merged = BrachyPlanReader.read(RtTestObjects.brachyPlan(FRAME, 1, 2, 3, 0.005));
    assertThat(merged.size()).isEqualTo(6);
    assertThat(merged.position(0)).containsExactly(RtTestObjects.seedPosition(1, 1, 1), within(1e-9));

    PlannedPositions apart = BrachyPlanReader.read(RtTestObjects.brachyPlan(FRAME, 1, 2, 3, 0.02));
    assertThat(apart.size()).isEqualTo(12);
  }

  @Test
  void aPositionTheSourceReturnsToIsStillOnePosition() throws Exception {
    double[] a = {1, 2, 3};
    double[] b = {1, 2, 8};
    PlannedPositions planned =
        BrachyPlanReader.read(RtTestObjects.planThrough(FRAME, a, a, b, b, a.clone(), a.clone()));
    assertThat(planned.positions()).hasSize(2);
    assertThat(planned.position(0)).containsExactly(a);
    assertThat(planned.position(1)).containsExactly(b);
    assertThat(planned.labels()).containsExactly("setup 3 channel 7", "setup 3 channel 7");
  }

  @Test
  void refusesAPlanThatGivesOnlyRelativePositionsAlongTheChannels() {
    DataSet plan = RtTestObjects.brachyPlan(FRAME, 1, 1, 1, 0);
    List<DataSet> points =
        List.of(RtTestObjects.controlPoint(0, null, 0, 0), RtTestObjects.controlPoint(1, null, 5, 1));
    DataSet channel = new DataSet().putString(Tag.ChannelNumber, Vr.IS, "1")
        .put(Element.ofItems(Tag.BrachyControlPointSequence, points));
    plan.put(Element.ofItems(Tag.ApplicationSetupSequence,
        List.of(new DataSet().put(Element.ofItems(Tag.ChannelSequence, List.of(channel))))));

    assertThatThrownBy(() -> BrachyPlanReader.read(plan))
        .isInstanceOf(RtObjectException.class)
        .hasMessageContaining("(300A,02D4)")
        .hasMessageContaining("only Control Point Relative Position (300A,02D2)");
  }

  @Test
  void refusesAPlanWithoutFrameOfReference() {
    DataSet plan = RtTestObjects.brachyPlan(FRAME, 1, 1, 1, 0).remove(Tag.FrameOfReferenceUID);
    assertThatThrownBy(() -> BrachyPlanReader.read(plan))
        .isInstanceOf(RtObjectException.class).hasMessageContaining("no Frame of Reference UID (0020,0052)");
  }

  @Test
  void refusesAnExternalBeamPlanAndObjectsThatAreNoPlan() {
    DataSet beams = RtTestObjects.brachyPlan(FRAME, 1, 1, 1, 0).remove(Tag.ApplicationSetupSequence)
        .put(Element.ofItems(0x300A00B0, List.of(new DataSet().putString(0x300A00C0, Vr.IS, "1"))));
    assertThatThrownBy(() -> BrachyPlanReader.read(beams))
        .isInstanceOf(RtObjectException.class).hasMessageContaining("not a brachytherapy plan");

    DataSet emptySetups = RtTestObjects.brachyPlan(FRAME, 1, 1, 1, 0)
        .put(Element.ofItems(Tag.ApplicationSetupSequence, List.of()));
    assertThatThrownBy(() -> BrachyPlanReader.read(emptySetups))
        .isInstanceOf(RtObjectException.class).hasMessageContaining("not a brachytherapy plan");

    DataSet ct = TestCt.slice("1.2.3", "1.2.3.4", "1.2.3.4.5", 0, 4, 1);
    assertThatThrownBy(() -> BrachyPlanReader.read(ct))
        .isInstanceOf(RtObjectException.class).hasMessageContaining("Not an RT Plan");
  }

  @Test
  void refusesValuesThatAreNotWhatTheirVrAllows() {
    assertRefused(withFirstControlPoint(cp -> cp.putString(Tag.ControlPoint3DPosition, Vr.DS, "1.5\\2")),
        "2 values, 3 (x, y, z) expected");
    assertRefused(withFirstControlPoint(cp -> cp.putString(Tag.ControlPoint3DPosition, Vr.DS, "1\\NaN\\3")),
        "'NaN' is not a decimal number");
    assertRefused(withFirstControlPoint(cp -> cp.putString(Tag.ControlPoint3DPosition, Vr.DS, "1\\1e400\\3")),
        "out of range");
    assertRefused(withFirstControlPoint(cp -> cp.putString(Tag.ControlPoint3DPosition, Vr.DS, "1\\0x1p3\\3")),
        "not a decimal number");
    assertRefused(withFirstControlPoint(cp -> cp.putString(Tag.ControlPoint3DPosition, Vr.DS, "1\\2\\3e7")),
        "not a patient coordinate");

    DataSet badChannel = RtTestObjects.brachyPlan(FRAME, 1, 1, 1, 0);
    DataSet setup = badChannel.get(Tag.ApplicationSetupSequence).orElseThrow().items().get(0);
    DataSet channel = setup.get(Tag.ChannelSequence).orElseThrow().items().get(0);
    channel.putString(Tag.ChannelNumber, Vr.IS, "one");
    assertRefused(badChannel, "'one' is not an integer");

    DataSet notASequence = RtTestObjects.brachyPlan(FRAME, 1, 1, 1, 0)
        .putString(Tag.ApplicationSetupSequence, Vr.LO, "setup");
    assertRefused(notASequence, "is encoded as LO, not as a sequence");
  }

  @Test
  void readsSetupsThatAnArchiveStoredAsUnknownVr() throws Exception {
    DataSet plan = RtTestObjects.brachyPlan(FRAME, 2, 1, 2, 0);
    plan.put(RtTestObjects.asUnknown(plan.get(Tag.ApplicationSetupSequence).orElseThrow()));
    byte[] file = Part10.toBytes(plan, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    assertThat(Part10.read(file).dataSet().get(Tag.ApplicationSetupSequence).orElseThrow().vr()).isEqualTo(Vr.UN);

    PlannedPositions planned = BrachyPlanReader.read(file);

    assertThat(planned.size()).isEqualTo(4);
    assertThat(planned.position(3)).containsExactly(RtTestObjects.seedPosition(2, 1, 2), within(1e-9));
  }

  @Test
  void positionsHandedOutCannotChangeThePlan() throws Exception {
    PlannedPositions planned = BrachyPlanReader.read(RtTestObjects.brachyPlan(FRAME, 1, 1, 1, 0));
    planned.positions().get(0)[0] = 999;
    planned.position(0)[1] = 999;
    assertThat(planned.position(0)).containsExactly(RtTestObjects.seedPosition(1, 1, 1), within(1e-9));
  }

  private static DataSet withFirstControlPoint(java.util.function.Consumer<DataSet> change) {
    DataSet plan = RtTestObjects.brachyPlan(FRAME, 1, 1, 2, 0);
    DataSet setup = plan.get(Tag.ApplicationSetupSequence).orElseThrow().items().get(0);
    DataSet channel = setup.get(Tag.ChannelSequence).orElseThrow().items().get(0);
    change.accept(channel.get(Tag.BrachyControlPointSequence).orElseThrow().items().get(0));
    return plan;
  }

  private static void assertRefused(DataSet plan, String reason) {
    assertThatThrownBy(() -> BrachyPlanReader.read(plan)).isInstanceOf(RtObjectException.class)
        .hasMessageContaining(reason);
  }
}
