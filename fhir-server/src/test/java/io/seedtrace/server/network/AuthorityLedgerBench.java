package io.seedtrace.server.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The authority's ledger at volume, on PostgreSQL (embedded binaries, {@code synchronous_commit=on}):
 * custody reports from 500 organisations (20 manufacturers, 480 hospitals), six per cartridge
 * (shipment report, four implant summaries, return receipt) in order per cartridge, fed by eight
 * threads through {@link NetworkInbox#recordAndApply} (the path of a received message once its
 * signature has been checked: the message recorded in the inbox with its body, its Parameters read
 * back into a count summary, the cartridge's row locked, the ledger merged and reconciled, all in
 * one transaction). One cartridge in a hundred loses a seed. Then
 * the ledger's queries at that volume. The signature check itself (parse, canonical form, RS256
 * verification) is measured apart, on one thread, because it needs no database.
 *
 * <p>Run: {@code ./mvnw -B -ntp -o -pl fhir-server -am -Pbench verify -Dit.test=AuthorityLedgerBench
 * -Dtest=None -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
 * [-Dbench.messages=1000000] [-Dbench.minutes=8] [-Dbench.threads=8]}: feeding stops at whichever comes first; the
 * figures printed as {@code BENCH ...} say how many messages were applied.
 */
class AuthorityLedgerBench {

  static final int MANUFACTURERS = 20;
  static final int HOSPITALS = 480;
  static final int PER_CARTRIDGE = 6;
  static final int THREADS = Integer.getInteger("bench.threads", 8);

  @Test
  void ingestReconciliationAndQueriesAtVolume() throws Exception {
    long wanted = Long.getLong("bench.messages", 1_000_000);
    Duration budget = Duration.ofMinutes(Long.getLong("bench.minutes", 8));
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on").start();
        HikariDataSource pool = new HikariDataSource()) {
      pool.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
      pool.setUsername("postgres");
      pool.setMaximumPoolSize(THREADS + 2);
      AtomicInteger told = new AtomicInteger();
      SourceLedger ledger = new SourceLedger(pool, r -> told.incrementAndGet(), Clock.systemUTC(),
          new AuthorityProperties(Duration.ofHours(72), Duration.ofMinutes(15), Duration.ofDays(30)));
      NodeProperties authority = node("authority", "AUTH-001", "HOSP-0", "hospital");
      NetworkInbox inbox = new NetworkInbox(pool, authority, null, new MessageApplication(null, ledger, null), null,
          null, ledger, Clock.systemUTC());

      Ingest ingest = feed(inbox, wanted / PER_CARTRIDGE, budget);
      long applied = new JdbcTemplate(pool).queryForObject("SELECT COUNT(*) FROM st_ledger_entry", Long.class);
      assertThat(new JdbcTemplate(pool).queryForObject("SELECT COUNT(*) FROM st_network_inbox WHERE status = 'APPLIED'",
          Long.class)).as("each message recorded in the inbox with its ledger change").isEqualTo(applied);
      long cartridges = ingest.cartridges();
      System.out.printf("BENCH authority ingest: %,d messages (%,d cartridges, 500 organisations) in %.1f s on %d"
          + " threads: %.0f messages/s overall, 10-s windows min %.0f / median %.0f messages/s%n", applied,
          cartridges, ingest.seconds(), THREADS, applied / ingest.seconds(), ingest.windowMin(), ingest.windowMedian());
      System.out.printf("BENCH authority reconciliation latency per message: median %.1f ms, p95 %.1f ms,"
          + " p99 %.1f ms, max %.1f ms%n", ingest.percentile(50), ingest.percentile(95), ingest.percentile(99),
          ingest.percentile(100));
      assertThat(applied).isEqualTo(cartridges * PER_CARTRIDGE);
      assertThat(ledger.alerts(true, 1000).stream().filter(a -> a.kind().equals(Discrepancies.COUNT)).count())
          .as("one open count-mismatch per cartridge that lost a seed (up to 1000 shown)")
          .isEqualTo(Math.min(1000, ingest.lostSeeds()));
      queries(ledger, cartridges);
    }
    signatureChecks();
  }

  record Ingest(long cartridges, long lostSeeds, double seconds, long[] latenciesNanos, List<Double> windows) {
    double percentile(int p) {
      long[] sorted = latenciesNanos.clone();
      Arrays.sort(sorted);
      int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
      return sorted[Math.max(0, i)] / 1e6;
    }

    double windowMin() {
      return windows.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    double windowMedian() {
      return windows.isEmpty() ? Double.NaN : windows.stream().sorted().toList().get(windows.size() / 2);
    }
  }

  /**
   * Feeds up to {@code cartridges} cartridges' reports until the budget is spent (a cartridge begun
   * is finished); each message's time to apply and the moment it was done are kept.
   */
  static Ingest feed(NetworkInbox inbox, long cartridges, Duration budget) throws Exception {
    long start = System.nanoTime();
    long deadline = start + budget.toNanos();
    AtomicLong next = new AtomicLong();
    AtomicLong done = new AtomicLong();
    AtomicLong lost = new AtomicLong();
    AtomicLongArray latencies = new AtomicLongArray((int) (cartridges * PER_CARTRIDGE));
    AtomicLongArray finished = new AtomicLongArray((int) (cartridges * PER_CARTRIDGE));
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      workers.add(threads.submit(() -> {
        while (System.nanoTime() < deadline) {
          long c = next.getAndIncrement();
          if (c >= cartridges) {
            break;
          }
          List<CustodyMessages.Header> reports = reportsOf(c);
          for (int m = 0; m < reports.size(); m++) {
            CustodyMessages.Header header = reports.get(m);
            String body = BODY.get().encodeResourceToString(bundleOf(header));
            String digest = NetworkInbox.sha256(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            long t0 = System.nanoTime();
            inbox.recordAndApply(header, digest, body);
            long t1 = System.nanoTime();
            latencies.set((int) (c * PER_CARTRIDGE + m), t1 - t0);
            finished.set((int) (c * PER_CARTRIDGE + m), t1 - start);
          }
          done.incrementAndGet();
          if (c % 100 == 0) {
            lost.incrementAndGet();
          }
        }
        return null;
      }));
    }
    for (Future<?> w : workers) {
      w.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    threads.shutdown();
    long[] measured = new long[latencies.length()];
    long[] perWindow = new long[(int) (seconds / 10) + 1];
    int k = 0;
    for (int i = 0; i < latencies.length(); i++) {
      if (latencies.get(i) > 0) {
        measured[k++] = latencies.get(i);
        perWindow[(int) (finished.get(i) / 10_000_000_000L)]++;
      }
    }
    List<Double> windows = new ArrayList<>();
    for (int w = 0; w < (int) (seconds / 10); w++) {
      windows.add(perWindow[w] / 10.0);
    }
    return new Ingest(done.get(), lost.get(), seconds, Arrays.copyOf(measured, k), windows);
  }

  /**
   * The six reports of cartridge {@code c}: shipped 20; received 20; removed 2; imaged 15 (14 for
   * every hundredth cartridge: a lost seed); remaining 3; returned 3 with its activity.
   */
  static List<CustodyMessages.Header> reportsOf(long c) {
    String serial = "BENCH-" + c;
    String manufacturer = "MFR-" + (c % MANUFACTURERS);
    String hospital = "HOSP-" + (c % HOSPITALS);
    Instant at = Instant.now();
    int imaged = c % 100 == 0 ? 14 : 15;
    List<CustodyMessages.Header> reports = new ArrayList<>();
    reports.add(header(serial, 0, CustodyEvent.SHIPMENT_REPORT, manufacturer, new CountSummary(serial, "ORD-" + c,
        hospital, 20, null, null, null, null, null, null, at)));
    Integer[][] counts = {{20, null, null, null}, {20, 2, null, null}, {20, 2, imaged, null}, {20, 2, imaged, 3}};
    for (int s = 0; s < counts.length; s++) {
      reports.add(header(serial, s + 1, CustodyEvent.IMPLANT_SUMMARY, hospital, new CountSummary(serial, null,
          hospital, null, counts[s][0], counts[s][1], counts[s][2], counts[s][3], null, "pk1-" + c, at)));
    }
    CustodyMessages.Header receipt = header(serial, 5, CustodyEvent.RETURN_RECEIPT, manufacturer, new CountSummary(
        serial, null, hospital, null, null, null, null, 3, 3, null, at));
    ((org.hl7.fhir.r4.model.Parameters) receipt.focus().get(0)).addParameter().setName("remainingActivityKbq")
        .setValue(new org.hl7.fhir.r4.model.DecimalType(1450));
    reports.add(receipt);
    return reports;
  }

  static final ThreadLocal<ca.uhn.fhir.parser.IParser> BODY = ThreadLocal.withInitial(
      () -> ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser());
  static final NodeProperties HOSPITAL = node("hospital", "HOSP-1", "AUTH-001", "authority");

  /** The message as it would be stored (unsigned: the signature is measured apart). */
  static Bundle bundleOf(CustodyMessages.Header header) {
    Bundle message = CustodyMessages.message(header.event(), HOSPITAL, "AUTH-001", HOSPITAL.peers().get("AUTH-001"),
        header.focus());
    message.getIdentifier().setValue(header.messageId());
    return message;
  }

  static NodeProperties node(String role, String id, String peer, String peerRole) {
    return new Binder(new MapConfigurationPropertySource(Map.of("seedtrace.node.role", role,
        "seedtrace.node.organization.id", id, "seedtrace.node.peers[" + peer + "].role", peerRole,
        "seedtrace.node.peers[" + peer + "].base-url", "http://" + peer.toLowerCase() + ".example")))
        .bindOrCreate("seedtrace.node", NodeProperties.class);
  }

  static CustodyMessages.Header header(String serial, int step, CustodyEvent event, String sender, CountSummary s) {
    return new CustodyMessages.Header("urn:uuid:" + serial + "-" + step, event, sender, "AUTH-001",
        List.of(s.toParameters()));
  }

  /** Times each query of the ledger 20 times at the volume reached; prints median and max. */
  static void queries(SourceLedger ledger, long cartridges) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    report("sources of one licensee (100 newest, decayed activity)", () -> ledger.sourcesOf("HOSP-"
        + random.nextInt(HOSPITALS), 100).size());
    report("open alerts (100 newest)", () -> ledger.alerts(true, 100).size());
    report("one cartridge with its history and alerts", () -> {
      String serial = "BENCH-" + random.nextLong(cartridges);
      return ledger.cartridge(serial).map(c -> ledger.history(serial).size() + ledger.alertsOf(serial).size())
          .orElseThrow();
    });
    report("deadline check (overdue receipts and returns)", ledger::checkDeadlines);
  }

  static void report(String query, java.util.function.IntSupplier run) {
    double[] ms = new double[20];
    for (int i = 0; i < ms.length; i++) {
      long t0 = System.nanoTime();
      run.getAsInt();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    System.out.printf("BENCH authority query %s: median %.1f ms, max %.1f ms (20 runs)%n", query, ms[10], ms[19]);
  }

  /**
   * What the ledger bench leaves out: the receiving node's check of each message before it is
   * applied (JSON parse, canonical form, RS256 verification, SHA-256 of the canonical form), on
   * one thread over 2,000 signed implant summaries.
   */
  static void signatureChecks() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("bench").generate();
    NodeProperties self = HOSPITAL;
    var parser = ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser();
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      Bundle message = CustodyMessages.message(CustodyEvent.IMPLANT_SUMMARY, self, "AUTH-001",
          self.peers().get("AUTH-001"), List.of(reportsOf(i).get(4).focus().get(0)));
      bodies.add(parser.encodeResourceToString(MessageSignature.sign(message, key, "HOSP-1")));
    }
    long t0 = System.nanoTime();
    for (String body : bodies) {
      Bundle parsed = parser.parseResource(Bundle.class, body);
      CustodyMessages.read(parsed);
      assertThat(MessageSignature.verify(parsed, kid -> Optional.of(key.toPublicJWK()))).isEmpty();
      NetworkInbox.sha256(MessageSignature.canonical(parsed));
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("BENCH authority signature check (parse, canonical form, RS256, SHA-256): %.0f messages/s on"
        + " one thread, %.2f ms each (%d messages of %d bytes)%n", bodies.size() / seconds, seconds * 1000
        / bodies.size(), bodies.size(), bodies.get(0).length());
  }
}
