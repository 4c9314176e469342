package io.seedtrace.dicom.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs independent command-line peers (DCMTK, OpenJPEG) for tests. */
public final class Tools {

  private Tools() {}

  public static boolean installed(String tool) {
    return Files.isExecutable(Path.of("/usr/bin", tool));
  }

  /**
   * Runs a command to its end (at most 120 s) and returns its exit code; its output goes to
   * {@code log}.
   */
  public static int run(List<String> command, Path log) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + command);
    }
    return p.exitValue();
  }

  /** Like {@link #run} but fails unless the exit code is 0. */
  public static void check(List<String> command, Path log) throws IOException, InterruptedException {
    int rc = run(command, log);
    if (rc != 0) {
      throw new IOException(command + " exited with " + rc + ":\n" + Files.readString(log));
    }
  }
}
