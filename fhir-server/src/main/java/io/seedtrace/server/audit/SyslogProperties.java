package io.seedtrace.server.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Forwarding of audit records to a syslog collector ({@code seedtrace.audit.syslog.*}): RFC 5424
 * messages over TLS (RFC 5425), as the IHE ATNA Record Audit Event transaction [ITI-20] sends them.
 * Off while {@code host} is empty.
 *
 * @param host the collector (audit record repository); empty: no forwarding
 * @param port its TLS syslog port (6514 by RFC 5425)
 * @param keystore PKCS#12 with this node's certificate and key (ATNA node authentication: mutual TLS)
 * @param keystorePassword its password
 * @param truststore PKCS#12 with the collector's certificate or its CA; empty: the JVM's default trust
 * @param truststorePassword its password
 * @param appName the messages' APP-NAME
 * @param timeout connecting to and writing to the collector
 * @param queueCapacity records waiting to be forwarded; when full, further ones are dropped (counted)
 */
@ConfigurationProperties("seedtrace.audit.syslog")
public record SyslogProperties(
    @DefaultValue("") String host,
    @DefaultValue("6514") int port,
    @DefaultValue("") String keystore,
    @DefaultValue("") String keystorePassword,
    @DefaultValue("") String truststore,
    @DefaultValue("") String truststorePassword,
    @DefaultValue("seedtrace") String appName,
    @DefaultValue("10s") Duration timeout,
    @DefaultValue("10000") int queueCapacity) {}
