package io.seedtrace.server.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Lowers the calling thread to the lowest CPU priority (nice 19) on Linux, where a thread is a task
 * with its own id ({@code /proc/thread-self}) and {@code renice} can name it. Java's own thread
 * priorities are ignored by the JVM on Linux, hence the detour. Elsewhere nothing changes.
 */
final class LowPriority {

  private LowPriority() {}

  /** {@code true} when the thread now runs at nice 19. */
  static boolean lowerThisThread() {
    try {
      Path task = Files.readSymbolicLink(Path.of("/proc/thread-self"));
      String threadId = task.getFileName().toString();
      Process renice = new ProcessBuilder("renice", "-n", "19", "-p", threadId).redirectErrorStream(true).start();
      renice.getInputStream().readAllBytes();
      return renice.waitFor(10, TimeUnit.SECONDS) && renice.exitValue() == 0;
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
