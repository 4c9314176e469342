package io.seedtrace.server.verification;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.seedtrace.detection.phantom.Phantom;
import io.seedtrace.detection.phantom.PhantomGenerator;
import io.seedtrace.detection.phantom.PhantomSpec;
import io.seedtrace.server.SeedTraceApplication;
import io.seedtrace.server.custody.CustodyChainSteps;
import io.seedtrace.server.support.BearerFhirClient;
import io.seedtrace.server.support.CtSeries;
import io.seedtrace.server.support.PlanDocument;
import io.seedtrace.server.support.FakeEhr;
import io.seedtrace.server.support.Tokens;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Parameters;
import org.junit.jupiter.api.Test;

/**
 * The server is killed with SIGKILL while it verifies a study; after a restart on the same data
 * directory the study is verified exactly once: one report in SeedTrace, one at the EHR.
 */
class VerificationCrashIT {

  static final String TOKEN = "crash-ehr-token";

  /** The server in its own process. */
  static final class Server implements AutoCloseable {
    final Process process;
    final int httpPort;
    final int dicomPort;

    Server(Path dataDir, int httpPort, int dicomPort, String ehrUrl) throws IOException {
      this.httpPort = httpPort;
      this.dicomPort = dicomPort;
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx2g", "-Dseedtrace.data-dir=" + dataDir, "-cp", System.getProperty("java.class.path"),
          SeedTraceApplication.class.getName(),
          "--server.port=" + httpPort, "--seedtrace.data-dir=" + dataDir,
          "--seedtrace.dicom.port=" + dicomPort, "--seedtrace.dicom.allowed-calling-ae-titles=PACS",
          "--seedtrace.dicom.allowed-addresses=127.0.0.1", "--seedtrace.dicom.quiet-time=1s",
          "--seedtrace.ehr.base-url=" + ehrUrl, "--seedtrace.ehr.auth=bearer", "--seedtrace.ehr.bearer-token=" + TOKEN,
          "--seedtrace.ehr.initial-backoff=200ms", "--seedtrace.ehr.poll-period=100ms",
          "--spring.jmx.enabled=false", "--camel.main.jmx-enabled=false"));
      process = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(dataDir.resolve("server-" + System.nanoTime() + ".log").toFile()).start();
      // a build machine shared with other builds has been seen to need over 6 minutes to start
      long deadline = System.nanoTime() + 600_000_000_000L;
      while (!ready()) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          process.destroyForcibly(); // never leave a server behind
          throw new IllegalStateException("the server did not start");
        }
        pause(200);
      }
    }

    boolean ready() {
      try {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(base() + "/fhir/metadata")).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200;
      } catch (IOException | InterruptedException e) {
        return false;
      }
    }

    String base() {
      return "http://localhost:" + httpPort;
    }

    @Override
    public void close() throws InterruptedException {
      process.destroyForcibly(); // SIGKILL: no shutdown hook, no graceful stop
      process.waitFor();
    }
  }

  @Test
  void aStudyInterruptedByKillMinusNineIsVerifiedExactlyOnceAfterTheRestart() throws Exception {
    Path dataDir = Files.createTempDirectory("seedtrace-crash-");
    int http = freePort();
    int dicom = freePort();
    String today = LocalDate.now().format(DateTimeFormatter.BASIC_ISO_DATE);
    try (FakeEhr ehr = new FakeEhr(TOKEN)) {
      CtSeries series;
      boolean killedWhileRunning = false;
      try (Server first = new Server(dataDir, http, dicom, ehr.baseUrl())) {
        Map<String, IGenericClient> clients = new HashMap<>();
        Tokens tokens = new Tokens(first.base());
        CustodyChainSteps.Implant implant = new CustodyChainSteps(role -> clients.computeIfAbsent(role,
            r -> client(first.base(), tokens.forRole(r)))).implantAndSeal(20, 18, 0);
        Phantom p = PhantomGenerator.generate(new PhantomSpec(PhantomSpec.Anatomy.PROSTATE, 512, 512, 160, 0.5, 1.0,
            18, 0, 0, 0, true, true, 15, 21));
        CtSeries frame = new CtSeries("x", null, today);
        PlanDocument.attachCsv(client(first.base(), tokens.forRole("physicist")), implant.patientId(),
            implant.procedureId(), p.seeds().stream().map(Phantom.TruthSeed::centre).toList(), frame.frameOfReferenceUid);
        series = new CtSeries(implant.dicomPatientId(), implant.accession(), today, frame.frameOfReferenceUid);
        CtSeries.send(first.dicomPort, series.files(p.scan()));
        IGenericClient admin = client(first.base(), tokens.forRole("admin"));
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
          String status = status(admin, series.seriesUid);
          if (status.equals("RUNNING")) {
            killedWhileRunning = true;
            break;
          }
          if (!status.isEmpty()) {
            break; // finished before we saw it running
          }
          pause(20);
        }
      } // SIGKILL here
      assertThat(killedWhileRunning).as("the server was killed while the verification was running").isTrue();

      try (Server second = new Server(dataDir, http, dicom, ehr.baseUrl())) {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (ehr.created(DiagnosticReport.class).isEmpty() && System.nanoTime() < deadline) {
          pause(100);
        }
        IGenericClient admin = client(second.base(), new Tokens(second.base()).forRole("admin"));
        assertThat(ehr.created(DiagnosticReport.class)).as("one report at the EHR").hasSize(1);
        Bundle reports = admin.search().forResource(DiagnosticReport.class).returnBundle(Bundle.class).execute();
        assertThat(reports.getEntry()).as("one report in SeedTrace").hasSize(1);
        assertThat(((DiagnosticReport) reports.getEntryFirstRep().getResource()).getIdentifierFirstRep().getValue())
            .startsWith("VER-" + series.seriesUid);
        assertThat(status(admin, series.seriesUid)).isIn("DONE", "ALARM");
        pause(2000); // would a second delivery or verification follow? (the outbox polls every 100 ms)
        assertThat(ehr.created(DiagnosticReport.class)).hasSize(1);
      }
    }
  }

  static String status(IGenericClient admin, String seriesUid) {
    Parameters all = admin.operation().onServer().named("$verifications").withNoParameters(Parameters.class)
        .useHttpGet().execute();
    return all.getParameter().stream()
        .filter(p -> p.getPart().stream().anyMatch(x -> x.getName().equals("series")
            && x.getValue().primitiveValue().equals(seriesUid)))
        .flatMap(p -> p.getPart().stream().filter(x -> x.getName().equals("status")))
        .map(x -> x.getValue().primitiveValue()).findFirst().orElse("");
  }

  static IGenericClient client(String base, String token) {
    return BearerFhirClient.of(base, token);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
