package io.seedtrace.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seedtrace.dicom.spool.Spool;
import io.seedtrace.dicom.testing.Peers;
import java.io.IOException;
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
 * from storescu must be accepted by our node from the same storescu, in the node's default
 * configuration (every storage SOP class, compressed transfer syntaxes): MR, ultrasound, RT Dose,
 * SR, ECG and compressed instances included.
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
    NodeConfig defaults = NodeConfig.defaults(work.resolve("spool")).withPort(0)
        .withPeers(Set.of("DCMTK"), Set.of("127.0.0.1"));
    List<String> missed = new ArrayList<>();
    int acceptedByDcmtk = 0;
    try (DicomNode ours = DicomNode.start(defaults, e -> {})) {
      Spool spool = ours.spool();
      Peers.awaitListening(storescpPort, storescp, 20);
      for (Path f : files) {
        long before = count(storescpDir);
        List<String> asStored = proposingItsOwnSyntax(f);
        run(storescu("STORESCP", storescpPort, asStored, f));
        if (count(storescpDir) == before) {
          continue; // DCMTK refuses it too
        }
        acceptedByDcmtk++;
        int indexedBefore = spool.indexed().size();
        run(storescu("SEEDTRACE", ours.port(), asStored, f));
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
    assertThat(acceptedByDcmtk).as("storescp, each file proposed in its own syntax").isGreaterThanOrEqualTo(25);
    assertThat(missed).isEmpty();
  }

  private static List<String> storescu(String calledAe, int port, List<String> options, Path file) {
    List<String> command = new ArrayList<>(List.of("storescu", "-aet", "DCMTK", "-aec", calledAe));
    command.addAll(options);
    command.addAll(List.of("127.0.0.1", Integer.toString(port), file.toString()));
    return command;
  }

  /**
   * storescu proposes uncompressed syntaxes only unless told otherwise, and cannot decompress: a
   * profile proposing the file's own SOP class and transfer syntax sends it as a PACS holding it
   * would. Files we cannot read get storescu's defaults.
   */
  private List<String> proposingItsOwnSyntax(Path file) throws IOException {
    io.seedtrace.dicom.data.Part10.DicomFile dicom;
    try {
      dicom = io.seedtrace.dicom.data.Part10.read(Files.readAllBytes(file));
    } catch (io.seedtrace.dicom.data.DicomFormatException | RuntimeException unreadable) {
      return List.of();
    }
    String sopClass = dicom.meta().getString(io.seedtrace.dicom.data.Tag.MediaStorageSOPClassUID, "");
    if (sopClass.isEmpty()) {
      return List.of();
    }
    Path cfg = work.resolve(file.getFileName() + ".cfg");
    Files.writeString(cfg, String.join("\n", "[[TransferSyntaxes]]", "[Own]",
        "TransferSyntax1 = " + dicom.transferSyntax().uid(), "", "[[PresentationContexts]]", "[OwnContext]",
        "PresentationContext1 = " + sopClass + "\\Own", "", "[[Profiles]]", "[AsStored]",
        "PresentationContexts = OwnContext", ""));
    return List.of("-xf", cfg.toString(), "AsStored");
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
