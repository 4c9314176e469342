package io.seedtrace.routes.verification;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.detection.DetectionResult;
import io.seedtrace.detection.Seed;
import io.seedtrace.dicom.rt.StructureSetContours;
import io.seedtrace.dicom.volume.ImageVolume;
import io.seedtrace.dosimetry.dvh.DoseFinding;
import io.seedtrace.dosimetry.dvh.DoseLimits;
import io.seedtrace.dosimetry.dvh.ImplantDosimetry;
import io.seedtrace.dosimetry.dvh.StructureRole;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dose step on a made-up implant: 36 seeds on a 10 mm lattice in a 40 mm "PROSTATE" with a
 * urethra and a rectum outlined as a planning system would, activity from the cartridge.
 */
class ComputeDoseTest {

  private static final String FRAME = "1.2.3.9";
  private static final Instant IMPLANT = Instant.parse("2026-12-01T09:00:00Z");
  private final CamelContext camel = new DefaultCamelContext();

  @AfterEach
  void close() throws Exception {
    camel.close();
  }

  /** Records with the given structures and a cartridge of 0.4 mCi (14.8 MBq) 6711 seeds calibrated at the implant. */
  private static ImplantRecords records(Optional<StructureSetContours> structures) {
    return new NoImplantRecords() {
      @Override
      public Optional<StructureSetContours> structures(String dicomPatientId, String ctFrameOfReferenceUid) {
        return structures.filter(s -> s.frameOfReferenceUid().equals(ctFrameOfReferenceUid));
      }

      @Override
      public Optional<SeedSource> seedSource(Implant implant) {
        return Optional.of(new SeedSource("OncoSeed 6711", 14.8, IMPLANT, Optional.of(IMPLANT)));
      }
    };
  }

  private static StructureSetContours prostateUrethraRectum(String targetName) {
    List<StructureSetContours.Roi> rois = new ArrayList<>();
    rois.add(new StructureSetContours.Roi(1, targetName, slices(0, 0, 20, true)));
    rois.add(new StructureSetContours.Roi(2, "Urethra", slices(0, 0, 3, false)));
    rois.add(new StructureSetContours.Roi(3, "Rectum", slices(0, 32, 8, false)));
    return new StructureSetContours(FRAME, "1.2.3.77", rois);
  }

  /** Circles around (cx, cy) every 2 mm in z: a sphere of radius r, or a cylinder of radius r from z -19 to 19. */
  private static List<double[]> slices(double cx, double cy, double r, boolean sphere) {
    List<double[]> out = new ArrayList<>();
    for (int z = -19; z <= 19; z += 2) {
      double rho = sphere ? Math.sqrt(r * r - z * z) : r;
      double[] c = new double[3 * 48];
      for (int i = 0; i < 48; i++) {
        c[3 * i] = cx + rho * Math.cos(2 * Math.PI * i / 48);
        c[3 * i + 1] = cy + rho * Math.sin(2 * Math.PI * i / 48);
        c[3 * i + 2] = z;
      }
      out.add(c);
    }
    return out;
  }

  private static DetectionResult lattice() {
    List<Seed> seeds = new ArrayList<>();
    for (int x = -15; x <= 15; x += 10) {
      for (int y = -15; y <= 15; y += 10) {
        for (int z = -15; z <= 15; z += 10) {
          if (Math.sqrt(x * x + y * y + z * z) <= 19 && Math.hypot(x, y) >= 6) {
            seeds.add(new Seed(new double[] {x, y, z}, z > 0 ? new double[] {0, 0, 1} : null, 0.9, seeds.size(), 1));
          }
        }
      }
    }
    return new DetectionResult(seeds, List.of(), seeds.size(), seeds.size(), 0, 1, Map.of());
  }

  private StudyVerification verified(DoseSettings settings, Optional<StructureSetContours> structures)
      throws Exception {
    StudyVerification v = new StudyVerification(new QueuedStudy("VER-1", VerificationPipelineTest.ct("P1", "1.2.3.4"),
        1, "claim"));
    v.matched(IMPLANT.plusSeconds(86_400), new Implant("Patient/1", "Procedure/2", Optional.of("Device/3"), "test"));
    v.assembled(ImageVolume.ct(1, 1, 1, 1, 1, 1, new double[3], new double[] {1, 0, 0}, new double[] {0, 1, 0},
        new double[] {0, 0, 1}, new short[1], "1.2.3", "1.2.3.4", FRAME));
    v.detected(lattice());
    v.balanced(new CountModel(OptionalInt.empty(), 0, 0, 0, OptionalInt.empty(), OptionalInt.empty()), List.of(),
        "Counts balanced.");
    Exchange exchange = new DefaultExchange(camel);
    exchange.getMessage().setBody(v);
    new ComputeDose(records(structures), settings).process(exchange);
    return v;
  }

  private static DoseSettings prescribing(double gy) {
    ImplantDosimetry.Settings d = ImplantDosimetry.Settings.defaults();
    DoseLimits l = DoseLimits.defaults();
    return new DoseSettings(true, new ImplantDosimetry.Settings(d.gridSpacingMm(), d.marginMm(), d.names(),
        new DoseLimits(gy, l.underdoseFraction(), 1e6, 1e6, 1e6, 1e6), d.maxVoxels(), d.maxVertices()),
        Duration.ofSeconds(30), 1.270, "oncoseed-6711");
  }

  @Test
  void computesTheDoseOfTheDetectedSeedsOnTheStructureSetAndSaysSoInTheConclusion() throws Exception {
    StudyVerification v = verified(DoseSettings.defaults(), Optional.of(prostateUrethraRectum("PROSTATE")));

    DoseOutcome dose = v.dose().orElseThrow();
    assertThat(dose.seedModel()).isEqualTo("oncoseed-6711");
    assertThat(dose.airKermaStrengthU()).isCloseTo(0.508, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(dose.result().dvhs()).containsKeys(StructureRole.TARGET, StructureRole.URETHRA, StructureRole.RECTUM);
    assertThat(dose.result().metrics().value("dose-d90")).isPresent();
    assertThat(dose.result().pointSourceSeeds()).isPositive();
    assertThat(dose.notes()).anyMatch(n -> n.contains("point-source approximation"));
    assertThat(dose.dvhPng()).startsWith(0x89, 'P', 'N', 'G');
    assertThat(v.conclusion()).startsWith("Counts balanced. Dose (TG-43, oncoseed-6711): PROSTATE D90 ");
    assertThat(v.timings()).containsKey("dose");
  }

  @Test
  void anUnderdoseRaisesAnAlarmAndAnAdequateDoseNone() throws Exception {
    StudyVerification v = verified(prescribing(1), Optional.of(prostateUrethraRectum("Prostate")));
    assertThat(v.alarms()).isEmpty();
    assertThat(v.conclusion()).endsWith("within the limits.");

    double d90 = v.dose().orElseThrow().result().metrics().value("dose-d90").orElseThrow();
    StudyVerification under = verified(prescribing(d90 / 0.8), Optional.of(prostateUrethraRectum("Prostate")));
    assertThat(under.alarms()).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo(DoseFinding.UNDERDOSE);
      assertThat(a.detail()).contains("80 %");
    });
  }

  @Test
  void withoutStructuresInTheCtsFrameNoDoseIsMentionedAndWithoutATargetTheReportSaysWhy() throws Exception {
    StudyVerification none = verified(DoseSettings.defaults(), Optional.empty());
    assertThat(none.dose()).isEmpty();
    assertThat(none.conclusion()).isEqualTo("Counts balanced.");

    StudyVerification noTarget = verified(DoseSettings.defaults(), Optional.of(prostateUrethraRectum("Seminal vesicles")));
    assertThat(noTarget.dose()).isEmpty();
    assertThat(noTarget.conclusion()).contains("Dose not computed: no target among the structures");
  }

  @Test
  void aComputationPastItsBudgetIsStoppedAndTheVerificationGoesOn() throws Exception {
    DoseSettings d = DoseSettings.defaults();
    DoseSettings tiny = new DoseSettings(true, d.dosimetry().withSpacing(0.5), Duration.ofNanos(1), d.uPerMci(),
        d.defaultModel());
    StudyVerification v = verified(tiny, Optional.of(prostateUrethraRectum("Prostate")));
    assertThat(v.dose()).isEmpty();
    assertThat(v.conclusion()).contains("Dose not computed: the computation ran past its budget");
  }
}
