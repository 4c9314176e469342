package io.seedtrace.dicom.rt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Element;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpatialRegistrationReaderTest {

  /** The post-implant CT: the registration's own frame. */
  private static final String CT = "1.2.826.0.1.3680043.10.543.77.10";
  /** The planning ultrasound / CT the plan was made on. */
  private static final String PLAN = "1.2.826.0.1.3680043.10.543.77.11";
  /** A third frame, e.g. an MR. */
  private static final String MR = "1.2.826.0.1.3680043.10.543.77.12";

  private static SpatialRegistration readBack(DataSet registration) throws Exception {
    return SpatialRegistrationReader.read(Part10.toBytes(registration, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
  }

  private static Map<String, double[]> matrices(Object... frameThenMatrix) {
    Map<String, double[]> out = new LinkedHashMap<>();
    for (int i = 0; i < frameThenMatrix.length; i += 2) {
      out.put((String) frameThenMatrix[i], (double[]) frameThenMatrix[i + 1]);
    }
    return out;
  }

  @Test
  void movesPlanPositionsIntoTheCtFrameByARigidTransform() throws Exception {
    SpatialRegistration reg = readBack(RtTestObjects.registration(CT,
        matrices(CT, RtTestObjects.identity(), PLAN, RtTestObjects.rotateZ90AndShift()), "RIGID"));

    assertThat(reg.targetFrameOfReferenceUid()).isEqualTo(CT);
    assertThat(reg.matrixFromFrame()).containsOnlyKeys(CT, PLAN);
    double[] planToCt = reg.matrixBetween(PLAN, CT).orElseThrow();
    // rotating (1, 2, 3) by 90 degrees about z gives (-2, 1, 3); then shifted by (10, 20, 30)
    assertThat(SpatialRegistration.apply(planToCt, new double[] {1, 2, 3})).containsExactly(new double[] {8, 21, 33},
        within(1e-9));
    double[] ctToPlan = reg.matrixBetween(CT, PLAN).orElseThrow();
    assertThat(SpatialRegistration.apply(ctToPlan, new double[] {8, 21, 33})).containsExactly(new double[] {1, 2, 3},
        within(1e-9));
  }

  @Test
  void aRegistrationThatListsOnlyTheOtherFrameStillMapsIntoItsOwn() throws Exception {
    SpatialRegistration reg = readBack(RtTestObjects.registration(CT,
        matrices(PLAN, RtTestObjects.rotateZ90AndShift()), "RIGID"));
    assertThat(reg.matrixBetween(PLAN, CT).orElseThrow())
        .containsExactly(RtTestObjects.rotateZ90AndShift(), within(1e-12));
  }

  @Test
  void combinesTwoRegisteredFramesThroughTheTarget() throws Exception {
    double[] mrToCt = RtTestObjects.translation(-5, 7.5, 12);
    SpatialRegistration reg = readBack(RtTestObjects.registration(CT,
        matrices(PLAN, RtTestObjects.rotateZ90AndShift(), MR, mrToCt), "RIGID"));
    double[] p = {-31.25, 4.5, 88};

    double[] inMr = SpatialRegistration.apply(reg.matrixBetween(PLAN, MR).orElseThrow(), p);

    // the same CT point, reached from the plan directly and from the MR point
    assertThat(SpatialRegistration.apply(mrToCt, inMr))
        .containsExactly(SpatialRegistration.apply(RtTestObjects.rotateZ90AndShift(), p), within(1e-9));
    double[] back = SpatialRegistration.apply(reg.matrixBetween(MR, PLAN).orElseThrow(), inMr);
    assertThat(back).containsExactly(p, within(1e-9));
  }

  @Test
  void sameFrameIsTheIdentityAndUnrelatedFramesGiveNothing() throws Exception {
    SpatialRegistration reg = readBack(RtTestObjects.registration(CT,
        matrices(PLAN, RtTestObjects.rotateZ90AndShift()), "RIGID"));
    assertThat(reg.matrixBetween(MR, MR).orElseThrow()).containsExactly(RtTestObjects.identity());
    assertThat(reg.matrixBetween(PLAN, MR)).isEmpty();
    assertThat(reg.matrixBetween(MR, CT)).isEmpty();
  }

  @Test
  void acceptsRigidWithScaleAndAppliesTheScale() throws Exception {
    double[] scaled = {2, 0, 0, 1, 0, 0, -0.5, 0, 0, 2, 0, 0, 0, 0, 0, 1};
    SpatialRegistration reg = readBack(RtTestObjects.registration(CT, matrices(PLAN, scaled), "RIGID_SCALE"));
    assertThat(SpatialRegistration.apply(reg.matrixBetween(PLAN, CT).orElseThrow(), new double[] {1, 2, 4}))
        .containsExactly(new double[] {3, -2, 4}, within(1e-12));
    assertThat(SpatialRegistration.apply(reg.matrixBetween(CT, PLAN).orElseThrow(), new double[] {3, -2, 4}))
        .containsExactly(new double[] {1, 2, 4}, within(1e-12));
  }

  @Test
  void refusesAffineAndDeformableLikeTypes() {
    double[] shear = {1, 0.3, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    assertThatThrownBy(() -> SpatialRegistrationReader.read(
        RtTestObjects.registration(CT, matrices(PLAN, shear), "AFFINE")))
        .isInstanceOf(RtObjectException.class)
        .hasMessageContaining("'AFFINE'").hasMessageContaining("only RIGID and RIGID_SCALE");
    assertThatThrownBy(() -> SpatialRegistrationReader.read(
        RtTestObjects.registration(CT, matrices(PLAN, shear), null)))
        .isInstanceOf(RtObjectException.class).hasMessageContaining("is ''");
  }

  @Test
  void refusesMatricesThatAreNotWhatTheirTypeClaims() {
    double[] scaled = {2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1};
    assertRefused(RtTestObjects.registration(CT, matrices(PLAN, scaled), "RIGID"), "not orthonormal");
    double[] mirror = {-1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    assertRefused(RtTestObjects.registration(CT, matrices(PLAN, mirror), "RIGID"), "mirrors");
    double[] shear = {1, 0.3, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    assertRefused(RtTestObjects.registration(CT, matrices(PLAN, shear), "RIGID_SCALE"), "not orthogonal");
    double[] projective = RtTestObjects.identity();
    projective[14] = 0.5;
    assertRefused(RtTestObjects.registration(CT, matrices(PLAN, projective), "RIGID"), "last row must be 0, 0, 0, 1");
    double[] singular = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    assertRefused(RtTestObjects.registration(CT, matrices(PLAN, singular), "RIGID_SCALE"), "singular");
    assertRefused(RtTestObjects.registration(CT, matrices(PLAN, new double[15]), "RIGID"), "15 values, 16 expected");
  }

  @Test
  void refusesStructuresItCannotInterpretSafely() {
    DataSet split = RtTestObjects.registration(CT, Map.of(), "RIGID").put(Element.ofItems(Tag.RegistrationSequence,
        List.of(RtTestObjects.registrationItem(PLAN, "RIGID",
            RtTestObjects.identity(), RtTestObjects.rotateZ90AndShift()))));
    assertRefused(split, "only a registration given as a single matrix");

    DataSet noOwnFrame = RtTestObjects.registration(CT, matrices(PLAN, RtTestObjects.identity()), "RIGID")
        .remove(Tag.FrameOfReferenceUID);
    assertRefused(noOwnFrame, "no Frame of Reference UID (0020,0052) of its own");

    DataSet imagesOnly = RtTestObjects.registration(CT, matrices(PLAN, RtTestObjects.identity()), "RIGID");
    imagesOnly.get(Tag.RegistrationSequence).orElseThrow().items().get(0).remove(Tag.FrameOfReferenceUID);
    assertRefused(imagesOnly, "relates no frames of reference");

    DataSet twice = RtTestObjects.registration(CT, Map.of(), "RIGID").put(Element.ofItems(Tag.RegistrationSequence,
        List.of(RtTestObjects.registrationItem(PLAN, "RIGID", RtTestObjects.identity()),
            RtTestObjects.registrationItem(PLAN, "RIGID", RtTestObjects.rotateZ90AndShift()))));
    assertRefused(twice, "twice with different matrices");

    assertRefused(RtTestObjects.brachyPlan(CT, 1, 1, 1, 0), "Not a Spatial Registration");
  }

  @Test
  void matricesHandedOutCannotChangeTheRegistration() throws Exception {
    SpatialRegistration reg = readBack(RtTestObjects.registration(CT,
        matrices(PLAN, RtTestObjects.rotateZ90AndShift()), "RIGID"));
    reg.matrixFromFrame().get(PLAN)[3] = 1000;
    reg.matrixBetween(PLAN, CT).orElseThrow()[3] = 1000;
    assertThat(reg.matrixBetween(PLAN, CT).orElseThrow()).containsExactly(RtTestObjects.rotateZ90AndShift());
  }

  private static void assertRefused(DataSet registration, String reason) {
    assertThatThrownBy(() -> SpatialRegistrationReader.read(registration)).isInstanceOf(RtObjectException.class)
        .hasMessageContaining(reason);
  }
}
