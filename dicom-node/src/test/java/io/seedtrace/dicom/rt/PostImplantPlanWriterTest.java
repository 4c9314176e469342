package io.seedtrace.dicom.rt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seedtrace.dicom.NodeConfig;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The post-implant RT Plan: our own reader finds every seed where it was written, DCMTK and pydicom
 * read it as a brachytherapy plan, and dicom3tools' IOD checker finds no error in it.
 */
class PostImplantPlanWriterTest {

  static final String FRAME = "1.2.826.0.1.3680043.8.498.1";
  static final String STUDY = "1.2.826.0.1.3680043.8.498.2";
  static final String STRUCTURES = "1.2.826.0.1.3680043.8.498.3";
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-08T10:15:30Z"), ZoneId.of("UTC"));

  @TempDir
  Path work;

  static PostImplantPlanWriter.Input input() {
    PostImplantPlanWriter.Source source = new PostImplantPlanWriter.Source("6711", "Example Isotope Works", "I-125",
        59.4, 3.0, 0.512, Instant.parse("2026-12-01T08:00:00Z"));
    return new PostImplantPlanWriter.Input("Doe^Jane", "P-1", STUDY, FRAME, "ACC-9", STRUCTURES, source, List.of(
        new PostImplantPlanWriter.Seed(new double[] {10.5, -20.25, 30}, new double[] {0, 0, 1}),
        new PostImplantPlanWriter.Seed(new double[] {15.5, -20.25, 30}, null),
        new PostImplantPlanWriter.Seed(new double[] {10.5, -14.75, 35.5}, new double[] {0.6, 0, 0.8})));
  }

  @Test
  void ourOwnPlanReaderFindsEverySeedWhereItWasWritten() throws Exception {
    byte[] file = PostImplantPlanWriter.write(input(), CLOCK);
    DataSet plan = Part10.read(file).dataSet();

    PlannedPositions read = BrachyPlanReader.read(plan);
    assertThat(read.frameOfReferenceUid()).isEqualTo(FRAME);
    assertThat(read.positions()).hasSize(3);
    for (int i = 0; i < 3; i++) {
      double[] written = input().seeds().get(i).centreMm();
      assertThat(read.positions().get(i)).containsExactly(written, within(1e-6));
    }
    assertThat(plan.getString(Tag.SOPClassUID)).contains(NodeConfig.RT_PLAN);
    assertThat(plan.getString(Tag.BrachyTreatmentTechnique)).contains("PERMANENT");
    assertThat(plan.getString(Tag.RTPlanGeometry)).contains("PATIENT");
  }

  @Test
  void refusesAPlanWithoutSeeds() {
    PostImplantPlanWriter.Input in = input();
    assertThatThrownBy(() -> new PostImplantPlanWriter.Input("", "", STUDY, FRAME, "", STRUCTURES, in.source(),
        List.of())).hasMessageContaining("at least one seed");
  }

  @Test
  void dcmtkAndPydicomReadItAsABrachytherapyPlan() throws Exception {
    assumeTrue(onPath("dcmdump") && onPath("drtdump"), "DCMTK's dcmdump/drtdump are not installed; check skipped");
    Path file = work.resolve("plan.dcm");
    Files.write(file, PostImplantPlanWriter.write(input(), CLOCK));

    Tool drtdump = run(List.of("drtdump", "-v", file.toString()));
    assertThat(drtdump.exitCode()).as(drtdump.output()).isZero();
    assertThat(drtdump.output()).contains("RT Plan object").doesNotContain("E: ").doesNotContain("W: ");

    Path python = Path.of("/usr/bin/python3");
    assumeTrue(Files.isExecutable(python) && run(List.of(python.toString(), "-c", "import pydicom")).exitCode() == 0,
        "pydicom is not installed; check skipped");
    String script = String.join("\n",
        "import sys, pydicom",
        "d = pydicom.dcmread(sys.argv[1])",
        "s = d.SourceSequence[0]",
        "print('source', s.SourceIsotopeName, float(s.ReferenceAirKermaRate), s.SourceStrengthReferenceDate)",
        "ch = d.ApplicationSetupSequence[0].ChannelSequence",
        "print('channels', len(ch), [float(x) for x in ch[2].BrachyControlPointSequence[1].ControlPoint3DPosition])",
        "print('axis', [round(x, 3) for x in ch[2].BrachyControlPointSequence[0].ControlPointOrientation])",
        "print('structures', d.ReferencedStructureSetSequence[0].ReferencedSOPInstanceUID)");
    Tool py = run(List.of(python.toString(), "-c", script, file.toString()));
    assertThat(py.exitCode()).as(py.output()).isZero();
    assertThat(py.output()).contains("source I-125 0.512 20261201").contains("channels 3 [10.5, -14.75, 35.5]")
        .contains("axis [0.6, 0.0, 0.8]").contains("structures " + STRUCTURES);
  }

  @Test
  void dicom3toolsFindsNoErrorInTheIod() throws Exception {
    assumeTrue(onPath("dciodvfy"), "dicom3tools' dciodvfy is not installed; check skipped");
    Path file = work.resolve("plan.dcm");
    Files.write(file, PostImplantPlanWriter.write(input(), CLOCK));
    Tool check = run(List.of("dciodvfy", file.toString()));
    List<String> errors = check.output().lines().filter(l -> l.startsWith("Error")).toList();
    assertThat(errors).as(check.output()).isEmpty();
    assertThat(check.output()).contains("RTPlan");
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
