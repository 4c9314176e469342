package io.seedtrace.server.verification;

import io.seedtrace.dicom.rt.PostImplantPlanWriter;
import io.seedtrace.dicom.rt.RtDoseWriter;
import io.seedtrace.dicom.rt.StructureSetContours;
import io.seedtrace.dicom.volume.ImageVolume;
import io.seedtrace.dosimetry.DoseGrid;
import io.seedtrace.dosimetry.I125Decay;
import io.seedtrace.dosimetry.dvh.DoseVolumeHistogram;
import io.seedtrace.routes.verification.DoseOutcome;
import java.util.ArrayList;
import java.util.List;

/**
 * An implant's dose as the content of an RT Dose: the grid in Gy and, per evaluated structure, its
 * cumulative DVH referring to the ROI of the same name in the structure set the dose was computed
 * on. DVH bins are 0.5 Gy, wider when the maximum dose would need more than 1000 of them. When the
 * implant's plan came as a DICOM RT Plan, the RT Dose refers to it (Referenced RT Plan Sequence).
 */
final class DoseExport {

  static final int MAX_BINS = 1000;

  private DoseExport() {}

  static RtDoseWriter.Input of(ImageVolume volume, String patientId, String accession, DoseOutcome dose,
      java.util.Optional<String> rtPlanUid) {
    DoseGrid grid = dose.result().doseGy();
    float[] gy = new float[grid.size()];
    for (int p = 0; p < gy.length; p++) {
      gy[p] = grid.valueAt(p);
    }
    List<RtDoseWriter.Dvh> dvhs = new ArrayList<>();
    for (DoseVolumeHistogram dvh : dose.result().dvhs().values()) {
      roiNumber(dose.structures(), dvh.name()).ifPresent(number -> {
        double bin = Math.max(0.5, Math.ceil(dvh.maxGy() / (MAX_BINS - 2)));
        dvhs.add(new RtDoseWriter.Dvh(number, bin, dvh.cumulative(bin), dvh.minGy(), dvh.maxGy(), dvh.meanGy()));
      });
    }
    return new RtDoseWriter.Input(patientId, patientId, volume.studyUid(), volume.frameOfReferenceUid(),
        accession == null ? "" : accession, new double[] {grid.originMm().x(), grid.originMm().y(),
            grid.originMm().z()}, grid.spacingMm(), grid.nx(), grid.ny(), grid.nz(), gy,
        dose.structures().sopInstanceUid(), rtPlanUid.orElse(null), dvhs, "TG-43 " + dose.seedModel() + ", dose to infinity");
  }

  /**
   * The seeds the dose was computed from as a post-implant RT Plan: S_K per seed at the time the
   * dose computation used, I-125 (the bundled TG-43 models are I-125 seeds), active length 3 mm.
   */
  static PostImplantPlanWriter.Input postImplantPlan(ImageVolume volume, String patientId, String accession,
      DoseOutcome dose, List<io.seedtrace.detection.Seed> seeds) {
    PostImplantPlanWriter.Source source = new PostImplantPlanWriter.Source(dose.seedModel(), "", "I-125",
        I125Decay.HALF_LIFE_DAYS, 3.0, dose.airKermaStrengthU(), dose.strengthAt());
    List<PostImplantPlanWriter.Seed> found = seeds.stream().map(s -> new PostImplantPlanWriter.Seed(s.centre(),
        knownAxis(s.axis()) ? s.axis() : null)).toList();
    return new PostImplantPlanWriter.Input(patientId, patientId, volume.studyUid(), volume.frameOfReferenceUid(),
        accession == null ? "" : accession, dose.structures().sopInstanceUid(), source, found);
  }

  /** An axis the detector could tell (as the dose computation decides). */
  private static boolean knownAxis(double[] a) {
    return a != null && a.length == 3 && Double.isFinite(a[0] + a[1] + a[2]) && Math.hypot(a[0], Math.hypot(a[1], a[2]))
        > 0.5;
  }

  private static java.util.Optional<Integer> roiNumber(StructureSetContours structures, String name) {
    return structures.rois().stream().filter(r -> r.name().equals(name)).map(StructureSetContours.Roi::number)
        .findFirst();
  }
}
