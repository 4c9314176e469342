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
 * @param checkPeriod how often the deadline is checked
 */
@ConfigurationProperties("seedtrace.authority")
public record AuthorityProperties(@DefaultValue("72h") Duration receiptDeadline,
    @DefaultValue("15m") Duration checkPeriod) {}
