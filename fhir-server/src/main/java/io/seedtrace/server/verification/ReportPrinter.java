package io.seedtrace.server.verification;

import io.seedtrace.dicom.volume.ImageVolume;
import io.seedtrace.routes.verification.Alarm;
import io.seedtrace.routes.verification.CountModel;
import io.seedtrace.routes.verification.DoseOutcome;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;

/**
 * Prints a verification's report for people to read in the EHR (a PDF carried in the
 * DiagnosticReport's {@code presentedForm}), while the verification and its CT are still in memory,
 * so printing never loads the series again.
 */
public interface ReportPrinter {

  /**
   * What a printed report shows.
   *
   * @param volume the verified CT, still in memory
   * @param figures what the verification found seed by seed
   * @param report the report as it is about to be stored (status, conclusion, sign-off)
   * @param dose the implant's dose, when it was computed
   */
  record Content(String verificationId, Instant ctTime, String seriesUid, int images, ImageVolume volume,
      SeedFigures figures, CountModel counts, List<Alarm> alarms, Patient patient, Procedure procedure,
      Device cartridge, DiagnosticReport report, Optional<DoseOutcome> dose) {

    public Content {
      alarms = List.copyOf(alarms);
    }

    /** A verification without a dose. */
    public Content(String verificationId, Instant ctTime, String seriesUid, int images, ImageVolume volume,
        SeedFigures figures, CountModel counts, List<Alarm> alarms, Patient patient, Procedure procedure,
        Device cartridge, DiagnosticReport report) {
      this(verificationId, ctTime, seriesUid, images, volume, figures, counts, alarms, patient, procedure, cartridge,
          report, Optional.empty());
    }
  }

  /**
   * A picture drawn for the document that the console shows as well (e.g. the DVH, isodose lines).
   *
   * @param name short and URL-safe, e.g. {@code dvh}, {@code isodose-1}
   */
  record Picture(String name, String caption, byte[] png) {
    public Picture {
      if (name == null || !name.matches("[a-z0-9-]{1,64}")) {
        throw new IllegalArgumentException("a picture's name is 1-64 of a-z, 0-9 and '-', got " + name);
      }
    }
  }

  /** The document and the pictures drawn for it that are worth keeping apart. */
  record Printed(byte[] document, List<Picture> pictures) {
    public Printed {
      pictures = List.copyOf(pictures);
    }
  }

  /** The content type of the document {@link #print} returns. */
  String contentType();

  /** @throws IOException when the document cannot be written */
  Printed print(Content content) throws IOException;
}
