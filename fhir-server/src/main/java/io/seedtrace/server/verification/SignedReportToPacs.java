package io.seedtrace.server.verification;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.spool.InstanceRecord;
import io.seedtrace.server.dicom.DicomNodeService;
import io.seedtrace.server.store.FhirStore;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once a physicist has signed a verification report off, sends its signed PDF to the PACS as an
 * Encapsulated PDF instance in the CT's study ({@link PacsResultSender#sendReport}), the way the
 * detected seeds and the dose go: best effort, a failure is logged. The patient and study
 * attributes are those of a stored instance of the study (the node's spool), so the PACS files the
 * document with the CT. Sent on a thread of its own, so the sign-off does not wait for the PACS.
 */
public final class SignedReportToPacs implements Consumer<DiagnosticReport>, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SignedReportToPacs.class);
  private static final int HEADER_BYTES = 256 * 1024;
  static final String TITLE = "SeedTrace post-implant seed verification report (signed)";

  private final FhirStore store;
  private final DicomNodeService dicom;
  private final PacsResultSender pacs;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "signed-report-to-pacs");
    t.setDaemon(true);
    return t;
  });

  public SignedReportToPacs(FhirStore store, DicomNodeService dicom, PacsResultSender pacs) {
    this.store = store;
    this.dicom = dicom;
    this.pacs = pacs;
  }

  /** Queues the signed report's PDF for the PACS; a report without a study or a PDF is logged and skipped. */
  @Override
  public void accept(DiagnosticReport signed) {
    String id = signed.getIdElement().getIdPart();
    Optional<String> study = studyUid(signed);
    Optional<byte[]> pdf = signed.getPresentedForm().stream()
        .filter(a -> "application/pdf".equals(a.getContentType()) && a.hasData()).map(Attachment::getData).findFirst();
    if (study.isEmpty() || pdf.isEmpty()) {
      LOG.warn("Signed report {} not sent to the PACS: it has no {}", id, study.isEmpty() ? "imaging study" : "PDF");
      return;
    }
    worker.execute(() -> send(id, study.get(), pdf.get()));
  }

  private void send(String reportId, String studyUid, byte[] pdf) {
    try {
      InstanceRecord instance = dicom.instances().stream().filter(r -> r.studyUid().equals(studyUid)).findFirst()
          .orElseThrow(() -> new IllegalStateException("no instance of study " + studyUid + " is stored here"));
      DataSet header = Part10.readHeader(instance.path(), HEADER_BYTES);
      String sop = pacs.sendReport(header, pdf, TITLE);
      LOG.info("Signed report {} sent to the PACS as Encapsulated PDF {} in study {}", reportId, sop, studyUid);
    } catch (Exception e) {
      LOG.warn("Sending signed report {} to the PACS failed: {}", reportId, e.getMessage());
    }
  }

  /** The Study Instance UID of the report's imaging study (identifier {@code urn:dicom:uid}). */
  private Optional<String> studyUid(DiagnosticReport report) {
    if (!report.hasImagingStudy()) {
      return Optional.empty();
    }
    String id = report.getImagingStudyFirstRep().getReferenceElement().getIdPart();
    return store.readOptional(ImagingStudy.class, id).flatMap(s -> s.getIdentifier().stream()
        .filter(i -> VerificationResults.DICOM_UID.equals(i.getSystem())).map(Identifier::getValue).findFirst())
        .map(v -> v.startsWith("urn:oid:") ? v.substring("urn:oid:".length()) : v);
  }

  @Override
  public void close() {
    worker.shutdown();
  }
}
