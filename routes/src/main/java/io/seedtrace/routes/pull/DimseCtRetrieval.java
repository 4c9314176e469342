package io.seedtrace.routes.pull;

import io.seedtrace.dicom.net.QueryRetrieveScu;
import io.seedtrace.dicom.net.QueryRetrieveScu.Matches;
import io.seedtrace.dicom.net.QueryRetrieveScu.MoveResult;
import io.seedtrace.dicom.net.QueryRetrieveScu.Series;
import io.seedtrace.dicom.net.QueryRetrieveScu.Study;
import io.seedtrace.dicom.net.QueryRetrieveScu.StudyQuery;
import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retrieval over DIMSE (Study Root C-FIND and C-MOVE): the patient's studies with CT dated from
 * the implant's day to {@link PullSettings#searchDays()} after it, their CT series, each moved to
 * our AE title. Our node receives them as any pushed series and the verification follows.
 */
public final class DimseCtRetrieval implements CtRetrieval {

  private static final Logger LOG = LoggerFactory.getLogger(DimseCtRetrieval.class);

  private final PullSettings settings;
  private final ZoneId zone;

  /** @param zone the zone the PACS dates studies in (the hospital's) */
  public DimseCtRetrieval(PullSettings settings, ZoneId zone) {
    this.settings = settings;
    this.zone = zone;
  }

  @Override
  public Retrieved retrieve(AwaitedImplant implant) throws IOException {
    if (implant.dicomPatientId() == null || implant.dicomPatientId().isBlank()) {
      throw new IOException("the patient of " + implant.procedure() + " has no identifier to search the PACS by");
    }
    LocalDate day = implant.performedAt().atZone(zone).toLocalDate();
    String pacs = settings.pacsAeTitle() + "@" + settings.pacsHost() + ":" + settings.pacsPort();
    try (QueryRetrieveScu scu = QueryRetrieveScu.open(settings.pacsHost(), settings.pacsPort(),
        settings.ourAeTitle(), settings.pacsAeTitle(), settings.limits(), settings.tls())) {
      Matches<Study> studies = scu.findStudies(new StudyQuery(implant.dicomPatientId(), day,
          day.plusDays(settings.searchDays()), "CT"));
      if (studies.truncated()) {
        LOG.warn("{}: more than {} studies of patient {} on {}; the first are pulled", implant.procedure(),
            settings.limits().maxResults(), implant.dicomPatientId(), pacs);
      }
      int series = 0;
      int instances = 0;
      for (Study study : studies.items()) {
        for (Series s : scu.findSeries(study.studyUid(), "CT").items()) {
          MoveResult moved = scu.moveSeries(study.studyUid(), s.seriesUid(), settings.ourAeTitle());
          if (!moved.complete()) {
            throw new IOException(String.format("C-MOVE of series %s from %s ended with status %04X: %d completed,"
                + " %d failed", s.seriesUid(), pacs, moved.status(), moved.completed(), moved.failed()));
          }
          series++;
          instances += moved.completed();
        }
      }
      return new Retrieved(series, instances, pacs);
    }
  }
}
