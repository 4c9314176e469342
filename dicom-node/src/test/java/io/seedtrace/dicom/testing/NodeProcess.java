package io.seedtrace.dicom.testing;

import io.seedtrace.dicom.DicomNode;
import io.seedtrace.dicom.NodeConfig;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Set;

/**
 * A DICOM node in its own process, for crash tests: {@code NodeProcess <spool> <portFile> <eventsFile>}.
 * Writes its port to portFile when ready (its spool reserve written) and appends one fsync'd line per delivered
 * series event: series UID, instance count, "complete" or "incomplete". Incomplete series wait 1 s.
 */
public final class NodeProcess {

  public static void main(String[] args) throws Exception {
    Path spool = Path.of(args[0]);
    Path portFile = Path.of(args[1]);
    Path events = Path.of(args[2]);
    NodeConfig config = NodeConfig.defaults(spool).withPort(0).withPeers(Set.of("PACS"), Set.of("127.0.0.1"))
        .withQuietTime(Duration.ofMillis(500)).withIncompleteGrace(Duration.ofSeconds(1));
    DicomNode node = DicomNode.start(config, e -> {
      try (FileChannel ch = FileChannel.open(events, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
          StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap((e.seriesUid() + "\t" + e.instanceCount() + "\t"
            + (e.completeness().complete() ? "complete" : "incomplete") + "\n").getBytes(StandardCharsets.US_ASCII)));
        ch.force(true);
      }
    });
    // the first start writes its reserve ahead: let it finish so the instances go through it
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (node.spool().reserveReady() < config.reservedFiles() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
    Files.writeString(tmp, Integer.toString(node.port()));
    Files.move(tmp, portFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    Thread.currentThread().join();
  }
}
