package io.seedtrace.routes.pull;

import io.seedtrace.dicom.NodeConfig;
import io.seedtrace.dicom.net.QueryRetrieveScu;
import io.seedtrace.dicom.net.QueryRetrieveScu.GetStorage;
import io.seedtrace.dicom.net.QueryRetrieveScu.Matches;
import io.seedtrace.dicom.net.QueryRetrieveScu.MoveResult;
import io.seedtrace.dicom.net.QueryRetrieveScu.Series;
import io.seedtrace.dicom.net.QueryRetrieveScu.Study;
import io.seedtrace.dicom.net.QueryRetrieveScu.StudyQuery;
import io.seedtrace.dicom.net.StoreHandler;
import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retrieval over DIMSE (Study Root C-FIND, then C-MOVE or C-GET): the patient's studies with CT
 * dated from the implant's day to {@link PullSettings#searchDays()} after it, their CT series, each
 * moved to our AE title (our node receives them as any pushed series) or, with
 * {@link PullSettings.Retrieve#GET}, retrieved on the query association straight into the node's
 * store (the same spool and series tracker as a pushed series). The verification follows.
 */
public final class DimseCtRetrieval implements CtRetrieval {

  private static final Logger LOG = LoggerFactory.getLogger(DimseCtRetrieval.class);

  private final PullSettings settings;
  private final ZoneId zone;
  private final Supplier<StoreHandler> store;

  /** CT and Enhanced CT, in every transfer syntax the node can store. */
  static final GetStorage CT_BY_GET = new GetStorage(List.of(NodeConfig.CT_IMAGE, NodeConfig.ENHANCED_CT_IMAGE),
      allSyntaxes());

  /** By C-MOVE only. @param zone the zone the PACS dates studies in (the hospital's) */
  public DimseCtRetrieval(PullSettings settings, ZoneId zone) {
    this(settings, zone, null);
  }

  /**
   * @param zone the zone the PACS dates studies in (the hospital's)
   * @param store where C-GET instances go (the node's spool); asked at each retrieval; needed for
   *     {@link PullSettings.Retrieve#GET}
   */
  public DimseCtRetrieval(PullSettings settings, ZoneId zone, Supplier<StoreHandler> store) {
    if (settings.retrieve() == PullSettings.Retrieve.GET && store == null) {
      throw new IllegalArgumentException("retrieval by C-GET needs the node's store");
    }
    this.settings = settings;
    this.zone = zone;
    this.store = store;
  }

  private static List<String> allSyntaxes() {
    List<String> all = new ArrayList<>(NodeConfig.NATIVE_TRANSFER_SYNTAXES);
    all.addAll(NodeConfig.COMPRESSED_TRANSFER_SYNTAXES);
    return all;
  }

  @Override
  public Retrieved retrieve(AwaitedImplant implant) throws IOException {
    if (implant.dicomPatientId() == null || implant.dicomPatientId().isBlank()) {
      throw new IOException("the patient of " + implant.procedure() + " has no identifier to search the PACS by");
    }
    LocalDate day = implant.performedAt().atZone(zone).toLocalDate();
    String pacs = settings.pacsAeTitle() + "@" + settings.pacsHost() + ":" + settings.pacsPort();
    boolean get = settings.retrieve() == PullSettings.Retrieve.GET;
    try (QueryRetrieveScu scu = QueryRetrieveScu.open(settings.pacsHost(), settings.pacsPort(),
        settings.ourAeTitle(), settings.pacsAeTitle(), settings.limits(), settings.tls(), get ? CT_BY_GET : null)) {
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
          MoveResult moved = get ? scu.getSeries(study.studyUid(), s.seriesUid(), store.get())
              : scu.moveSeries(study.studyUid(), s.seriesUid(), settings.ourAeTitle());
          if (!moved.complete()) {
            throw new IOException(String.format("%s of series %s from %s ended with status %04X: %d completed,"
                + " %d failed", get ? "C-GET" : "C-MOVE", s.seriesUid(), pacs, moved.status(), moved.completed(),
                moved.failed()));
          }
          series++;
          instances += moved.completed();
        }
      }
      return new Retrieved(series, instances, pacs);
    }
  }
}
