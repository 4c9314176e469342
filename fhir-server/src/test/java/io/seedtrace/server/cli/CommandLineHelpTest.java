package io.seedtrace.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.server.SeedTraceApplication;
import org.junit.jupiter.api.Test;

/**
 * Every command of the jar answers {@code --help} with its usage and exit 0, and unknown commands or
 * options are refused with a message and exit 2, without starting the server.
 */
class CommandLineHelpTest {

  private static CliRun jar(String... args) {
    return CliRun.of(SeedTraceApplication::commandLine, args);
  }

  @Test
  void theJarsHelpListsTheCommandsAndTheServersOptions() {
    CliRun help = jar("--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("detect", "chip", "demo", "keys rekey", "--server.port", "--spring.profiles.active=prod");
    assertThat(jar("-h").exit()).isZero();
  }

  @Test
  void everyCommandAndSubcommandAnswersHelp() {
    for (String[] args : new String[][] {{"detect", "--help"}, {"chip", "--help"}, {"chip", "keygen", "--help"},
        {"chip", "encode", "--help"}, {"chip", "decode", "--help"}, {"demo", "--help"}, {"keys", "--help"},
        {"keys", "rekey", "--help"}}) {
      CliRun run = jar(args);
      assertThat(run.exit()).as(String.join(" ", args) + ": " + run.err()).isZero();
      assertThat(run.out()).as(String.join(" ", args)).contains("usage: seedtrace " + args[0]);
    }
    assertThat(jar("chip", "encode", "--help").out()).contains("--total-mbq", "--calibrated");
  }

  @Test
  void unknownCommandsAndOptionsAreRefusedWithAMessage() {
    CliRun unknown = jar("serve-please");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown command: serve-please");
    CliRun chipOption = jar("chip", "keygen", "--outt", "x");
    assertThat(chipOption.exit()).isEqualTo(2);
    assertThat(chipOption.err()).contains("unknown option --outt");
    CliRun demoOption = jar("demo", "--servr", "http://x");
    assertThat(demoOption.exit()).isEqualTo(2);
    assertThat(demoOption.err()).contains("unknown option: --servr");
    assertThat(jar("detect", "/tmp", "--jsn", "x").exit()).isEqualTo(2);
    CliRun keysOption = jar("keys", "rekey", "--database-ur", "jdbc:h2:mem:x");
    assertThat(keysOption.exit()).isEqualTo(2);
    assertThat(keysOption.err()).contains("unknown option: --database-ur");
  }

  @Test
  void settingsOnlyStartTheServer() {
    assertThat(jar().exit()).isEqualTo(-1);
    assertThat(jar("--server.port=9090").exit()).isEqualTo(-1);
  }
}
