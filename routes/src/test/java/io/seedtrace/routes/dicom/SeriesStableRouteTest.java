package io.seedtrace.routes.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedtrace.dicom.spool.SeriesStableEvent;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class SeriesStableRouteTest {

  private static SeriesStableEvent event(String series, int count) {
    return new SeriesStableEvent("1.2.3", series, "1.2.3.9", "CT", "1.2.840.10008.5.1.4.1.1.2", "P1", "ACC1", count,
        List.of(Path.of("/spool/x.dcm")), false);
  }

  @Test
  void recordsEveryEventNewestFirstWithinCapacity() throws Exception {
    SeriesArrivals arrivals = new SeriesArrivals(2);
    try (CamelContext camel = new DefaultCamelContext()) {
      camel.addRoutes(new SeriesStableRoute(arrivals));
      camel.start();
      ProducerTemplate producer = camel.createProducerTemplate();
      producer.sendBody(SeriesStableRoute.ENDPOINT, event("1.2.3.4", 10));
      producer.sendBody(SeriesStableRoute.ENDPOINT, event("1.2.3.5", 20));
      producer.sendBody(SeriesStableRoute.ENDPOINT, event("1.2.3.6", 30));
      assertThat(arrivals.recent()).extracting(SeriesStableEvent::seriesUid).containsExactly("1.2.3.6", "1.2.3.5");
    }
  }

  @Test
  void aBodyThatIsNotAnEventFailsBackToTheCaller() throws Exception {
    try (CamelContext camel = new DefaultCamelContext()) {
      camel.addRoutes(new SeriesStableRoute(new SeriesArrivals(5)));
      camel.start();
      assertThatThrownBy(() -> camel.createProducerTemplate().requestBody(SeriesStableRoute.ENDPOINT, "not an event"))
          .isInstanceOf(CamelExecutionException.class);
    }
  }
}
