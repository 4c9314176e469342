package io.seedtrace.dicom.rt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.testing.TestCt;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RtDoseWriterTest {

  private static final String FRAME = "1.2.826.0.1.3680043.10.543.77.2";
  private static final String STRUCTURES = "1.2.826.0.1.3680043.10.543.77.9";

  @TempDir
  Path work;

  /** A 4 x 3 x 2 grid whose dose grows with x, y and z, and two DVHs. */
  private static RtDoseWriter.Input input() {
    float[] dose = new float[24];
    for (int k = 0; k < 2; k++) {
      for (int j = 0; j < 3; j++) {
        for (int i = 0; i < 4; i++) {
          dose[(k * 3 + j) * 4 + i] = (float) (10 * i + 100 * j + 1000 * k + 0.5);
        }
      }
    }
    List<RtDoseWriter.Dvh> dvhs = List.of(
        new RtDoseWriter.Dvh(1, 10, new double[] {33.5, 30.2, 12.25, 0}, 5.5, 31.5, 17.0),
        new RtDoseWriter.Dvh(3, 10, new double[] {60, 1.5, 0}, 0.5, 20.5, 4.0));
    return new RtDoseWriter.Input("Zhang^Wei", "IP-2026-0042", TestCt.uid(), FRAME, "ACC7", new double[] {-12.5, 3, 40},
        1.0, 4, 3, 2, dose, STRUCTURES, null, dvhs, "TG-43 dose to infinity");
  }

  @Test
  void theGridReadBackIsTheDoseInGrayWithinTheScalingStep() throws Exception {
    RtDoseWriter.Input in = input();
    DataSet ds = Part10.read(RtDoseWriter.write(in)).dataSet();

    assertThat(ds.getString(Tag.Modality)).contains("RTDOSE");
    assertThat(ds.getString(RtDoseWriter.DOSE_UNITS)).contains("GY");
    assertThat(ds.getString(RtDoseWriter.DOSE_SUMMATION_TYPE)).contains("PLAN");
    assertThat(ds.getString(Tag.FrameOfReferenceUID)).contains(FRAME);
    assertThat(ds.getDoubles(Tag.ImagePositionPatient)).containsExactly(-12.5, 3, 40);
    assertThat(ds.getDoubles(RtDoseWriter.GRID_FRAME_OFFSET_VECTOR)).containsExactly(0, 1);
    double scaling = ds.getDoubles(RtDoseWriter.DOSE_GRID_SCALING)[0];
    ByteBuffer pixels = ByteBuffer.wrap(ds.get(Tag.PixelData).orElseThrow().value()).order(ByteOrder.LITTLE_ENDIAN);
    for (int p = 0; p < 24; p++) {
      double gy = Integer.toUnsignedLong(pixels.getInt(4 * p)) * scaling;
      assertThat(gy).isCloseTo(in.doseGy()[p], within(scaling));
    }
  }

  @Test
  void refusesAGridWhoseSizeDoesNotMatchItsValuesOrDvhsWithoutTheirStructureSet() {
    RtDoseWriter.Input in = input();
    assertThatThrownBy(() -> new RtDoseWriter.Input("", "", TestCt.uid(), FRAME, "", in.originMm(), 1, 4, 3, 3,
        in.doseGy(), STRUCTURES, null, List.of(), "")).hasMessageContaining("does not match");
    assertThatThrownBy(() -> new RtDoseWriter.Input("", "", TestCt.uid(), FRAME, "", in.originMm(), 1, 4, 3, 2,
        in.doseGy(), null, null, in.dvhs(), "")).hasMessageContaining("structure set");
  }

  @Test
  void dcmtkReadsTheRtDoseAndItsDvhs() throws Exception {
    assumeTrue(onPath("dcmdump") && onPath("drtdump"), "DCMTK's dcmdump/drtdump are not installed; check skipped");
    Path file = work.resolve("dose.dcm");
    Files.write(file, RtDoseWriter.write(input()));

    Tool dcmdump = run(List.of("dcmdump", file.toString()));
    assertThat(dcmdump.exitCode()).as(dcmdump.output()).isZero();
    assertThat(dcmdump.output()).contains("RTDoseStorage").contains("[GY]").contains("[PLAN]").contains("[CUMULATIVE]")
        .contains("(3004,0058)").doesNotContain("E: ");
    Tool drtdump = run(List.of("drtdump", "-v", file.toString()));
    assertThat(drtdump.exitCode()).as(drtdump.output()).isZero();
    assertThat(drtdump.output()).contains("RT Dose object").doesNotContain("E: ").doesNotContain("W: ");
  }

  @Test
  void pydicomReadsTheDoseGridAndTheDvhs() throws Exception {
    Path python = Path.of("/usr/bin/python3");
    assumeTrue(Files.isExecutable(python), "no /usr/bin/python3; pydicom check skipped");
    // pydicom without NumPy: the pixels are unpacked with struct, as NumPy is not installed here
    Tool probe = run(List.of(python.toString(), "-c", "import pydicom"));
    assumeTrue(probe.exitCode() == 0, "pydicom is not installed; check skipped");
    Path file = work.resolve("dose.dcm");
    Files.write(file, RtDoseWriter.write(input()));
    String script = String.join("\n",
        "import struct, sys, pydicom",
        "d = pydicom.dcmread(sys.argv[1])",
        "n = int(d.NumberOfFrames) * d.Rows * d.Columns",
        "a = [v * float(d.DoseGridScaling) for v in struct.unpack('<%dI' % n, d.PixelData)]",
        "print('shape', (int(d.NumberOfFrames), d.Rows, d.Columns), d.BitsAllocated)",
        "print('at', round(a[(1 * d.Rows + 2) * d.Columns + 3], 3))",
        "print('units', d.DoseUnits, d.DoseSummationType)",
        "v = d.DVHSequence[0]",
        "print('dvh', v.DVHReferencedROISequence[0].ReferencedROINumber, v.DVHNumberOfBins, [float(x) for x in v.DVHData][:4])",
        "print('ref', d.ReferencedStructureSetSequence[0].ReferencedSOPInstanceUID)");
    Tool py = run(List.of(python.toString(), "-c", script, file.toString()));

    assertThat(py.exitCode()).as(py.output()).isZero();
    assertThat(py.output()).contains("shape (2, 3, 4) 32").contains("at 1230.5").contains("units GY PLAN")
        .contains("dvh 1 4 [10.0, 33.5, 10.0, 30.2]").contains("ref " + STRUCTURES);
  }

  private record Tool(int exitCode, String output) {}

  private Tool run(List<String> command) throws Exception {
    Path log = Files.createTempFile(work, "tool", ".log");
    Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).redirectOutput(log.toFile())
        .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(command.get(0) + " finished").isTrue();
    return new Tool(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  private static boolean onPath(String tool) {
    return Stream.of(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
  }
}
