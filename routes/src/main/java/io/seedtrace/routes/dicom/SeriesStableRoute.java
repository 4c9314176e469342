package io.seedtrace.routes.dicom;

import io.seedtrace.dicom.spool.SeriesStableEvent;
import org.apache.camel.builder.RouteBuilder;

/**
 * Entry of DICOM series events into the hub: the node hands each "series stable" event to
 * {@value #ENDPOINT} synchronously, so a failure here makes the node deliver it again later.
 * The route records the event and logs it; the verification flow subscribes here.
 */
public final class SeriesStableRoute extends RouteBuilder {

  public static final String ENDPOINT = "direct:dicom-series-stable";
  public static final String ROUTE_ID = "dicom-series-stable";

  private final SeriesArrivals arrivals;
  private final String next;

  /** A hub that only records and logs the events. */
  public SeriesStableRoute(SeriesArrivals arrivals) {
    this(arrivals, null);
  }

  /**
   * @param next where each event goes after it is recorded (e.g. the verification route), or null;
   *     a failure there fails the delivery, so the node delivers the event again later
   */
  public SeriesStableRoute(SeriesArrivals arrivals, String next) {
    this.arrivals = arrivals;
    this.next = next;
  }

  @Override
  public void configure() {
    var route = from(ENDPOINT)
        .routeId(ROUTE_ID)
        .routeDescription("A DICOM series is complete in the spool")
        .process(exchange -> arrivals.record(exchange.getMessage().getMandatoryBody(SeriesStableEvent.class)))
        .log("Series ${body.seriesUid} (${body.modality}, ${body.instanceCount} instances, accession '${body.accessionNumber}') is stable");
    if (next != null) {
      route.to(next);
    }
  }
}
