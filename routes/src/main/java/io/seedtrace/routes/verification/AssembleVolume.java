package io.seedtrace.routes.verification;

import io.seedtrace.dicom.volume.VolumeAssembler;
import io.seedtrace.dicom.volume.VolumeException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Second step: the slices of the series become one volume. A series that cannot be assembled ends
 * here: when it is incomplete (a gap, an aborted association) the implant is reported as not
 * verified until the whole series arrives; otherwise the study is refused.
 */
final class AssembleVolume implements Processor {

  private final VerificationArchive archive;

  AssembleVolume(VerificationArchive archive) {
    this.archive = archive;
  }

  @Override
  public void process(Exchange exchange) throws Exception {
    StudyVerification v = exchange.getMessage().getMandatoryBody(StudyVerification.class);
    long t0 = System.nanoTime();
    try {
      v.assembled(VolumeAssembler.assemble(v.event().paths()));
    } catch (VolumeException refused) {
      if (IncompleteSeries.of(v.event())) {
        archive.notVerified(v, new Alarm(IncompleteSeries.KIND, "The CT series " + v.event().seriesUid()
            + " is incomplete (" + v.event().completeness().describe() + ") and cannot be assembled: "
            + refused.getMessage() + ". The seeds of this implant are NOT verified; they will be when the whole"
            + " series arrives."));
      } else {
        archive.refused(v, "the CT series cannot be used: " + refused.getMessage());
      }
      exchange.setRouteStop(true);
      return;
    }
    v.timed("assembly", t0);
  }
}
