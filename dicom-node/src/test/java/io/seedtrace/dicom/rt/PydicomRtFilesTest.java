package io.seedtrace.dicom.rt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.DataSetReader;
import io.seedtrace.dicom.data.DicomFormatException;
import io.seedtrace.dicom.data.TransferSyntax;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The RT objects of pydicom's test set (Debian package python3-pydicom), written by other software
 * than ours, in implicit VR: their point ROIs are read, their external beam plan is refused as not
 * brachytherapy, their truncated plan as malformed. Skipped when the package is not installed.
 */
class PydicomRtFilesTest {

  private static final Path CORPUS = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

  @BeforeEach
  void corpusInstalled() {
    assumeTrue(Files.isDirectory(CORPUS), "python3-pydicom is not installed; RT corpus files skipped");
  }

  @Test
  void readsTheIsocentrePointsOfTheirStructureSet() throws Exception {
    // a bare data set in implicit VR, without the Part 10 preamble and meta group
    DataSet ds = DataSetReader.read(Files.readAllBytes(CORPUS.resolve("rtstruct.dcm")),
        TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
    PlannedPositions points = StructureSetPointReader.read(ds);
    assertThat(points.labels()).containsExactly("Isocenter 1", "Isocenter 2");
    assertThat(points.frameOfReferenceUid()).isEqualTo("1.2.826.0.1.3680043.8.498.2010020400001.2");
    assertThat(points.position(0)).containsExactly(new double[] {0, 0, 0}, within(1e-12));
    assertThat(points.position(1)).containsExactly(new double[] {0, 0, 0}, within(1e-12));
  }

  @Test
  void refusesTheirExternalBeamPlanAndTheirTruncatedPlan() {
    assertThatThrownBy(() -> BrachyPlanReader.read(Files.readAllBytes(CORPUS.resolve("rtplan.dcm"))))
        .isInstanceOf(RtObjectException.class).hasMessageContaining("not a brachytherapy plan");
    assertThatThrownBy(() -> BrachyPlanReader.read(Files.readAllBytes(CORPUS.resolve("rtplan_truncated.dcm"))))
        .isInstanceOf(DicomFormatException.class);
  }
}
