package io.seedtrace.dicom.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedtrace.dicom.data.DataSet;
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
    CtVolume v = VolumeAssembler.assemble(files);
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
    assertThat(v.hu(0, 0, 3)).isEqualTo(expected);
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
}
