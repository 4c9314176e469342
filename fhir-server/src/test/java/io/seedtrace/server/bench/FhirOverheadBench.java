package io.seedtrace.server.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.bench.BareHapiServer;
import io.seedtrace.server.support.TestDatabases;
import io.seedtrace.server.support.Tokens;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * SeedTrace against a bare HAPI FHIR JPA server ({@link BareHapiServer}: same HAPI, no interceptors,
 * no security) in one run (issue 14 item 5): both started at the same moment in JVMs of their own
 * with the same {@code -Xmx}; start-up to the first 200 on {@code /fhir/metadata} and RSS right
 * then; after a warm-up, {@value #ROUNDS} rounds of {@value #CREATES} Device creates,
 * {@value #READS} reads by id and {@value #SEARCHES} identifier searches, the two servers taking
 * turns in each phase (who goes first alternating by round), one keep-alive client each, SeedTrace
 * with a real bearer token from its embedded issuer. On the default H2 file database and on
 * PostgreSQL (embedded binaries, a database per server). Prints {@code BENCH} lines: each server's
 * median and range, and SeedTrace's rate as a fraction of bare HAPI's per round (median and range).
 *
 * <p>Run: {@code ./mvnw -o -pl fhir-server -am -Pbench verify -Dit.test=FhirOverheadBench -Dtest=None
 * -Dsurefire.failIfNoSpecifiedTests=false}; {@code -Dbench.xmx=1g} sets both heaps,
 * {@code -Dbench.seedtrace.jvm="-XX:StartFlightRecording=filename=/tmp/st.jfr"} adds options to
 * SeedTrace's JVM only (to profile it), {@code -Dbench.role=admin} calls SeedTrace as the admin
 * instead of a nurse.
 */
class FhirOverheadBench {

  static final int ROUNDS = 3;
  static final int CREATES = 200;
  static final int READS = 200;
  static final int SEARCHES = 50;
  static final Duration START_TIMEOUT = Duration.ofMinutes(20);
  /** SeedTrace's caller: a nurse (the access rules apply), or {@code admin} (bypasses them). */
  static final String ROLE = System.getProperty("bench.role", "nurse");

  enum Phase { CREATES, READS, SEARCHES }

  @Test
  void onH2() throws Exception {
    Path seedTraceData = Files.createTempDirectory("bench-seedtrace");
    Path bareData = Files.createTempDirectory("bench-bare");
    compare("H2", List.of(), List.of("--spring.datasource.url=jdbc:h2:file:" + bareData.resolve("h2").resolve("bare")
        + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0", "--spring.datasource.username=sa"), seedTraceData);
  }

  @Test
  void onPostgres() throws Exception {
    try (EmbeddedPostgres postgres = TestDatabases.startPostgres()) {
      JdbcTemplate admin = new JdbcTemplate(postgres.getPostgresDatabase());
      admin.execute("CREATE DATABASE seedtrace");
      admin.execute("CREATE DATABASE bare");
      compare("PostgreSQL",
          List.of("--spring.profiles.active=postgres", "--spring.datasource.url=" + postgres.getJdbcUrl("postgres",
              "seedtrace"), "--spring.datasource.username=postgres", "--spring.datasource.password=postgres"),
          List.of("--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "bare"),
              "--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
              "--bare.hibernate-dialect=ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect"),
          Files.createTempDirectory("bench-seedtrace"));
    }
  }

  void compare(String database, List<String> seedTraceArgs, List<String> bareArgs, Path seedTraceData)
      throws Exception {
    List<String> heap = List.of("-Xmx" + System.getProperty("bench.xmx", "1g"));
    List<String> seedTraceJvm = new ArrayList<>(heap);
    String extra = System.getProperty("bench.seedtrace.jvm", "");
    if (!extra.isBlank()) {
      seedTraceJvm.addAll(Arrays.asList(extra.trim().split("\\s+")));
    }
    List<String> seedTrace = new ArrayList<>(
        List.of("--seedtrace.data-dir=" + seedTraceData, "--seedtrace.dicom.port=0"));
    seedTrace.addAll(seedTraceArgs);
    try (ServerProcess st = ServerProcess.start("seedtrace", seedTraceJvm, "io.seedtrace.server.SeedTraceApplication",
            freePort(), seedTrace, false);
        ServerProcess bare = ServerProcess.start("bare-hapi", heap, BareHapiServer.class.getName(), freePort(),
            bareArgs, true)) {
      ServerProcess.awaitBoth(st, bare, START_TIMEOUT);
      printStart(database, st, bare);
      System.out.printf("BENCH FHIR overhead %s: SeedTrace called with the token of a %s client; -Xmx of both: %s%n",
          database, ROLE,
          heap.get(0).substring(4));
      FhirLoad seedTraceLoad = new FhirLoad(st.base(), new Tokens(st.base()).forRole(ROLE));
      FhirLoad bareLoad = new FhirLoad(bare.base(), null);
      Map<Phase, List<Double>> stRates = new EnumMap<>(Phase.class);
      Map<Phase, List<Double>> bareRates = new EnumMap<>(Phase.class);
      round(seedTraceLoad, bareLoad, "warm", true, new EnumMap<>(Phase.class), new EnumMap<>(Phase.class));
      for (int r = 0; r < ROUNDS; r++) {
        round(seedTraceLoad, bareLoad, "r" + r, r % 2 == 0, stRates, bareRates);
      }
      for (Phase phase : Phase.values()) {
        printPhase(database, phase, stRates.get(phase), bareRates.get(phase));
      }
      System.out.printf("BENCH FHIR overhead %s: RSS after the rounds: SeedTrace %d MB, bare HAPI %d MB%n",
          database, st.rssMb(), bare.rssMb());
      assertThat(stRates.get(Phase.READS)).hasSize(ROUNDS).allSatisfy(rate -> assertThat(rate).isPositive());
    }
  }

  /** One round: each phase on both servers in turn, {@code seedTraceFirst} choosing who goes first. */
  static void round(FhirLoad st, FhirLoad bare, String round, boolean seedTraceFirst,
      Map<Phase, List<Double>> stRates, Map<Phase, List<Double>> bareRates) throws Exception {
    List<String> serials = IntStream.range(0, CREATES)
        .mapToObj(i -> round + "-" + i + "-" + System.nanoTime()).toList();
    List<FhirLoad> order = seedTraceFirst ? List.of(st, bare) : List.of(bare, st);
    Map<FhirLoad, List<String>> ids = new java.util.HashMap<>();
    for (FhirLoad load : order) {
      FhirLoad.Batch created = load.create(serials);
      ids.put(load, created.ids());
      (load == st ? stRates : bareRates).computeIfAbsent(Phase.CREATES, k -> new ArrayList<>())
          .add(created.perSecond());
    }
    for (FhirLoad load : order) {
      double rate = load.read(ids.get(load).subList(0, READS)).perSecond();
      (load == st ? stRates : bareRates).computeIfAbsent(Phase.READS, k -> new ArrayList<>()).add(rate);
    }
    for (FhirLoad load : order) {
      double rate = load.search(serials.subList(0, SEARCHES)).perSecond();
      (load == st ? stRates : bareRates).computeIfAbsent(Phase.SEARCHES, k -> new ArrayList<>()).add(rate);
    }
  }

  static void printStart(String database, ServerProcess st, ServerProcess bare) {
    double startRatio = st.startSeconds() / bare.startSeconds();
    double rssRatio = (double) st.startRssMb() / bare.startRssMb();
    System.out.printf("BENCH FHIR overhead %s: start-up to the first /fhir/metadata: SeedTrace %.1f s, bare HAPI"
        + " %.1f s: %.2fx (target <= 1.2x: %s); RSS then: SeedTrace %d MB, bare HAPI %d MB: %.2fx"
        + " (target <= 1.3x: %s)%n",
        database, st.startSeconds(), bare.startSeconds(), startRatio, startRatio <= 1.2 ? "met" : "NOT met",
        st.startRssMb(), bare.startRssMb(), rssRatio, rssRatio <= 1.3 ? "met" : "NOT met");
  }

  static void printPhase(String database, Phase phase, List<Double> st, List<Double> bare) {
    List<Double> ratios = IntStream.range(0, st.size()).mapToObj(i -> st.get(i) / bare.get(i)).toList();
    double target = phase == Phase.CREATES ? 0.7 : 0.9;
    String what = phase.name().toLowerCase();
    System.out.printf("BENCH FHIR overhead %s %s: SeedTrace %s, bare HAPI %s %s/s; SeedTrace/bare per round:"
        + " median %.2fx (%.2f-%.2f; target >= %.1fx: %s)%n", database, what, range(st, "%.0f"),
        range(bare, "%.0f"), what,
        median(ratios), Collections.min(ratios), Collections.max(ratios), target,
        median(ratios) >= target ? "met" : "NOT met");
  }

  static String range(List<Double> values, String format) {
    return String.format("median " + format + " (" + format + "-" + format + ")", median(values),
        Collections.min(values), Collections.max(values));
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
