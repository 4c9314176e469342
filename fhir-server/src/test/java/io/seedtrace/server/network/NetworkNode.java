package io.seedtrace.server.network;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.seedtrace.server.SeedTraceApplication;
import io.seedtrace.server.support.BearerFhirClient;
import io.seedtrace.server.support.Http;
import io.seedtrace.server.support.Tokens;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One organisation's SeedTrace node in a network test: a whole application on its own HTTP port,
 * with its own data directory (H2 database, keys), that can be stopped and started again on the
 * same port and data, as an organisation's server goes down and comes back.
 */
final class NetworkNode {

  final String organizationId;
  final NodeRole role;
  final int port;
  final Path dataDir;
  private final List<String> peerArgs = new ArrayList<>();
  private ConfigurableApplicationContext context;

  NetworkNode(String organizationId, NodeRole role, Path dataDir) throws IOException {
    this.organizationId = organizationId;
    this.role = role;
    this.dataDir = dataDir;
    try (ServerSocket free = new ServerSocket(0)) {
      this.port = free.getLocalPort();
    }
  }

  String base() {
    return "http://127.0.0.1:" + port;
  }

  /** Trusts {@code peer} (before {@link #start()}). */
  NetworkNode trusts(NetworkNode peer) {
    return trusts(peer.organizationId, peer.role, peer.base(), false);
  }

  NetworkNode trusts(String id, NodeRole peerRole, String baseUrl, boolean revoked) {
    String prefix = "--seedtrace.node.peers[" + id + "].";
    peerArgs.addAll(List.of(prefix + "role=" + peerRole.configName(), prefix + "name=" + id,
        prefix + "base-url=" + baseUrl, prefix + "revoked=" + revoked));
    return this;
  }

  /** Adds a setting of this node (before {@link #start()}), e.g. {@code --seedtrace.authority.check-period=1s}. */
  NetworkNode with(String arg) {
    peerArgs.add(arg);
    return this;
  }

  NetworkNode start() {
    List<String> args = new ArrayList<>(List.of("--server.port=" + port, "--seedtrace.data-dir=" + dataDir,
        "--seedtrace.dicom.port=0", "--spring.jmx.enabled=false", "--camel.main.jmx-enabled=false",
        "--camel.main.name=seedtrace-" + organizationId, "--seedtrace.audit.phi-access.node-name=" + organizationId,
        "--seedtrace.node.role=" + role.configName(), "--seedtrace.node.organization.id=" + organizationId,
        "--seedtrace.node.organization.name=Organisation " + organizationId, "--seedtrace.node.public-url=" + base(),
        "--seedtrace.node.delivery.poll-period=200ms", "--seedtrace.node.delivery.initial-backoff=200ms",
        "--seedtrace.node.delivery.max-backoff=1s", "--seedtrace.node.delivery.timeout=5s"));
    args.addAll(peerArgs);
    context = new SpringApplicationBuilder(SeedTraceApplication.class).run(args.toArray(String[]::new));
    return this;
  }

  void stop() {
    if (context != null) {
      context.close();
      context = null;
    }
  }

  <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  JdbcTemplate jdbc() {
    return new JdbcTemplate(bean(DataSource.class));
  }

  Http http() {
    return new Http(base());
  }

  String token(String role) {
    return new Tokens(base()).forRole(role);
  }

  IGenericClient fhir(String role) {
    return BearerFhirClient.of(base(), token(role));
  }
}
