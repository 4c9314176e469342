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

  public SeriesStableRoute(SeriesArrivals arrivals) {
    this.arrivals = arrivals;
  }

  @Override
  public void configure() {
    from(ENDPOINT)
        .routeId(ROUTE_ID)
        .routeDescription("A DICOM series is complete in the spool")
        .process(exchange -> arrivals.record(exchange.getMessage().getMandatoryBody(SeriesStableEvent.class)))
        .log("Series ${body.seriesUid} (${body.modality}, ${body.instanceCount} instances, accession '${body.accessionNumber}') is stable");
  }
}
