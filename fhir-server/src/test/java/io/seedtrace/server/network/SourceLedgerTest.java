package io.seedtrace.server.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The authority's ledger on a real (H2) database: reports of three organisations about one
 * cartridge are merged, each rule raises one alert (told to the administrator once) and closes it
 * when a later report settles it; a late receipt is found by the deadline check.
 */
class SourceLedgerTest {

  static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
  final List<String> told = new ArrayList<>();
  final MutableClock clock = new MutableClock(T0);
  SourceLedger ledger;
  int messages;

  static JdbcDataSource ledgerDatabase() {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:ledger-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    return dataSource;
  }

  @BeforeEach
  void emptyLedger() {
    ledger = new SourceLedger(ledgerDatabase(), r -> told.add("authority-" + r.kind() + ": " + r.detail()), clock,
        new AuthorityProperties(Duration.ofHours(72), Duration.ofMinutes(15), Duration.ofDays(30)));
  }

  @Test
  void aLostSeedIsAnAlertNamingTheFourCountsAndTheHospital() {
    ship("C1", 20);
    hospital("C1", 20, 2, null, null);
    hospital("C1", 20, 2, 17, null);
    assertThat(ledger.alerts(true, 10)).isEmpty();
    hospital("C1", 20, 2, 17, 0);
    List<SourceLedger.Alert> open = ledger.alerts(true, 10);
    assertThat(open).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo(Discrepancies.COUNT);
      assertThat(a.detail()).contains("L0 = 20, L1 = 17, L2 = 0, L3 = 2; 1 seed(s) unaccounted for");
      assertThat(a.organisations()).isEqualTo("MFR,HOSP");
    });
    hospital("C1", 20, 2, 17, 0);
    assertThat(ledger.alerts(true, 10)).hasSize(1);
    assertThat(told).as("the administrator is told once").hasSize(1);
    hospital("C1", 20, 2, 18, 0);
    assertThat(ledger.alerts(true, 10)).as("a corrected L1 settles it").isEmpty();
    assertThat(ledger.alertsOf("C1")).singleElement().satisfies(a -> assertThat(a.closedAt()).isNotNull());
  }

  @Test
  void shippedAndReceivedMustAgreeAndTheReturnMustMatchTheSealedCount() {
    ship("C2", 20);
    hospital("C2", 19, 0, 15, 4);
    ledger.apply(id(), "MFR", CustodyEvent.RETURN_RECEIPT, new CountSummary("C2", null, "HOSP", null, null, null, null,
        4, 3, null, clock.instant()));
    assertThat(ledger.alerts(true, 10)).extracting(SourceLedger.Alert::kind)
        .containsExactlyInAnyOrder(Discrepancies.SHIPPED_RECEIVED, Discrepancies.RETURN);
    SourceLedger.Cartridge c = ledger.cartridge("C2").orElseThrow();
    assertThat(c.manufacturerId()).isEqualTo("MFR");
    assertThat(c.hospitalId()).isEqualTo("HOSP");
    assertThat(c.returned()).isEqualTo(3);
    assertThat(ledger.history("C2")).extracting(SourceLedger.Entry::event).containsExactly("custody-shipment-report",
        "custody-implant-summary", "custody-return-receipt");
    assertThat(ledger.sourcesOf("HOSP", 10)).extracting(h -> h.cartridge().serial()).containsExactly("C2");
  }

  @Test
  void aShipmentNotReceivedWithinTheDeadlineIsFoundByTheCheckAndSettledByTheReceipt() {
    ship("C3", 10);
    clock.now = T0.plus(Duration.ofHours(71));
    assertThat(ledger.checkDeadlines()).isZero();
    clock.now = T0.plus(Duration.ofHours(73));
    assertThat(ledger.checkDeadlines()).isEqualTo(1);
    assertThat(ledger.alerts(true, 10)).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo(Discrepancies.OVERDUE);
      assertThat(a.detail()).contains("not been reported received within 72 h");
    });
    hospital("C3", 10, null, null, null);
    assertThat(ledger.alerts(true, 10)).isEmpty();
  }

  @Test
  void aSealedCartridgeNotBackWithinThirtyDaysIsAnAlertUntilItsReturnIsConfirmed() {
    ship("C5", 20);
    hospital("C5", 20, 2, 15, 3);
    clock.now = T0.plus(Duration.ofDays(29));
    assertThat(ledger.checkDeadlines()).isZero();
    clock.now = T0.plus(Duration.ofDays(31));
    assertThat(ledger.checkDeadlines()).isEqualTo(1);
    assertThat(ledger.checkDeadlines()).as("checked again: still overdue").isEqualTo(1);
    assertThat(ledger.alerts(true, 10)).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo(Discrepancies.NOT_RETURNED);
      assertThat(a.detail()).contains("is not back at MFR within 30 days");
    });
    assertThat(told).as("told once, however often the check runs").hasSize(1);
    ledger.apply(id(), "MFR", CustodyEvent.RETURN_RECEIPT, new CountSummary("C5", null, "HOSP", null, null, null, null,
        3, 3, null, clock.instant()));
    assertThat(ledger.alerts(true, 10)).isEmpty();
    assertThat(ledger.checkDeadlines()).isZero();
  }

  @Test
  void theSourcesOfALicenseeCarryTheirActivityDecayedToToday() {
    ship("C6", 20);
    hospital("C6", 20, 2, 15, 3);
    ledger.apply(id(), "MFR", CustodyEvent.RETURN_RECEIPT, new CountSummary("C6", null, "HOSP", null, null, null, null,
        3, 3, null, clock.instant()), new SourceLedger.Activity(1200.0, T0));
    clock.now = T0.plus(Duration.ofSeconds(Math.round(59.4 * 86400)));
    assertThat(ledger.sourcesOf("HOSP", 10)).singleElement().satisfies(h -> {
      assertThat(h.cartridge().activityKbq()).isEqualTo(1200.0);
      assertThat(h.activityTodayKbq()).as("one half-life later").isCloseTo(600.0, org.assertj.core.data.Offset.offset(0.01));
    });
    clock.now = T0.plus(Duration.ofSeconds(Math.round(2 * 59.4 * 86400)));
    assertThat(ledger.sourcesOf("HOSP", 10).get(0).activityTodayKbq()).isCloseTo(300.0,
        org.assertj.core.data.Offset.offset(0.01));
    ship("C7", 10);
    assertThat(ledger.sourcesOf("HOSP", 10)).filteredOn(h -> h.cartridge().serial().equals("C7")).singleElement()
        .satisfies(h -> assertThat(h.activityTodayKbq()).as("no activity reported").isNull());
  }

  @Test
  void aShipmentBeyondTheHospitalsLicenceOrWithoutOneIsAnAlert() {
    SourceLedger licensed = new SourceLedger(ledgerDatabase(), r -> told.add(r.kind() + ": " + r.detail()), clock,
        new AuthorityProperties(Duration.ofHours(72), Duration.ofMinutes(15), Duration.ofDays(30), java.util.Map.of(
            "HOSP", new AuthorityProperties.Licence("RAM-7", java.time.LocalDate.parse("2026-12-31"), 50))));
    licensed.apply(id(), "MFR", CustodyEvent.SHIPMENT_REPORT, new CountSummary("LIC-1", "ORD-1", "HOSP", 50, null, null,
        null, null, null, null, T0));
    licensed.apply(id(), "MFR", CustodyEvent.SHIPMENT_REPORT, new CountSummary("LIC-2", "ORD-2", "HOSP", 60, null, null,
        null, null, null, null, T0));
    licensed.apply(id(), "MFR", CustodyEvent.SHIPMENT_REPORT, new CountSummary("LIC-3", "ORD-3", "HOSP", 20, null, null,
        null, null, null, null, Instant.parse("2027-01-02T08:00:00Z")));
    licensed.apply(id(), "MFR", CustodyEvent.SHIPMENT_REPORT, new CountSummary("LIC-4", "ORD-4", "HOSP-X", 20, null,
        null, null, null, null, null, T0));
    assertThat(licensed.alerts(true, 10)).extracting(SourceLedger.Alert::serial)
        .containsExactlyInAnyOrder("LIC-2", "LIC-3", "LIC-4");
    assertThat(told).anySatisfy(t -> assertThat(t).isEqualTo("licence-exceeded: Cartridge LIC-2 (order ORD-2) shipped"
        + " by MFR to HOSP: 60 seeds exceed the 50 per order of licence RAM-7."))
        .anySatisfy(t -> assertThat(t).contains("LIC-3", "licence RAM-7 expired on 2026-12-31"))
        .anySatisfy(t -> assertThat(t).contains("LIC-4", "HOSP-X: the hospital holds no licence registered"));
  }

  @Test
  void alertsRaisedInTheInboxsTransactionAreToldAfterItsCommitAndNotAfterARollback() {
    ship("C9", 20);
    ship("C10", 20);
    ledger.inTransaction(() -> {
      hospital("C9", 19, null, null, null);
      assertThat(told).as("not before the commit").isEmpty();
      return null;
    });
    assertThat(told).singleElement().satisfies(t -> assertThat(t).startsWith("authority-shipped-received-mismatch"));
    assertThatThrownBy(() -> ledger.inTransaction(() -> {
      hospital("C10", 18, null, null, null);
      throw new IllegalStateException("the inbox could not record the message");
    })).hasMessageContaining("could not record");
    assertThat(told).as("nothing told of a rolled-back report").hasSize(1);
    assertThat(ledger.cartridge("C10").orElseThrow().received()).isNull();
    assertThat(ledger.alertsOf("C10")).isEmpty();
  }

  @Test
  void aMessageAppliedBeforeIsNotAppliedAgain() {
    ledger.apply("urn:uuid:same", "MFR", CustodyEvent.SHIPMENT_REPORT, new CountSummary("C8", "ORD-1", "HOSP", 20,
        null, null, null, null, null, null, clock.instant()));
    ledger.apply("urn:uuid:same", "MFR", CustodyEvent.SHIPMENT_REPORT, new CountSummary("C8", "ORD-1", "HOSP", 20,
        null, null, null, null, null, null, clock.instant()));
    assertThat(ledger.history("C8")).hasSize(1);
  }

  @Test
  void aHospitalMayNotReportAnotherHospitalsCartridge() {
    ship("C4", 10);
    assertThatThrownBy(() -> ledger.apply(id(), "HOSP-B", CustodyEvent.IMPLANT_SUMMARY, new CountSummary("C4", null,
        "HOSP-B", null, 9, null, null, null, null, null, clock.instant())))
        .isInstanceOf(RefusedMessage.class).hasMessageContaining("is in the ledger with HOSP, not HOSP-B");
    assertThat(ledger.cartridge("C4").orElseThrow().received()).isNull();
    assertThat(ledger.history("C4")).hasSize(1);
  }

  @Test
  void anUnknownSenderIsOneOpenAlertHoweverOftenItWrites() {
    for (int i = 0; i < 5; i++) {
      ledger.unknownSender("ROGUE", "custody-implant-summary");
    }
    assertThat(ledger.alerts(true, 10)).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo(Discrepancies.UNKNOWN_NODE);
      assertThat(a.organisations()).isEqualTo("ROGUE");
    });
    assertThat(told).hasSize(1);
  }

  private void ship(String serial, int seeds) {
    ledger.apply(id(), "MFR", CustodyEvent.SHIPMENT_REPORT, new CountSummary(serial, "ORD-1", "HOSP", seeds, null, null,
        null, null, null, null, clock.instant()));
  }

  private void hospital(String serial, Integer received, Integer removed, Integer imaged, Integer remaining) {
    ledger.apply(id(), "HOSP", CustodyEvent.IMPLANT_SUMMARY, new CountSummary(serial, null, "HOSP", null, received,
        removed, imaged, remaining, null, "pk1-0123", clock.instant()));
  }

  private String id() {
    return "urn:uuid:m" + (++messages);
  }

  static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
