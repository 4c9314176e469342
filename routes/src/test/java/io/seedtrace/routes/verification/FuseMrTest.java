package io.seedtrace.routes.verification;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.detection.CtScan;
import io.seedtrace.detection.DetectionResult;
import io.seedtrace.detection.Seed;
import io.seedtrace.detection.fusion.FusionSettings;
import io.seedtrace.detection.phantom.FusionPhantom;
import io.seedtrace.detection.plan.RigidTransform;
import io.seedtrace.dicom.NodeConfig;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Element;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.data.Vr;
import io.seedtrace.dicom.rt.StructureSetContours;
import io.seedtrace.dicom.volume.ImageVolume;
import io.seedtrace.dosimetry.dvh.StructureNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fusion step on a generated pelvis: the post-operative CT, and an MR in its own frame of
 * reference (moved by 19 mm and 8 degrees) written as real MR Image files, with the prostate
 * outlined on the MR's slices as a planning system would. Nine seeds lie in the prostate and two
 * outside it; the conclusion must say so, which it can only if the registration found the motion.
 */
class FuseMrTest {

  private static final String CT_FRAME = "1.2.3.9";
  private static final String MR_FRAME = "1.2.3.50";
  private static final String MR_SERIES = "1.2.3.51";
  private static final RigidTransform MR_TO_CT = RigidTransform.ofRotationVector(
      new double[] {0, 0, Math.toRadians(8)}, new double[] {14, -9, 10});

  private static ImageVolume ct;
  private static CtScan mr;
  private final CamelContext camel = new DefaultCamelContext();

  @TempDir
  Path dir;

  @BeforeAll
  static void scan() {
    CtScan scan = FusionPhantom.ct(1);
    ct = ImageVolume.ct(scan.nx(), scan.ny(), scan.nz(), scan.dx(), scan.dy(), scan.dz(), scan.origin(), scan.row(),
        scan.column(), scan.slice(), scan.hu(), "1.2.3", "1.2.3.4", CT_FRAME);
    mr = FusionPhantom.mr(MR_TO_CT, RigidTransform.identity(), 7);
  }

  @AfterEach
  void close() throws Exception {
    camel.close();
  }

  /** Nine seeds inside the prostate (CT coordinates), one 6.6 mm beside it and one 4.8 mm below it. */
  private static List<double[]> seeds() {
    double[] c = FusionPhantom.prostateCentre();
    double[] r = FusionPhantom.prostateRadii();
    List<double[]> seeds = new ArrayList<>();
    seeds.add(c.clone());
    for (int axis = 0; axis < 3; axis++) {
      for (int sign = -1; sign <= 1; sign += 2) {
        double[] s = c.clone();
        s[axis] += sign * 0.6 * r[axis];
        seeds.add(s);
      }
    }
    seeds.add(new double[] {c[0] + 0.4 * r[0], c[1] + 0.4 * r[1], c[2] + 0.3 * r[2]});
    seeds.add(new double[] {c[0] - 0.4 * r[0], c[1] - 0.3 * r[1], c[2] - 0.4 * r[2]});
    seeds.add(new double[] {c[0] + 1.3 * r[0], c[1], c[2]});
    seeds.add(new double[] {c[0], c[1], c[2] - 1.25 * r[2]});
    return seeds;
  }

  @Test
  void placesTheSeedsAgainstTheProstateOutlinedOnTheMr() throws Exception {
    MrOutlines outlined = new MrOutlines(MR_SERIES, writeMr(mr), prostateOnMr(mr));

    StudyVerification v = fused(Optional.of(outlined));

    assertThat(v.conclusion()).startsWith("Counts balanced. MR fusion: the MR series " + MR_SERIES
        + " was registered to this CT by mutual information (start: centres-of-mass");
    assertThat(v.conclusion()).containsPattern("restarts 2 mm and 2 degrees off agree within 0\\.[0-9] mm");
    assertThat(v.conclusion()).contains("Against the MR-contoured PROSTATE: 9 of 11 seeds inside, 2 outside, up to ");
    System.out.println("FuseMrTest conclusion: " + v.conclusion());
    double worst = Double.parseDouble(v.conclusion().replaceAll(".*up to ([0-9.]+) mm.*", "$1"));
    assertThat(worst).isBetween(5.0, 8.0);
    assertThat(v.timings()).containsKey("fusion");
    // without the registration (the MR's coordinates taken as the CT's), the same seeds land elsewhere
    MrTargetPlacement.Placement unregistered = MrTargetPlacement.place(RigidTransform.identity(),
        outlined.contours(), seeds(), StructureNames.defaults()).orElseThrow();
    assertThat(unregistered.inside()).isNotEqualTo(9);
  }

  @Test
  void anMrThatCannotBeRegisteredIsNamedWithTheReasonAndTheVerificationGoesOn() throws Exception {
    List<Path> oneSlice = writeMr(mr).subList(0, 1);
    StudyVerification v = fused(Optional.of(new MrOutlines(MR_SERIES, oneSlice, prostateOnMr(mr))));
    assertThat(v.conclusion()).startsWith("Counts balanced. MR fusion not done: the MR series " + MR_SERIES
        + " could not be used: MR volume of 176 x 144 x 1 voxels is too thin");
  }

  @Test
  void aPatientWithoutAnOutlinedMrGetsNoFusionSentence() throws Exception {
    assertThat(fused(Optional.empty()).conclusion()).isEqualTo("Counts balanced.");
  }

  private StudyVerification fused(Optional<MrOutlines> outlined) throws Exception {
    StudyVerification v = new StudyVerification(new QueuedStudy("VER-1", VerificationPipelineTest.ct("P1", "1.2.3.4"),
        1, "claim"));
    v.matched(Instant.parse("2026-12-02T09:00:00Z"), new Implant("Patient/1", "Procedure/2", Optional.empty(), "test"));
    v.assembled(ct);
    List<Seed> seeds = new ArrayList<>();
    for (double[] s : seeds()) {
      seeds.add(new Seed(s, new double[] {0, 0, 1}, 0.9, seeds.size(), 1));
    }
    v.detected(new DetectionResult(seeds, List.of(), seeds.size(), seeds.size(), 0, 1, Map.of()));
    v.balanced(new CountModel(OptionalInt.empty(), 0, 0, 0, OptionalInt.empty(), OptionalInt.empty()), List.of(),
        "Counts balanced.");
    Exchange exchange = new DefaultExchange(camel);
    exchange.getMessage().setBody(v);
    new FuseMr(records(outlined), FusionSettings.defaults(), StructureNames.defaults()).process(exchange);
    return v;
  }

  private static ImplantRecords records(Optional<MrOutlines> outlined) {
    return new NoImplantRecords() {
      @Override
      public Optional<MrOutlines> mrOutlines(String dicomPatientId, String ctFrameOfReferenceUid) {
        return outlined;
      }
    };
  }

  /** The MR as MR Image Storage files, one per slice, 16-bit signed, explicit VR little endian. */
  private List<Path> writeMr(CtScan scan) throws Exception {
    List<Path> files = new ArrayList<>();
    int plane = scan.nx() * scan.ny();
    for (int k = 0; k < scan.nz(); k++) {
      byte[] pixels = new byte[2 * plane];
      for (int p = 0; p < plane; p++) {
        short v = scan.hu()[k * plane + p];
        pixels[2 * p] = (byte) v;
        pixels[2 * p + 1] = (byte) (v >> 8);
      }
      double[] position = scan.toPatient(0, 0, k);
      DataSet ds = new DataSet()
          .putString(Tag.SOPClassUID, Vr.UI, NodeConfig.MR_IMAGE)
          .putString(Tag.SOPInstanceUID, Vr.UI, MR_SERIES + "." + (k + 1))
          .putString(Tag.Modality, Vr.CS, "MR")
          .putString(Tag.PatientID, Vr.LO, "P1")
          .putString(Tag.StudyInstanceUID, Vr.UI, "1.2.3.49")
          .putString(Tag.SeriesInstanceUID, Vr.UI, MR_SERIES)
          .putString(Tag.FrameOfReferenceUID, Vr.UI, MR_FRAME)
          .putString(Tag.ImagePositionPatient, Vr.DS, ds(position))
          .putString(Tag.ImageOrientationPatient, Vr.DS, ds(scan.row()) + "\\" + ds(scan.column()))
          .putString(Tag.PixelSpacing, Vr.DS, ds(new double[] {scan.dy(), scan.dx()}))
          .putString(Tag.SliceThickness, Vr.DS, ds(new double[] {scan.dz()}))
          .putUS(Tag.SamplesPerPixel, 1)
          .putString(Tag.PhotometricInterpretation, Vr.CS, "MONOCHROME2")
          .putUS(Tag.Rows, scan.ny()).putUS(Tag.Columns, scan.nx())
          .putUS(Tag.BitsAllocated, 16).putUS(Tag.BitsStored, 16).putUS(Tag.HighBit, 15)
          .putUS(Tag.PixelRepresentation, 1)
          .put(Element.ofValue(Tag.PixelData, Vr.OW, pixels));
      Path file = dir.resolve("mr" + k + ".dcm");
      Files.write(file, Part10.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
      files.add(file);
    }
    return files;
  }

  /**
   * The prostate outlined on each MR slice it crosses, in MR coordinates: 48 rays from the slice's
   * point nearest the gland's centre, each ending where the anatomy stops being prostate.
   */
  private static StructureSetContours prostateOnMr(CtScan scan) {
    RigidTransform ctToMr = MR_TO_CT.inverse();
    double[] centreOnMr = ctToMr.apply(FusionPhantom.prostateCentre());
    List<double[]> contours = new ArrayList<>();
    for (int k = 0; k < scan.nz(); k++) {
      double z = scan.toPatient(0, 0, k)[2];
      if (!prostate(centreOnMr[0], centreOnMr[1], z)) {
        continue;
      }
      double[] contour = new double[3 * 48];
      for (int a = 0; a < 48; a++) {
        double cos = Math.cos(2 * Math.PI * a / 48);
        double sin = Math.sin(2 * Math.PI * a / 48);
        double in = 0;
        double out = 60;
        while (out - in > 0.05) {
          double mid = (in + out) / 2;
          if (prostate(centreOnMr[0] + mid * cos, centreOnMr[1] + mid * sin, z)) {
            in = mid;
          } else {
            out = mid;
          }
        }
        contour[3 * a] = centreOnMr[0] + in * cos;
        contour[3 * a + 1] = centreOnMr[1] + in * sin;
        contour[3 * a + 2] = z;
      }
      contours.add(contour);
    }
    return new StructureSetContours(MR_FRAME, "1.2.3.52", List.of(new StructureSetContours.Roi(1, "PROSTATE", contours)));
  }

  private static boolean prostate(double x, double y, double z) {
    double[] p = MR_TO_CT.apply(new double[] {x, y, z});
    return FusionPhantom.tissue(p[0], p[1], p[2]) == FusionPhantom.Tissue.PROSTATE;
  }

  private static String ds(double[] v) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < v.length; i++) {
      s.append(i == 0 ? "" : "\\").append(String.format(Locale.ROOT, "%.4f", v[i]));
    }
    return s.toString();
  }
}
