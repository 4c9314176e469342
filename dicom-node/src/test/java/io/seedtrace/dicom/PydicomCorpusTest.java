package io.seedtrace.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seedtrace.dicom.net.AssociationPolicy;
import io.seedtrace.dicom.net.DicomServer;
import io.seedtrace.dicom.spool.Spool;
import io.seedtrace.dicom.testing.Peers;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file of pydicom's test set (Debian package python3-pydicom) that DCMTK's storescp accepts
 * from storescu must be accepted by our SCP from the same storescu, with SOP class and transfer
 * syntax restrictions lifted so that only the codec and protocol are compared.
 */
class PydicomCorpusTest {

  private static final Path CORPUS = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

  @TempDir
  Path work;

  @Test
  void acceptsEveryCorpusFileThatStorescpAccepts() throws Exception {
    assumeTrue(Files.isDirectory(CORPUS), "python3-pydicom is not installed; corpus test skipped");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/storescu")), "DCMTK is not installed; corpus test skipped");
    List<Path> files;
    try (Stream<Path> s = Files.list(CORPUS)) {
      files = s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
    }
    int storescpPort = Peers.freePort();
    Path storescpDir = Files.createDirectories(work.resolve("storescp"));
    Process storescp = process(List.of("storescp", "+xa", "-aet", "STORESCP", "-od", storescpDir.toString(),
        "-uf", Integer.toString(storescpPort)));
    Spool spool = new Spool(work.resolve("spool"), r -> {});
    AssociationPolicy open = new AssociationPolicy("SEEDTRACE", Set.of("*"), Set.of("*"), Set.of("*"),
        List.of("1.2.840.10008.1.2.1", "1.2.840.10008.1.2", "*"), 1 << 20);
    List<String> missed = new ArrayList<>();
    int acceptedByDcmtk = 0;
    try (DicomServer ours = DicomServer.start(InetAddress.getLoopbackAddress(), 0, open, spool, 4, 10_000, 60_000)) {
      Peers.awaitListening(storescpPort, storescp, 20);
      for (Path f : files) {
        long before = count(storescpDir);
        run(List.of("storescu", "-aet", "DCMTK", "-aec", "STORESCP", "127.0.0.1", Integer.toString(storescpPort), f.toString()));
        if (count(storescpDir) == before) {
          continue; // DCMTK refuses it too
        }
        acceptedByDcmtk++;
        int indexedBefore = spool.indexed().size();
        run(List.of("storescu", "-aet", "DCMTK", "-aec", "SEEDTRACE", "127.0.0.1", Integer.toString(ours.port()), f.toString()));
        if (spool.indexed().size() == indexedBefore) {
          missed.add(f.getFileName().toString());
        }
      }
    } finally {
      storescp.destroy();
      storescp.waitFor(10, TimeUnit.SECONDS);
    }
    System.out.println("pydicom corpus: " + files.size() + " files, storescp accepted " + acceptedByDcmtk
        + ", SeedTrace missed " + missed);
    assertThat(acceptedByDcmtk).isGreaterThan(10);
    assertThat(missed).isEmpty();
  }

  private static long count(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }

  private Process process(List<String> command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("tools.log").toFile()));
    pb.environment().put("TCP_NODELAY", "1");
    return pb.start();
  }

  private void run(List<String> command) throws Exception {
    Process p = process(command);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
  }


}
