package io.seedtrace.dicom.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * DCMTK's {@code dcmqrscp} as a PACS: its configuration is written at test time (one archive AE
 * {@code QRSCP}, one move destination), studies are loaded into it with {@code storescu}. It forks a
 * process per association: its single-process mode (-s) crashed after the first C-STORE (DCMTK 3.6.7).
 */
public final class Dcmqrscp implements QrPeer {

  public static final String AE = "QRSCP";

  private final Path dir;
  private final int port;
  private final Process process;

  /**
   * Starts it with a move destination {@code destinationAe} at 127.0.0.1:{@code destinationPort}.
   */
  public static Dcmqrscp start(Path dir, String destinationAe, int destinationPort) throws IOException {
    return new Dcmqrscp(dir, destinationAe, destinationPort);
  }

  public static boolean installed() {
    return Tools.installed("dcmqrscp") && Tools.installed("storescu");
  }

  private Dcmqrscp(Path dir, String destinationAe, int destinationPort) throws IOException {
    this.dir = dir;
    this.port = Peers.freePort();
    Path archive = Files.createDirectories(dir.resolve("archive"));
    Path cfg = dir.resolve("dcmqrscp.cfg");
    Files.writeString(cfg, "NetworkTCPPort = " + port + "\nMaxPDUSize = 16384\nMaxAssociations = 16\n"
        + "HostTable BEGIN\nseedtrace = (" + destinationAe + ", 127.0.0.1, " + destinationPort + ")\n"
        + "HostTable END\nVendorTable BEGIN\nVendorTable END\n"
        + "AETable BEGIN\n" + AE + " " + archive + " RW (200, 1024mb) ANY\nAETable END\n");
    process = new ProcessBuilder("dcmqrscp", "-d", "-c", cfg.toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("dcmqrscp.log").toFile()).start();
    Peers.awaitListening(port, process, 30);
  }

  @Override
  public String aeTitle() {
    return AE;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public void load(List<byte[]> files) throws IOException, InterruptedException {
    Path in = Files.createTempDirectory(dir, "load");
    List<String> command = new ArrayList<>(List.of("storescu", "-aet", "LOADER", "-aec", AE, "127.0.0.1",
        Integer.toString(port)));
    for (int i = 0; i < files.size(); i++) {
      Path f = in.resolve(i + ".dcm");
      Files.write(f, files.get(i));
      command.add(f.toString());
    }
    Tools.check(command, dir.resolve("storescu.log"));
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
