package io.seedtrace.server.console;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the people's web console at {@code /}, under {@code seedtrace.console}.
 *
 * @param publicUrl the address people's browsers use to reach this server (scheme, host, port, no
 *     path), from which the sign-in redirect address is built and registered exactly; empty means
 *     {@code http://localhost:<port>}, right for the default loopback set-up
 * @param clientId the console's OpenID Connect client id at the issuer (the embedded one registers
 *     it itself; with {@code prod}, register this client at the hospital's identity provider)
 * @param pageSize rows per page of the lists
 * @param projectionMaxSeriesBytes the largest CT series (its files in the spool) the report page
 *     loads to draw its projections; a volume in memory is about as large
 */
@ConfigurationProperties("seedtrace.console")
public record ConsoleProperties(
    @DefaultValue("") String publicUrl,
    @DefaultValue("seedtrace-console") String clientId,
    @DefaultValue("25") int pageSize,
    @DefaultValue("400000000") long projectionMaxSeriesBytes) {

  public ConsoleProperties {
    if (pageSize < 1 || pageSize > 200) {
      throw new IllegalArgumentException("seedtrace.console.page-size must be 1..200, not " + pageSize);
    }
    if (clientId == null || clientId.isBlank()) {
      throw new IllegalArgumentException("seedtrace.console.client-id must not be empty");
    }
    if (projectionMaxSeriesBytes < 1) {
      throw new IllegalArgumentException("seedtrace.console.projection-max-series-bytes must be positive");
    }
    publicUrl = publicUrl == null ? "" : publicUrl.replaceAll("/+$", "");
  }
}
