package io.seedtrace.routes.verification;

import io.seedtrace.detection.fusion.FusionException;
import io.seedtrace.detection.fusion.FusionResult;
import io.seedtrace.detection.fusion.FusionSettings;
import io.seedtrace.detection.fusion.MutualInformationRegistration;
import io.seedtrace.dicom.volume.ImageVolume;
import io.seedtrace.dicom.volume.Modality;
import io.seedtrace.dicom.volume.VolumeAssembler;
import io.seedtrace.dicom.volume.VolumeException;
import io.seedtrace.dosimetry.dvh.StructureNames;
import java.io.IOException;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After the count balance: when the patient has an MR series with an RT Structure Set outlined on
 * it, the MR is assembled, registered to the CT by mutual information within the fusion budget
 * ({@link MutualInformationRegistration}), and the conclusion says where the detected seeds lie
 * against the MR-contoured target, with the registration's figures and error estimate. An MR that
 * cannot be assembled or registered is named in the conclusion with the reason, and the
 * verification goes on; a patient without an outlined MR gets no sentence.
 */
final class FuseMr implements Processor {

  private static final Logger LOG = LoggerFactory.getLogger(FuseMr.class);

  private final ImplantRecords implants;
  private final MutualInformationRegistration registration;
  private final StructureNames names;

  FuseMr(ImplantRecords implants, FusionSettings settings, StructureNames names) {
    this.implants = implants;
    this.registration = new MutualInformationRegistration(settings);
    this.names = names;
  }

  @Override
  public void process(Exchange exchange) throws Exception {
    StudyVerification v = exchange.getMessage().getMandatoryBody(StudyVerification.class);
    long t0 = System.nanoTime();
    ImageVolume ct = v.volume();
    Optional<MrOutlines> outlined = implants.mrOutlines(v.event().patientId(), ct.frameOfReferenceUid());
    if (outlined.isEmpty()) {
      return;
    }
    MrOutlines mr = outlined.get();
    try {
      ImageVolume volume = VolumeAssembler.assemble(mr.files(), Modality.MR);
      FusionResult fusion = registration.register(DetectSeeds.scanOf(ct), DetectSeeds.scanOf(volume),
          ct.frameOfReferenceUid().equals(volume.frameOfReferenceUid()));
      LOG.info("Verification {}: MR {} registered to the CT: {}", v.verificationId(), mr.seriesUid(), fusion);
      v.fused(MrTargetPlacement.sentence(mr.seriesUid(), fusion, mr.contours(), v.detectedCentres(), names));
    } catch (VolumeException | FusionException | IOException unusable) {
      LOG.warn("Verification {}: MR {} not fused: {}", v.verificationId(), mr.seriesUid(), unusable.getMessage());
      v.fused("MR fusion not done: the MR series " + mr.seriesUid() + " could not be used: " + unusable.getMessage()
          + ".");
    }
    v.timed("fusion", t0);
  }
}
