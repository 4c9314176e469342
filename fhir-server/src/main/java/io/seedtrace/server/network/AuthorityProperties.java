package io.seedtrace.server.network;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How an authority node reconciles ({@code seedtrace.authority.*}; only read when
 * {@code seedtrace.node.role} is {@code authority}).
 *
 * @param receiptDeadline a shipment not reported received by the hospital this long after it was
 *     shipped raises {@code shipment-not-received}
 * @param checkPeriod how often the deadlines are checked
 * @param returnDeadline a cartridge sealed at the hospital and not reported back at the
 *     manufacturer this long after its sealing raises {@code cartridge-not-returned}
 */
@ConfigurationProperties("seedtrace.authority")
public record AuthorityProperties(@DefaultValue("72h") Duration receiptDeadline,
    @DefaultValue("15m") Duration checkPeriod, @DefaultValue("30d") Duration returnDeadline) {

  public AuthorityProperties {
    for (Duration d : new Duration[] {receiptDeadline, checkPeriod, returnDeadline}) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("seedtrace.authority deadlines and check period must be positive");
      }
    }
  }
}
