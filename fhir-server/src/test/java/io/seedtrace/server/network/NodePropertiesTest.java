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
}
