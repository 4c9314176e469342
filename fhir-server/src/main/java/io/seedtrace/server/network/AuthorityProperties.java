package io.seedtrace.server.network;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
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
 * @param licences the radioactive-material licences the authority issued, by hospital network id;
 *     when there are any, a shipment to a hospital without a licence valid on the shipping date, or
 *     of more seeds than its licence allows per order, raises {@code licence-exceeded}; when there
 *     are none, licences are not checked (the hospital's own {@code OrderCheck} still is)
 */
@ConfigurationProperties("seedtrace.authority")
public record AuthorityProperties(@DefaultValue("72h") Duration receiptDeadline,
    @DefaultValue("15m") Duration checkPeriod, @DefaultValue("30d") Duration returnDeadline,
    Map<String, Licence> licences) {

  /**
   * One hospital's licence as the authority issued it.
   *
   * @param number the licence number, named in alerts
   * @param validUntil the last day it is valid (inclusive)
   * @param maxSeedsPerOrder the most seeds one order may ship, or null for no limit
   */
  public record Licence(String number, LocalDate validUntil, Integer maxSeedsPerOrder) {
    public Licence {
      if (number == null || number.isBlank() || validUntil == null) {
        throw new IllegalArgumentException("a licence of seedtrace.authority.licences needs number and valid-until");
      }
      if (maxSeedsPerOrder != null && maxSeedsPerOrder < 1) {
        throw new IllegalArgumentException("licence " + number + ": max-seeds-per-order must be at least 1");
      }
    }
  }

  @ConstructorBinding
  public AuthorityProperties {
    for (Duration d : new Duration[] {receiptDeadline, checkPeriod, returnDeadline}) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("seedtrace.authority deadlines and check period must be positive");
      }
    }
    licences = licences == null ? Map.of() : Map.copyOf(licences);
  }

  /** Deadlines without a licence register. */
  public AuthorityProperties(Duration receiptDeadline, Duration checkPeriod, Duration returnDeadline) {
    this(receiptDeadline, checkPeriod, returnDeadline, Map.of());
  }
}
