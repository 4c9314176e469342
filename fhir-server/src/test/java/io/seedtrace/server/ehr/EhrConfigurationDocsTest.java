package io.seedtrace.server.ehr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * An operator configures the EHR connection from the README's configuration table alone: every
 * {@code seedtrace.ehr.*} property and every authentication mode the server accepts is in it, and a
 * mode it does not know stops the start instead of sending results unauthenticated.
 */
class EhrConfigurationDocsTest {

  private static final Path README = Path.of("..", "README.md");

  @Test
  void theReadmeTableNamesEveryEhrProperty() throws IOException {
    String rows = ehrRows();
    List<String> missing = Arrays.stream(EhrProperties.class.getRecordComponents())
        .map(c -> kebab(c.getName()))
        .filter(name -> !rows.contains("`" + name + "`") && !rows.contains("`seedtrace.ehr." + name + "`"))
        .toList();
    assertThat(missing).as("seedtrace.ehr.* properties missing from README.md").isEmpty();
  }

  @Test
  void theReadmeTableNamesEveryAuthenticationMode() throws IOException {
    String authRow = ehrRows().lines().filter(l -> l.startsWith("| `seedtrace.ehr.auth`")).findFirst().orElseThrow();
    assertThat(EhrProperties.AUTH_MODES).allSatisfy(mode -> assertThat(authRow).contains("`" + mode + "`"));
  }

  @Test
  void anUnknownAuthenticationModeIsRefusedWithTheAcceptedOnes() {
    assertThatThrownBy(() -> new EhrProperties("http://ehr.example/fhir", "smart", "", "", "", "", "", "", "", 20,
        Duration.ofSeconds(2), Duration.ofMinutes(15), Duration.ofMillis(500), Duration.ofSeconds(10),
        Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("smart-backend").hasMessageContaining("'smart'");
  }

  private static String ehrRows() throws IOException {
    return Files.readAllLines(README).stream().filter(l -> l.startsWith("| `seedtrace.ehr."))
        .collect(Collectors.joining("\n"));
  }

  private static String kebab(String camel) {
    return camel.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }
}
