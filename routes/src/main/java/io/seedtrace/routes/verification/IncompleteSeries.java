package io.seedtrace.routes.verification;

import io.seedtrace.dicom.spool.SeriesStableEvent;

/**
 * What a verification of a CT series that did not arrive whole says: an alarm of kind {@value
 * #KIND} naming what is missing; the report is only preliminary until the whole series arrives.
 */
public final class IncompleteSeries {

  public static final String KIND = "incomplete-series";

  private IncompleteSeries() {}

  public static boolean of(SeriesStableEvent event) {
    return !event.completeness().complete();
  }

  /** The sentence for the alarm and the conclusion. */
  public static String detail(SeriesStableEvent event) {
    return "The CT series " + event.seriesUid() + " is incomplete (" + event.completeness().describe() + "): the seeds"
        + " were looked for in the " + event.instanceCount() + " instance(s) received only. This report is preliminary"
        + " until the whole series arrives; its verification will supersede this one.";
  }

  public static Alarm alarm(SeriesStableEvent event) {
    return new Alarm(KIND, detail(event));
  }
}
