package io.seedtrace.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The audit writer's thread really runs at nice 19 on Linux, and only that thread. */
class LowPriorityTest {

  @Test
  void lowersTheCallingThreadOnlyToNice19() throws Exception {
    assumeTrue(Files.exists(Path.of("/proc/thread-self")), "not Linux");
    int before = niceOfThisThread();
    int lowered = CompletableFuture.supplyAsync(() -> {
      assertThat(LowPriority.lowerThisThread()).isTrue();
      return niceOfThisThread();
    }, r -> new Thread(r).start()).get();
    assertThat(lowered).isEqualTo(19);
    assertThat(niceOfThisThread()).as("the caller's thread is untouched").isEqualTo(before);
  }

  /** Field 19 of /proc/thread-self/stat (after the command name in parentheses, field 17 of the rest). */
  static int niceOfThisThread() {
    try {
      String stat = Files.readString(Path.of("/proc/thread-self/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Integer.parseInt(fields[16]);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
