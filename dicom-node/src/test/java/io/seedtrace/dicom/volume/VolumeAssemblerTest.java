package io.seedtrace.dicom.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Element;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.data.Vr;
import io.seedtrace.dicom.testing.TestCt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeAssemblerTest {

  @TempDir
  Path dir;

  /** Writes a series of {@code n} slices, letting {@code edit} change slice k; returns paths in random order. */
  private List<Path> series(int n, BiConsumer<Integer, DataSet> edit) throws Exception {
    String study = TestCt.uid();
    String series = TestCt.uid();
    List<Path> paths = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      DataSet ds = TestCt.slice(study, series, TestCt.uid(), k, 8, 5);
      ds.putString(Tag.ImagePositionPatient, Vr.DS, "-100\\-50\\" + (20 + 2.5 * k));
      edit.accept(k, ds);
      Path p = dir.resolve("s" + k + ".dcm");
      Files.write(p, Part10.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
      paths.add(p);
    }
    Collections.shuffle(paths, new Random(1));
    return paths;
  }

  @Test
  void sortsSlicesAlongTheNormalAndAppliesTheRescale() throws Exception {
    List<Path> files = series(6, (k, ds) -> {});
    ImageVolume v = VolumeAssembler.assemble(files);
    assertThat(v.nx()).isEqualTo(8);
    assertThat(v.nz()).isEqualTo(6);
    assertThat(v.dx()).isEqualTo(0.8);
    assertThat(v.dz()).isEqualTo(2.5, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(v.origin()).containsExactly(-100, -50, 20);
    assertThat(v.toPatient(0, 0, 5)[2]).isEqualTo(32.5, org.assertj.core.data.Offset.offset(1e-9));
    // slice k=3 of the sorted volume is the file generated with index 3: raw signed value - 1024
    DataSet third = TestCt.slice("1", "1", "1", 3, 8, 5);
    byte[] raw = third.get(Tag.PixelData).orElseThrow().value();
    short expected = (short) (((short) ((raw[1] & 0xFF) << 8 | (raw[0] & 0xFF))) - 1024);
    assertThat(v.value(0, 0, 3)).isEqualTo(expected);
  }

  @Test
  void refusesAMissingSliceSayingWhere() throws Exception {
    List<Path> files = series(6, (k, ds) -> {});
    files.removeIf(p -> p.getFileName().toString().equals("s3.dcm"));
    assertThatThrownBy(() -> VolumeAssembler.assemble(files))
        .isInstanceOf(VolumeException.class).hasMessageContaining("1 slice(s) missing between 25.00 and 30.00 mm");
  }

  @Test
  void refusesNonUniformSpacing() throws Exception {
    List<Path> files = series(5, (k, ds) -> {
      if (k == 4) {
        ds.putString(Tag.ImagePositionPatient, Vr.DS, "-100\\-50\\31.2");
      }
    });
    assertThatThrownBy(() -> VolumeAssembler.assemble(files))
        .isInstanceOf(VolumeException.class).hasMessageContaining("Non-uniform slice spacing");
  }

  @Test
  void refusesGantryTiltWhetherDeclaredOrSeenAsShear() throws Exception {
    List<Path> declared = series(3, (k, ds) -> ds.putString(Tag.GantryDetectorTilt, Vr.DS, "12"));
    assertThatThrownBy(() -> VolumeAssembler.assemble(declared))
        .isInstanceOf(VolumeException.class).hasMessageContaining("Gantry tilt");
    for (Path p : declared) {
      Files.delete(p);
    }
    List<Path> sheared = series(3, (k, ds) -> ds.putString(Tag.ImagePositionPatient, Vr.DS, "-100\\" + (-50 + k) + "\\" + (20 + 2.5 * k)));
    assertThatThrownBy(() -> VolumeAssembler.assemble(sheared))
        .isInstanceOf(VolumeException.class).hasMessageContaining("sheared");
  }

  @Test
  void refusesMixedSeriesDuplicatesAndMultiFrame() throws Exception {
    List<Path> files = series(3, (k, ds) -> {
      if (k == 2) {
        ds.putString(Tag.SeriesInstanceUID, Vr.UI, "1.2.3.999");
      }
    });
    assertThatThrownBy(() -> VolumeAssembler.assemble(files))
        .isInstanceOf(VolumeException.class).hasMessageContaining("Mixed series");
    files.forEach(p -> p.toFile().delete());

    List<Path> dup = series(3, (k, ds) -> ds.putString(Tag.ImagePositionPatient, Vr.DS, "-100\\-50\\20"));
    assertThatThrownBy(() -> VolumeAssembler.assemble(dup))
        .isInstanceOf(VolumeException.class).hasMessageContaining("same position");
    dup.forEach(p -> p.toFile().delete());

    List<Path> enhanced = series(1, (k, ds) -> ds.putString(Tag.SOPClassUID, Vr.UI, "1.2.840.10008.5.1.4.1.1.2.1"));
    assertThatThrownBy(() -> VolumeAssembler.assemble(enhanced))
        .isInstanceOf(VolumeException.class).hasMessageContaining("Enhanced CT");
  }

  @Test
  void aMultiFrameEnhancedCtGivesTheSameVolumeAsTheClassicSeries() throws Exception {
    String study = TestCt.uid();
    String series = TestCt.uid();
    int n = 6;
    List<DataSet> classic = new ArrayList<>();
    List<Path> classicPaths = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      DataSet ds = TestCt.slice(study, series, TestCt.uid(), k, 8, 9);
      ds.putString(Tag.ImagePositionPatient, Vr.DS, "-100\\-50\\" + (20 + 2.5 * k));
      classic.add(ds);
      Path p = dir.resolve("c" + k + ".dcm");
      Files.write(p, Part10.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
      classicPaths.add(p);
    }
    // the same slices as one Enhanced CT object, frames stored in reverse order
    java.io.ByteArrayOutputStream pixels = new java.io.ByteArrayOutputStream();
    List<DataSet> perFrame = new ArrayList<>();
    for (int k = n - 1; k >= 0; k--) {
      pixels.write(classic.get(k).get(Tag.PixelData).orElseThrow().value());
      DataSet position = new DataSet().putString(Tag.ImagePositionPatient, Vr.DS, "-100\\-50\\" + (20 + 2.5 * k));
      perFrame.add(new DataSet().put(Element.ofItems(EnhancedFrames.PLANE_POSITION, List.of(position))));
    }
    DataSet shared = new DataSet()
        .put(Element.ofItems(EnhancedFrames.PLANE_ORIENTATION, List.of(new DataSet()
            .putString(Tag.ImageOrientationPatient, Vr.DS, "1\\0\\0\\0\\1\\0"))))
        .put(Element.ofItems(EnhancedFrames.PIXEL_MEASURES, List.of(new DataSet()
            .putString(Tag.PixelSpacing, Vr.DS, "0.8\\0.8").putString(Tag.SliceThickness, Vr.DS, "1"))))
        .put(Element.ofItems(EnhancedFrames.PIXEL_VALUE_TRANSFORMATION, List.of(new DataSet()
            .putString(Tag.RescaleIntercept, Vr.DS, "-1024").putString(Tag.RescaleSlope, Vr.DS, "1"))));
    DataSet enhanced = new DataSet()
        .putString(Tag.SOPClassUID, Vr.UI, "1.2.840.10008.5.1.4.1.1.2.1")
        .putString(Tag.SOPInstanceUID, Vr.UI, TestCt.uid())
        .putString(Tag.Modality, Vr.CS, "CT")
        .putString(Tag.StudyInstanceUID, Vr.UI, study)
        .putString(Tag.SeriesInstanceUID, Vr.UI, series)
        .putString(Tag.FrameOfReferenceUID, Vr.UI, study + ".1")
        .putString(EnhancedFrames.NUMBER_OF_FRAMES, Vr.IS, Integer.toString(n))
        .putUS(Tag.SamplesPerPixel, 1).putUS(Tag.Rows, 8).putUS(Tag.Columns, 8)
        .putUS(Tag.BitsAllocated, 16).putUS(Tag.BitsStored, 16).putUS(Tag.HighBit, 15)
        .putUS(Tag.PixelRepresentation, 1)
        .put(Element.ofItems(EnhancedFrames.SHARED_GROUPS, List.of(shared)))
        .put(Element.ofItems(EnhancedFrames.PER_FRAME_GROUPS, perFrame))
        .put(Element.ofValue(Tag.PixelData, Vr.OW, pixels.toByteArray()));
    Path file = dir.resolve("enhanced.dcm");
    Files.write(file, Part10.toBytes(enhanced, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));

    ImageVolume fromClassic = VolumeAssembler.assemble(classicPaths);
    ImageVolume fromEnhanced = VolumeAssembler.assemble(List.of(file));
    assertThat(fromEnhanced.nz()).isEqualTo(n);
    assertThat(fromEnhanced.dz()).isEqualTo(fromClassic.dz());
    assertThat(fromEnhanced.origin()).containsExactly(fromClassic.origin());
    assertThat(fromEnhanced.voxels()).isEqualTo(fromClassic.voxels());

    // a frame without a position, and pixel data shorter than the frames, are refused with a reason
    perFrame.set(2, new DataSet());
    enhanced.put(Element.ofItems(EnhancedFrames.PER_FRAME_GROUPS, perFrame));
    Files.write(file, Part10.toBytes(enhanced, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
    assertThatThrownBy(() -> VolumeAssembler.assemble(List.of(file))).isInstanceOf(VolumeException.class)
        .hasMessageContaining("Frame 3").hasMessageContaining("Plane Position");
    enhanced.putString(EnhancedFrames.NUMBER_OF_FRAMES, Vr.IS, "60");
    Files.write(file, Part10.toBytes(enhanced, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
    assertThatThrownBy(() -> VolumeAssembler.assemble(List.of(file))).isInstanceOf(VolumeException.class)
        .hasMessageContaining("declares 60 frames");
  }
}
