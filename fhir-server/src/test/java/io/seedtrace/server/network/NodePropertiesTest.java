package io.seedtrace.server.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class NodePropertiesTest {

  static NodeProperties bind(Map<String, String> values) {
    return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("seedtrace.node", NodeProperties.class);
  }

  @Test
  void peersAreKeyedByOrganisationIdAsWrittenInBrackets() {
    NodeProperties node = bind(Map.of("seedtrace.node.role", "manufacturer",
        "seedtrace.node.organization.id", "MFR-001",
        "seedtrace.node.peers[HOSP-001].role", "hospital",
        "seedtrace.node.peers[HOSP-001].base-url", "https://hospital.example/"));
    assertThat(node.role()).isEqualTo(NodeRole.MANUFACTURER);
    assertThat(node.peers()).containsOnlyKeys("HOSP-001");
    NodeProperties.Peer peer = node.peers().get("HOSP-001");
    assertThat(peer.messagesUrl()).isEqualTo("https://hospital.example/network/$process-message");
    assertThat(peer.keysUrl()).isEqualTo("https://hospital.example/.well-known/jwks.json");
    assertThat(peer.revoked()).isFalse();
  }

  @Test
  void peersWrittenAsInYamlOrSpringApplicationJsonKeepTheirKeys() {
    // YAML "[HOSP-001]": and SPRING_APPLICATION_JSON flatten to this form (docker-compose.yml)
    NodeProperties node = bind(Map.of("seedtrace.node.peers.[HOSP-001].role", "hospital",
        "seedtrace.node.peers.[HOSP-001].base-url", "http://hospital-1:8080"));
    assertThat(node.peers()).containsOnlyKeys("HOSP-001");
  }

  @Test
  void aNodeWithoutSettingsIsAStandAloneHospital() {
    NodeProperties node = bind(Map.of());
    assertThat(node.role()).isEqualTo(NodeRole.HOSPITAL);
    assertThat(node.peers()).isEmpty();
    assertThat(node.delivery().giveUpAfter()).isEqualTo(Duration.ofDays(7));
    assertThat(node.sourceEndpoint()).isEqualTo("urn:seedtrace:node:SEEDTRACE-HOSPITAL");
  }

  @Test
  void aPeerWithoutBaseUrlIsRefusedAtStart() {
    assertThatThrownBy(() -> bind(Map.of("seedtrace.node.peers[MFR-9].role", "manufacturer")))
        .hasStackTraceContaining("seedtrace.node.peers.MFR-9: role and base-url are required");
  }

  @Test
  void theAuthorityBindsItsDeadlinesAndLicencesAndDefaultsTo72HoursAnd30Days() {
    AuthorityProperties none = new Binder(new MapConfigurationPropertySource(Map.of()))
        .bindOrCreate("seedtrace.authority", AuthorityProperties.class);
    assertThat(none.receiptDeadline()).isEqualTo(Duration.ofHours(72));
    assertThat(none.returnDeadline()).isEqualTo(Duration.ofDays(30));
    assertThat(none.licences()).isEmpty();
    AuthorityProperties set = new Binder(new MapConfigurationPropertySource(Map.of(
        "seedtrace.authority.return-deadline", "45d",
        "seedtrace.authority.licences[HOSP-001].number", "RAM-7",
        "seedtrace.authority.licences[HOSP-001].valid-until", "2027-06-30",
        "seedtrace.authority.licences[HOSP-001].max-seeds-per-order", "80")))
        .bindOrCreate("seedtrace.authority", AuthorityProperties.class);
    assertThat(set.returnDeadline()).isEqualTo(Duration.ofDays(45));
    assertThat(set.licences()).containsEntry("HOSP-001", new AuthorityProperties.Licence("RAM-7",
        java.time.LocalDate.parse("2027-06-30"), 80));
  }
}
