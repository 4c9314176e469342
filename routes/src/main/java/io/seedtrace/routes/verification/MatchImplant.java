package io.seedtrace.routes.verification;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.DicomFormatException;
import io.seedtrace.dicom.data.Part10;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First step: a study taken from the queue is skipped when its verification already ended (a
 * repeat after a crash), else matched to its implant. A study that matches no implant, or an
 * implant without a cartridge, ends here with its outcome recorded.
 */
final class MatchImplant implements Processor {

  private static final Logger LOG = LoggerFactory.getLogger(MatchImplant.class);

  private final VerificationLedger ledger;
  private final ImplantRecords implants;
  private final VerificationArchive archive;

  MatchImplant(VerificationLedger ledger, ImplantRecords implants, VerificationArchive archive) {
    this.ledger = ledger;
    this.implants = implants;
    this.archive = archive;
  }

  @Override
  public void process(Exchange exchange) throws Exception {
    QueuedStudy study = exchange.getMessage().getMandatoryBody(QueuedStudy.class);
    StudyVerification v = new StudyVerification(study);
    exchange.getMessage().setBody(v);
    if (ledger.finished(study.verificationId())) {
      LOG.info("Series {} ({} instances) was verified already; the study is not verified again",
          study.event().seriesUid(), study.event().instanceCount());
      exchange.setRouteStop(true);
      return;
    }
    ledger.started(study.verificationId(), study.event().seriesUid(), study.event().studyUid());
    long t0 = System.nanoTime();
    Instant studyTime = studyTime(study.event().paths());
    Optional<Implant> implant = implants.match(study.event(), studyTime);
    v.studyTime(studyTime);
    if (implant.isEmpty()) {
      archive.unmatched(v);
      exchange.setRouteStop(true);
      return;
    }
    if (implant.get().cartridge().isEmpty()) {
      archive.refused(v, "the implant " + implant.get().procedure() + " names no cartridge (focalDevice)");
      exchange.setRouteStop(true);
      return;
    }
    v.matched(studyTime, implant.get());
    v.timed("match", t0);
  }

  /** StudyDate and StudyTime of the first file, else now (the time the series arrived). */
  static Instant studyTime(List<Path> paths) {
    try {
      DataSet ds = Part10.read(Files.readAllBytes(paths.get(0))).dataSet();
      String date = ds.getString(0x00080020, "");
      if (date.length() == 8) {
        String time = ds.getString(0x00080030, "");
        LocalTime lt = time.length() >= 6 ? LocalTime.parse(time.substring(0, 6), DateTimeFormatter.ofPattern("HHmmss"))
            : LocalTime.NOON;
        return LocalDate.parse(date, DateTimeFormatter.BASIC_ISO_DATE).atTime(lt).atZone(ZoneId.systemDefault())
            .toInstant();
      }
    } catch (IOException | RuntimeException | DicomFormatException unreadable) {
      // fall through: the arrival time is the best we know
    }
    return Instant.now();
  }
}
