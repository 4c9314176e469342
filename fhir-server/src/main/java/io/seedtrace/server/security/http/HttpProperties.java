package io.seedtrace.server.security.http;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * HTTP limits under {@code seedtrace.http}.
 *
 * @param maxRequestBody the largest request body accepted (FHIR resources, bundles, token requests);
 *     a larger one gets 413 with an OperationOutcome
 */
@ConfigurationProperties("seedtrace.http")
public record HttpProperties(@DefaultValue("10MB") DataSize maxRequestBody) {}
