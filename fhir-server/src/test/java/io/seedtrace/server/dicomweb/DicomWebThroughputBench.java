package io.seedtrace.server.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.detection.phantom.Phantom;
import io.seedtrace.detection.phantom.PhantomGenerator;
import io.seedtrace.detection.phantom.PhantomSpec;
import io.seedtrace.server.dicom.DicomNodeService;
import io.seedtrace.server.support.CtSeries;
import io.seedtrace.server.support.DicomWebClient;
import io.seedtrace.server.support.ServerTestBase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * STOW-RS against C-STORE on the same CT series (100 slices of 512 x 512, 52 MB), in the same run
 * and the same server: our StoreScu over one association, and one STOW-RS request of the same files
 * (Java's HTTP client, HTTP/1.1, bearer token of role pacs; then curl posting the body from a file);
 * three runs each, alternating which goes
 * first, each run a new series (new UIDs, same pixels) of an unknown patient so no detection runs
 * meanwhile; each transfer starts with the spool reserve full (it is refilled in the background
 * after a burst, which would otherwise slow whichever comes second). Prints instances per second.
 * Run: README "Benchmarks".
 */
class DicomWebThroughputBench extends ServerTestBase {

  private static final int SLICES = 100;

  @Autowired
  DicomNodeService dicom;

  @Test
  void stowRsAgainstCStoreOnTheSameSeries() throws Exception {
    Phantom p = PhantomGenerator.generate(new PhantomSpec(PhantomSpec.Anatomy.PROSTATE, 512, 512, SLICES, 0.5, 1.0, 20,
        0, 0, 0, true, true, 15, 77));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String token = tokens().forRole("pacs");
    List<Double> cstore = new ArrayList<>();
    List<Double> stow = new ArrayList<>();
    List<Double> stowCurl = new ArrayList<>();
    java.nio.file.Path bodyFile = java.nio.file.Files.createTempFile("stow-bench", ".body");
    for (int run = 0; run < 4; run++) {
      List<byte[]> viaDimse = new CtSeries("BENCH-" + System.nanoTime(), "BENCH", "20261201").files(p.scan());
      byte[] viaWeb = DicomWebClient.body(new CtSeries("BENCH-" + System.nanoTime(), "BENCH", "20261201").files(p.scan()));
      java.nio.file.Files.write(bodyFile, DicomWebClient.body(new CtSeries("BENCH-" + System.nanoTime(), "BENCH",
          "20261201").files(p.scan())));
      double dimse = 0;
      double web = 0;
      double curl = 0;
      for (int order = 0; order < 3; order++) {
        // both start with the spool reserve full again (it is refilled while nothing arrives)
        int reserve = dicom.config().reservedFiles();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(5))
            .until(() -> dicom.spoolReserveReady() >= reserve);
        int reserveFull = dicom.config().reservedFiles();
        if (order == 2) {
          org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(5))
              .until(() -> dicom.spoolReserveReady() >= reserveFull);
          long t0 = System.nanoTime();
          Process c = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Expect:",
              "-H", "Authorization: Bearer " + token, "-H", "Content-Type: " + DicomWebClient.STOW_TYPE,
              "--data-binary", "@" + bodyFile, baseUrl() + "/dicomweb/studies").start();
          String code = new String(c.getInputStream().readAllBytes()).trim();
          c.waitFor();
          curl = SLICES / ((System.nanoTime() - t0) / 1e9);
          assertThat(code).isEqualTo("200");
        } else if ((order == 0) == (run % 2 == 0)) {
          long t0 = System.nanoTime();
          long end = CtSeries.send(dicom.port(), viaDimse);
          dimse = SLICES / ((end - t0) / 1e9);
        } else {
          long t0 = System.nanoTime();
          HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/dicomweb/studies"))
              .header("Authorization", "Bearer " + token).header("Content-Type", DicomWebClient.STOW_TYPE)
              .POST(HttpRequest.BodyPublishers.ofByteArray(viaWeb)).build(), HttpResponse.BodyHandlers.ofString());
          web = SLICES / ((System.nanoTime() - t0) / 1e9);
          assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
      }
      System.out.printf("BENCH dicomweb run %d: C-STORE %.0f instances/s, STOW-RS %.0f instances/s (Java client),"
          + " %.0f (curl)%n", run, dimse, web, curl);
      if (run > 0) { // the first run warms up both paths
        cstore.add(dimse);
        stow.add(web);
        stowCurl.add(curl);
      }
    }
    java.nio.file.Files.deleteIfExists(bodyFile);
    System.out.printf("BENCH dicomweb 512x512 CT, %d instances (52 MB) per run, 3 runs: C-STORE median %.0f"
        + " instances/s (min %.0f, max %.0f); STOW-RS median %.0f (min %.0f, max %.0f) with Java's client,"
        + " %.0f (min %.0f, max %.0f) with curl%n", SLICES, median(cstore), min(cstore), max(cstore), median(stow),
        min(stow), max(stow), median(stowCurl), min(stowCurl), max(stowCurl));
  }

  private static double median(List<Double> v) {
    return v.stream().sorted().toList().get(v.size() / 2);
  }

  private static double min(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
  }

  private static double max(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
  }
}
