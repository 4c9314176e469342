package io.seedtrace.server.custody;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.seedtrace.core.chip.InitialBlock;
import io.seedtrace.server.alerts.Alerts;
import io.seedtrace.server.audit.AuditTrail;
import io.seedtrace.server.support.ServerTestBase;
import io.seedtrace.server.support.TestDatabases;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.SupplyDelivery;
import org.hl7.fhir.r4.model.SupplyRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 14 item 4: does a custody operation cost the same on a full store as on an empty one? On
 * embedded PostgreSQL, {@value #ROUNDS} cartridges go through order, shipment, {@code $chip-read},
 * {@code $assemble} (4 of 60 seeds removed, so the storage model runs), implant, {@code $seal} and
 * {@code $trace} over real HTTP with real tokens on the empty store (the first {@value #WARMUP} not
 * counted); then the store is filled to each size of {@code -Dbench.cartridges} (comma-separated,
 * default 10000) and the same is measured again. Each filled cartridge has its whole chain, written
 * through the server's FHIR transaction in transactions of {@value #PER_TRANSACTION} cartridges
 * (not over HTTP, so without the per-request audit): order, shipment, cartridge Device, the four
 * SeedCounts, implant Procedure, verification report, two AuditEvents and three Provenances; every
 * fifth with an alert, every tenth with a return Task. Printed as "BENCH store ..." lines: median
 * and range per operation and store size. Run: see README "Benchmarks".
 */
@ActiveProfiles("postgres")
class CustodyStoreGrowthBench extends ServerTestBase {

  static final int ROUNDS = 15;
  static final int WARMUP = 3;
  static final int PER_TRANSACTION = 50;
  static final List<String> OPERATIONS = List.of("$chip-read", "$assemble", "$seal", "$trace");

  private static final EmbeddedPostgres POSTGRES = TestDatabases.startPostgres();

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    TestDatabases.usePostgres(registry, POSTGRES);
  }

  @Autowired
  IFhirSystemDao<Bundle, Meta> system;

  private final Map<String, IGenericClient> clients = new HashMap<>();

  IGenericClient as(String role) {
    return clients.computeIfAbsent(role, this::fhirAs);
  }

  @Test
  void custodyOperationsOnAnEmptyAndAFullStore() throws Exception {
    CustodyFixture fx = new CustodyFixture(this::as, Optional.of(CustodyFixture.validNow()), 100_000, 10_000_000);
    int[] sizes = Arrays.stream(System.getProperty("bench.cartridges", "10000").split(","))
        .mapToInt(s -> Integer.parseInt(s.trim())).sorted().toArray();
    Map<String, Double> empty = print("empty", measure(fx, "empty"), Map.of());
    int filled = 0;
    long t0 = System.nanoTime();
    for (int size : sizes) {
      for (; filled < size; filled += PER_TRANSACTION) {
        system.transaction(new SystemRequestDetails(), chains(fx, filled, Math.min(PER_TRANSACTION, size - filled)));
        if ((filled + PER_TRANSACTION) % 1000 == 0) {
          System.out.printf("BENCH store fill: %d cartridges after %.0f s%n", filled + PER_TRANSACTION,
              (System.nanoTime() - t0) / 1e9);
        }
      }
      filled = size;
      Map<String, Double> full = print(size + " cartridges", measure(fx, "n" + size), empty);
      assertThat(full).hasSize(OPERATIONS.size());
    }
  }

  /** Prints median and range of each operation (against the empty store's median); the medians. */
  private static Map<String, Double> print(String level, Map<String, double[]> times, Map<String, Double> empty) {
    Map<String, Double> medians = new LinkedHashMap<>();
    times.forEach((op, ms) -> {
      double median = (ms[ms.length / 2 - 1] + ms[ms.length / 2]) / 2;
      medians.put(op, median);
      System.out.printf("BENCH store %-18s %-10s median %6.1f ms, min %6.1f, max %6.1f (n=%d)%s%n", level, op, median,
          ms[0], ms[ms.length - 1], ms.length,
          empty.containsKey(op) ? String.format(" = %.2fx empty", median / empty.get(op)) : "");
    });
    return medians;
  }

  /** {@value #ROUNDS} cartridges through the chain over HTTP; the milliseconds of each operation, sorted. */
  private Map<String, double[]> measure(CustodyFixture fx, String level) throws Exception {
    Map<String, List<Double>> times = new LinkedHashMap<>();
    OPERATIONS.forEach(op -> times.put(op, new ArrayList<>()));
    for (int i = 0; i < WARMUP + ROUNDS; i++) {
      boolean count = i >= WARMUP;
      String order = CustodyFixture.id(as("physician").create().resource(fx.order(60, 888, fx.locationId)).execute()
          .getId());
      String serial = "M-" + fx.tag + "-" + level + "-" + i;
      as("manufacturer").create().resource(fx.shipment(order, serial)).execute();
      byte[] chip = fx.chip(fx.cartridge(serial, 60, Instant.now().minus(2, ChronoUnit.DAYS)));
      long t = System.nanoTime();
      String device = CustodyChainIT.ref(CustodyChainIT.chipRead(as("nurse"), chip), "device");
      record(times, "$chip-read", t, count);
      t = System.nanoTime();
      Parameters assembled = CustodyChainIT.assemble(as("physicist"), device, 56, 14.2, 0.05);
      record(times, "$assemble", t, count);
      assertThat(CustodyChainIT.intParam(assembled, "removed")).isEqualTo(4);
      String patient = CustodyFixture.id(as("physician").create().resource(new Patient()).execute().getId());
      as("physician").create().resource(fx.implant(patient, device, "ACC-" + serial, 56, new Date())).execute();
      t = System.nanoTime();
      Parameters sealed = CustodyChainIT.seal(as("nurse"), device, "Patient " + i, "IP-" + i, 0);
      record(times, "$seal", t, count);
      String key = sealed.getParameterValue("traceKey").primitiveValue();
      t = System.nanoTime();
      Bundle chain = CustodyChainIT.trace(as("physician"), device, key, Optional.empty(), Map.of());
      record(times, "$trace", t, count);
      assertThat(chain.getEntry()).extracting(e -> e.getResource().fhirType())
          .contains("SupplyRequest", "SupplyDelivery", "Device", "Procedure", "Provenance");
    }
    Map<String, double[]> sorted = new LinkedHashMap<>();
    times.forEach((op, ms) -> sorted.put(op, ms.stream().mapToDouble(Double::doubleValue).sorted().toArray()));
    return sorted;
  }

  private static void record(Map<String, List<Double>> times, String op, long t0, boolean count) {
    if (count) {
      times.get(op).add((System.nanoTime() - t0) / 1e6);
    }
  }

  /** {@code n} whole custody chains from cartridge number {@code first} on, as one transaction. */
  private static Bundle chains(CustodyFixture fx, int first, int n) {
    Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    Organization maker = new Organization();
    maker.setId(fx.manufacturerId);
    String patient = null;
    for (int i = first; i < first + n; i++) {
      if (patient == null || i % 10 == 0) {
        patient = add(tx, new Patient().addIdentifier(new org.hl7.fhir.r4.model.Identifier()
            .setSystem("https://hospital.example/mrn").setValue("F-" + fx.tag + "-" + i)));
      }
      chain(tx, fx, maker, patient, i);
    }
    return tx;
  }

  private static void chain(Bundle tx, CustodyFixture fx, Organization maker, String patient, int i) {
    String serial = "F-" + fx.tag + "-" + i;
    SupplyRequest order = fx.order(60, 888, fx.locationId);
    order.getIdentifierFirstRep().setValue("ORD-" + serial);
    order.setStatus(SupplyRequest.SupplyRequestStatus.COMPLETED);
    String orderRef = add(tx, order);
    InitialBlock block = fx.cartridge(serial, i % 7 == 0 ? 50 : 60, Instant.now().minus(3 + i % 20, ChronoUnit.DAYS));
    Device device = ChipReceipt.cartridge(block, "00".repeat(32), maker, Optional.of(order));
    String deviceRef = add(tx, device);
    SupplyDelivery shipment = fx.shipment(orderRef, serial);
    shipment.setStatus(SupplyDelivery.SupplyDeliveryStatus.COMPLETED);
    shipment.getSuppliedItem().getItemReference().setReference(deviceRef);
    String shipmentRef = add(tx, shipment);
    String shipped = add(tx, ChipReceipt.count("seed-count-shipped", block.seedCount(), deviceRef));
    add(tx, Provenances.of(List.of(deviceRef, shipped, shipmentRef), "nurse", "chip-read", "reader F"));
    String removed = add(tx, ChipReceipt.count("seed-count-removed", 4, deviceRef));
    List<String> assembled = new ArrayList<>(List.of(removed));
    if (i % 10 == 0) {
      Task task = new Task().setStatus(Task.TaskStatus.REQUESTED).setIntent(Task.TaskIntent.ORDER);
      task.setFocus(new Reference(deviceRef)).getCode().setText("Return 4 seeds of cartridge " + serial);
      assembled.add(add(tx, task));
    }
    add(tx, Provenances.of(assembled, "physicist", "assemble", null));
    String procedure = add(tx, fx.implant(patient, deviceRef, "ACC-" + serial, 56, new Date()));
    String remaining = add(tx, ChipReceipt.count("seed-count-remaining", 0, deviceRef));
    add(tx, Provenances.of(List.of(remaining, procedure), "nurse", "seal", null));
    Observation imaged = ChipReceipt.count("seed-count-imaged", 56, deviceRef);
    imaged.setSubject(new Reference(patient));
    String imagedRef = add(tx, imaged);
    DiagnosticReport report = new DiagnosticReport().setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL);
    report.setCode(CustodyCodes.concept("seed-verification-report")).setSubject(new Reference(patient));
    report.addResult(new Reference(imagedRef));
    String reportRef = add(tx, report);
    if (i % 5 == 0) {
      add(tx, Alerts.alert("count-mismatch", DetectedIssue.DetectedIssueSeverity.HIGH, "56 implanted, 55 imaged",
          List.of(deviceRef, procedure, reportRef)));
    }
    add(tx, audit("chip-read", deviceRef));
    add(tx, audit("assemble", deviceRef));
  }

  private static AuditEvent audit(String step, String entity) {
    AuditEvent event = new AuditEvent();
    event.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
    event.addSubtype(new Coding(AuditTrail.STEP_SYSTEM, step, null));
    event.setAction(AuditEvent.AuditEventAction.C).setRecorded(new Date());
    event.setOutcome(AuditEvent.AuditEventOutcome._0);
    event.addAgent().setRequestor(true).getWho().setDisplay("bench");
    event.getSource().setSite("SeedTrace").getObserver().setDisplay("SeedTrace server");
    event.addEntity().setWhat(new Reference(entity));
    return event;
  }

  private static String add(Bundle tx, Resource resource) {
    String ref = "urn:uuid:" + UUID.randomUUID();
    tx.addEntry().setFullUrl(ref).setResource(resource).getRequest().setMethod(Bundle.HTTPVerb.POST)
        .setUrl(resource.fhirType());
    return ref;
  }
}
