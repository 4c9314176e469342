package io.seedtrace.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar itself, run as a user runs it ({@code java -jar target/seedtrace.jar ...}): its
 * help lists the commands and exits 0 without starting the server, a command's help exits 0, and
 * an unknown option is refused with a message and exit 2.
 */
class JarCommandLineIT {

  private static final Path JAR = Path.of("target", "seedtrace.jar");

  private record Run(int exit, String out, String err) {}

  private static Run java(String... args) throws IOException, InterruptedException {
    assumeTrue(Files.isRegularFile(JAR), "the jar is made by mvn package: " + JAR.toAbsolutePath());
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("seedtrace-cli", ".out");
    Path err = Files.createTempFile("seedtrace-cli", ".err");
    Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", args) + " still running after 120 s (did it start the server?)");
    }
    return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void theJarsHelpListsItsCommandsAndExitsZero() throws Exception {
    Run help = java("--help");
    assertThat(help.exit()).as(help.err()).isZero();
    assertThat(help.out()).contains("detect", "chip", "demo", "--server.port");
  }

  @Test
  void aCommandsHelpExitsZero() throws Exception {
    Run help = java("chip", "encode", "--help");
    assertThat(help.exit()).as(help.err()).isZero();
    assertThat(help.out()).contains("usage: seedtrace chip", "--total-mbq");
  }

  @Test
  void anUnknownOptionIsRefusedWithAMessage() throws Exception {
    Run refused = java("chip", "keygen", "--outt", "x");
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err()).contains("unknown option --outt");
  }
}
