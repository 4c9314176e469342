package io.seedtrace.dicom.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.assertj.core.data.Offset.offset;

import io.seedtrace.dicom.NodeConfig;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Element;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.data.Vr;
import io.seedtrace.dicom.testing.TestCt;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MR series become volumes like CT: an oblique classic series and the same slices as one Enhanced
 * MR object, written by our own writer at test time, and pydicom's MR samples checked voxel for
 * voxel against what pydicom itself reads.
 */
class MrVolumeTest {

  private static final int COLS = 12;
  private static final int ROWS = 10;
  private static final int SLICES = 7;
  private static final double SPACING_MM = 3.5;
  /** Row and column directions of a plane tilted 20 degrees about x then 15 about z: an oblique MR. */
  private static final double[] ROW;
  private static final double[] COL;

  static {
    double a = Math.toRadians(20);
    double b = Math.toRadians(15);
    ROW = new double[] {Math.cos(b), Math.sin(b), 0};
    double[] col = {0, Math.cos(a), Math.sin(a)};
    // rotate the column about z by the same angle as the row, keeping both orthonormal
    COL = new double[] {-Math.sin(b) * col[1], Math.cos(b) * col[1], col[2]};
  }

  @TempDir
  Path dir;

  /** The signal written at voxel (i, j, k): spans the whole unsigned 16-bit range. */
  private static int signal(int i, int j, int k) {
    return (int) ((long) (i + COLS * (j + ROWS * k)) * 65535 / (COLS * ROWS * SLICES - 1));
  }

  private static double[] position(int k) {
    double[] n = cross(ROW, COL);
    return new double[] {-80 + k * SPACING_MM * n[0], 30 + k * SPACING_MM * n[1], 12 + k * SPACING_MM * n[2]};
  }

  private static DataSet mrSlice(String study, String series, int k) {
    byte[] pixels = new byte[ROWS * COLS * 2];
    for (int j = 0; j < ROWS; j++) {
      for (int i = 0; i < COLS; i++) {
        int v = signal(i, j, k);
        pixels[2 * (i + COLS * j)] = (byte) v;
        pixels[2 * (i + COLS * j) + 1] = (byte) (v >> 8);
      }
    }
    return new DataSet()
        .putString(Tag.SOPClassUID, Vr.UI, NodeConfig.MR_IMAGE)
        .putString(Tag.SOPInstanceUID, Vr.UI, TestCt.uid())
        .putString(Tag.Modality, Vr.CS, "MR")
        .putString(Tag.StudyInstanceUID, Vr.UI, study)
        .putString(Tag.SeriesInstanceUID, Vr.UI, series)
        .putString(Tag.FrameOfReferenceUID, Vr.UI, study + ".1")
        .putString(Tag.InstanceNumber, Vr.IS, Integer.toString(k + 1))
        .putString(Tag.ImagePositionPatient, Vr.DS, ds(position(k)))
        .putString(Tag.ImageOrientationPatient, Vr.DS, ds(ROW) + "\\" + ds(COL))
        .putString(Tag.PixelSpacing, Vr.DS, "1.25\\0.9")
        .putString(Tag.SliceThickness, Vr.DS, "3.5")
        .putUS(Tag.SamplesPerPixel, 1)
        .putString(Tag.PhotometricInterpretation, Vr.CS, "MONOCHROME2")
        .putUS(Tag.Rows, ROWS).putUS(Tag.Columns, COLS)
        .putUS(Tag.BitsAllocated, 16).putUS(Tag.BitsStored, 16).putUS(Tag.HighBit, 15)
        .putUS(Tag.PixelRepresentation, 0)
        .put(Element.ofValue(Tag.PixelData, Vr.OW, pixels));
  }

  private List<Path> write(List<DataSet> sets) throws Exception {
    List<Path> paths = new ArrayList<>();
    for (DataSet ds : sets) {
      Path p = dir.resolve("mr" + paths.size() + ".dcm");
      Files.write(p, Part10.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
      paths.add(p);
    }
    Collections.shuffle(paths, new Random(3));
    return paths;
  }

  @Test
  void anObliqueMrSeriesBecomesAVolumeInPatientCoordinatesWithItsFullSignalRange() throws Exception {
    String study = TestCt.uid();
    String series = TestCt.uid();
    List<DataSet> slices = new ArrayList<>();
    for (int k = 0; k < SLICES; k++) {
      slices.add(mrSlice(study, series, k));
    }
    ImageVolume v = VolumeAssembler.assemble(write(slices), Modality.MR);

    assertThat(v.modality()).isEqualTo(Modality.MR);
    assertThat(new int[] {v.nx(), v.ny(), v.nz()}).containsExactly(COLS, ROWS, SLICES);
    assertThat(v.dx()).isEqualTo(0.9);
    assertThat(v.dy()).isEqualTo(1.25);
    assertThat(v.dz()).isCloseTo(SPACING_MM, offset(1e-4));
    assertThat(v.frameOfReferenceUid()).isEqualTo(study + ".1");
    double[] corner = v.toPatient(COLS - 1, ROWS - 1, SLICES - 1);
    double[] last = position(SLICES - 1);
    for (int a = 0; a < 3; a++) {
      assertThat(corner[a]).isCloseTo(last[a] + (COLS - 1) * 0.9 * ROW[a] + (ROWS - 1) * 1.25 * COL[a], offset(1e-3));
    }
    // 65535 does not fit a signed 16-bit voxel: it is stored divided by a power of two, nothing clipped
    assertThat(v.valueScale()).isEqualTo(4.0);
    for (int k = 0; k < SLICES; k += 3) {
      for (int j = 0; j < ROWS; j += 3) {
        for (int i = 0; i < COLS; i += 5) {
          assertThat(v.value(i, j, k) * v.valueScale()).isCloseTo(signal(i, j, k), offset(v.valueScale() / 2));
        }
      }
    }
    assertThat(v.value(COLS - 1, ROWS - 1, SLICES - 1) * v.valueScale()).isCloseTo(65535, offset(2.0));
  }

  @Test
  void theSeedDetectionPathRefusesAnMrAndTheFusionPathRefusesACt() throws Exception {
    List<Path> mr = write(List.of(mrSlice(TestCt.uid(), TestCt.uid(), 0)));
    assertThatThrownBy(() -> VolumeAssembler.assemble(mr)).isInstanceOf(VolumeException.class)
        .hasMessageContaining("Not a CT image");
    Path ct = dir.resolve("ct.dcm");
    Files.write(ct, Part10.toBytes(TestCt.slice(TestCt.uid(), TestCt.uid(), TestCt.uid(), 0, 8, 1),
        TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
    assertThatThrownBy(() -> VolumeAssembler.assemble(List.of(ct), Modality.MR)).isInstanceOf(VolumeException.class)
        .hasMessageContaining("Not a MR image");
  }

  @Test
  void aMultiFrameEnhancedMrGivesTheSameVolumeAsTheClassicSeries() throws Exception {
    String study = TestCt.uid();
    String series = TestCt.uid();
    List<DataSet> classic = new ArrayList<>();
    for (int k = 0; k < SLICES; k++) {
      classic.add(mrSlice(study, series, k));
    }
    ByteArrayOutputStream pixels = new ByteArrayOutputStream();
    List<DataSet> perFrame = new ArrayList<>();
    for (int k = SLICES - 1; k >= 0; k--) {
      pixels.write(classic.get(k).get(Tag.PixelData).orElseThrow().value());
      DataSet position = new DataSet().putString(Tag.ImagePositionPatient, Vr.DS, ds(position(k)));
      perFrame.add(new DataSet().put(Element.ofItems(EnhancedFrames.PLANE_POSITION, List.of(position))));
    }
    DataSet shared = new DataSet()
        .put(Element.ofItems(EnhancedFrames.PLANE_ORIENTATION, List.of(new DataSet()
            .putString(Tag.ImageOrientationPatient, Vr.DS, ds(ROW) + "\\" + ds(COL)))))
        .put(Element.ofItems(EnhancedFrames.PIXEL_MEASURES, List.of(new DataSet()
            .putString(Tag.PixelSpacing, Vr.DS, "1.25\\0.9").putString(Tag.SliceThickness, Vr.DS, "3.5"))));
    DataSet enhanced = new DataSet()
        .putString(Tag.SOPClassUID, Vr.UI, NodeConfig.ENHANCED_MR_IMAGE)
        .putString(Tag.SOPInstanceUID, Vr.UI, TestCt.uid())
        .putString(Tag.Modality, Vr.CS, "MR")
        .putString(Tag.StudyInstanceUID, Vr.UI, study)
        .putString(Tag.SeriesInstanceUID, Vr.UI, series)
        .putString(Tag.FrameOfReferenceUID, Vr.UI, study + ".1")
        .putString(EnhancedFrames.NUMBER_OF_FRAMES, Vr.IS, Integer.toString(SLICES))
        .putUS(Tag.SamplesPerPixel, 1).putUS(Tag.Rows, ROWS).putUS(Tag.Columns, COLS)
        .putUS(Tag.BitsAllocated, 16).putUS(Tag.BitsStored, 16).putUS(Tag.HighBit, 15)
        .putUS(Tag.PixelRepresentation, 0)
        .put(Element.ofItems(EnhancedFrames.SHARED_GROUPS, List.of(shared)))
        .put(Element.ofItems(EnhancedFrames.PER_FRAME_GROUPS, perFrame))
        .put(Element.ofValue(Tag.PixelData, Vr.OW, pixels.toByteArray()));
    Path file = dir.resolve("enhanced-mr.dcm");
    Files.write(file, Part10.toBytes(enhanced, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));

    ImageVolume fromClassic = VolumeAssembler.assemble(write(classic), Modality.MR);
    ImageVolume fromEnhanced = VolumeAssembler.assemble(List.of(file), Modality.MR);
    assertThat(fromEnhanced.modality()).isEqualTo(Modality.MR);
    assertThat(fromEnhanced.nz()).isEqualTo(SLICES);
    assertThat(fromEnhanced.dz()).isCloseTo(fromClassic.dz(), offset(1e-9));
    assertThat(fromEnhanced.origin()).containsExactly(fromClassic.origin());
    assertThat(fromEnhanced.sliceDirection()).containsExactly(fromClassic.sliceDirection());
    assertThat(fromEnhanced.valueScale()).isEqualTo(fromClassic.valueScale());
    assertThat(fromEnhanced.voxels()).isEqualTo(fromClassic.voxels());
  }

  /**
   * pydicom's MR samples, native and compressed: each is assembled, and its voxels equal what
   * pydicom reads from the uncompressed sample (the compressed ones are lossless copies of it).
   */
  @Test
  void pydicomsMrSamplesAreAssembledAsPydicomReadsThem() throws Exception {
    Path reference = pydicomSample("MR_small.dcm");
    assumeThat(reference).as("pydicom with its test files is not installed; MR sample test skipped").isNotNull();
    short[] expected = pydicomPixels(reference);
    List<String> assembled = new ArrayList<>();
    for (String name : List.of("MR_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm",
        "MR_small_RLE.dcm", "MR_small_jpeg_ls_lossless.dcm", "MR_small_jp2klossless.dcm")) {
      Path sample = reference.resolveSibling(name);
      if (!Files.exists(sample)) {
        continue;
      }
      ImageVolume v = VolumeAssembler.assemble(List.of(sample), Modality.MR);
      assertThat(new int[] {v.nx(), v.ny(), v.nz()}).as(name).containsExactly(64, 64, 1);
      assertThat(v.valueScale()).as(name).isEqualTo(1.0);
      assertThat(v.voxels()).as(name).isEqualTo(expected);
      assembled.add(name);
    }
    System.out.println("pydicom MR samples assembled: " + assembled);
    assertThat(assembled).contains("MR_small.dcm", "MR_small_RLE.dcm");
  }

  private static Path pydicomSample(String name) throws Exception {
    String out = python("import pydicom.data; print(pydicom.data.get_testdata_file('" + name + "'))", null);
    return out == null || out.isBlank() || out.trim().equals("None") ? null : Path.of(out.trim());
  }

  private short[] pydicomPixels(Path file) throws Exception {
    Path raw = dir.resolve("pydicom.raw");
    // NumPy decodes any sample; without it (Debian's python3-pydicom does not pull it in) the reference,
    // an uncompressed little-endian 16-bit file, gives its Pixel Data bytes as they are.
    String read = python("import pydicom\nd = pydicom.dcmread('" + file + "')\ntry:\n"
        + "  import numpy\n  b = d.pixel_array.astype('<i2').tobytes()\nexcept ImportError:\n"
        + "  assert d.file_meta.TransferSyntaxUID == '1.2.840.10008.1.2.1' and d.BitsAllocated == 16\n"
        + "  b = d.PixelData\nopen('" + raw + "', 'wb').write(b)\n", raw);
    assertThat(read).as("pydicom could not read " + file).isNotNull();
    short[] out = new short[(int) Files.size(raw) / 2];
    ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(out);
    return out;
  }

  /** Runs python3; null when it is missing or fails. */
  private static String python(String code, Path expectedOutput) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(debianPython(), "-c", code).redirectErrorStream(true).start();
    } catch (java.io.IOException noPython) {
      return null;
    }
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      return null;
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  private static double[] cross(double[] a, double[] b) {
    return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
  }

  private static String ds(double[] v) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < v.length; i++) {
      s.append(i == 0 ? "" : "\\").append(String.format(java.util.Locale.ROOT, "%.6f", v[i]));
    }
    return s.toString();
  }

  /**
   * Debian's Python, where the packaged pydicom lives ({@code python3-pydicom}); a {@code python3} first on
   * the PATH (pyenv, a virtualenv) often lacks it.
   */
  private static String debianPython() {
    return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
  }
}
