package io.seedtrace.server.verification;

import io.seedtrace.detection.Seed;
import io.seedtrace.dicom.NodeConfig;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.net.StoreScu;
import io.seedtrace.dicom.net.TlsSettings;
import io.seedtrace.dicom.rt.EncapsulatedPdfWriter;
import io.seedtrace.dicom.rt.PostImplantPlanWriter;
import io.seedtrace.dicom.rt.RtDoseWriter;
import io.seedtrace.dicom.rt.StructureSetWriter;
import io.seedtrace.dicom.volume.ImageVolume;
import io.seedtrace.routes.verification.DoseOutcome;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Sends the detected seeds back to the PACS as an RT Structure Set (one POINT ROI per seed, in the
 * CT's study and frame of reference), by C-STORE, so the radiologist sees them in the viewer; the
 * implant's dose as an RT Dose, when it was computed; and the signed report as an Encapsulated PDF
 * ({@link SignedReportToPacs}).
 */
public final class PacsResultSender implements ResultSender {

  private final String callingAe;
  private final String calledAe;
  private final String host;
  private final int port;
  private final Optional<TlsSettings> tls;

  public PacsResultSender(String callingAe, String calledAe, String host, int port) {
    this(callingAe, calledAe, host, port, Optional.empty());
  }

  /** @param tls DICOM TLS settings, or empty for plain TCP */
  public PacsResultSender(String callingAe, String calledAe, String host, int port, Optional<TlsSettings> tls) {
    this.callingAe = callingAe;
    this.calledAe = calledAe;
    this.host = host;
    this.port = port;
    this.tls = tls;
  }

  @Override
  public void send(ImageVolume volume, String patientId, String accession, List<double[]> seeds) throws Exception {
    byte[] file = StructureSetWriter.write(new StructureSetWriter.Input(patientId, patientId, volume.studyUid(),
        volume.frameOfReferenceUid(), volume.seriesUid(), accession == null ? "" : accession, seeds,
        "SeedTrace detected seeds"));
    store(StructureSetWriter.SOP_CLASS_UID, file);
  }

  /**
   * The dose as an RT Dose in the CT's study and frame, with the DVHs of the structures it was
   * evaluated on. It refers to the implant's DICOM RT Plan; without one, the seeds found are sent
   * first as a post-implant RT Plan and the dose refers to that.
   */
  @Override
  public void sendDose(ImageVolume volume, String patientId, String accession, DoseOutcome dose,
      Optional<String> rtPlanUid, List<Seed> seeds) throws Exception {
    String planUid;
    if (rtPlanUid.isPresent()) {
      planUid = rtPlanUid.get();
    } else {
      DataSet plan = PostImplantPlanWriter.dataSet(DoseExport.postImplantPlan(volume, patientId, accession, dose,
          seeds), Clock.systemDefaultZone());
      store(NodeConfig.RT_PLAN, Part10.toBytes(plan, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
      planUid = plan.getString(Tag.SOPInstanceUID).orElseThrow();
    }
    store(RtDoseWriter.SOP_CLASS_UID, RtDoseWriter.write(DoseExport.of(volume, patientId, accession, dose,
        Optional.of(planUid))));
  }

  /**
   * A signed report's PDF as an Encapsulated PDF instance in the study of {@code studyInstance} (the
   * header of one of its instances, whose patient and study attributes it takes).
   *
   * @return the SOP Instance UID sent
   */
  public String sendReport(DataSet studyInstance, byte[] pdf, String title) throws Exception {
    DataSet document = EncapsulatedPdfWriter.dataSet(studyInstance, pdf, title, Clock.systemDefaultZone());
    store(EncapsulatedPdfWriter.SOP_CLASS_UID, Part10.toBytes(document, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
    return document.getString(Tag.SOPInstanceUID, "");
  }

  private void store(String sopClass, byte[] file) throws Exception {
    try (StoreScu scu = StoreScu.open(host, port, callingAe, calledAe,
        List.of(new StoreScu.Proposal(sopClass, List.of("1.2.840.10008.1.2.1"))), 10_000, tls)) {
      int status = scu.store(file);
      if (status != 0) {
        throw new IllegalStateException("the PACS answered C-STORE status 0x" + Integer.toHexString(status));
      }
    }
  }
}
