package io.seedtrace.server.fhir;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the FHIR endpoint, under {@code seedtrace.fhir}.
 *
 * @param serverAddress the public base URL written into links and {@code Location} headers; empty
 *     means: from a trusted proxy's forwarded headers, else the local address the request came in
 *     on (never the request's {@code Host} header, see {@link PublicBaseAddress})
 * @param defaultPageSize search page size when the client does not ask with {@code _count}
 * @param maxPageSize largest {@code _count} honoured
 * @param hibernateDialect the HAPI dialect class for the configured database
 */
@ConfigurationProperties("seedtrace.fhir")
public record FhirProperties(
    @DefaultValue("") String serverAddress,
    @DefaultValue("20") int defaultPageSize,
    @DefaultValue("200") int maxPageSize,
    @DefaultValue("ca.uhn.fhir.jpa.model.dialect.HapiFhirH2Dialect") String hibernateDialect) {

  public FhirProperties {
    if (defaultPageSize < 1 || maxPageSize < defaultPageSize) {
      throw new IllegalArgumentException(
          "seedtrace.fhir: need 1 <= default-page-size <= max-page-size, got "
              + defaultPageSize + " and " + maxPageSize);
    }
  }
}
