package io.seedtrace.server.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import io.seedtrace.core.chip.ChipPayloadCodec;
import io.seedtrace.core.chip.SealingBlock;
import io.seedtrace.server.support.ServerTestBase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Base64BinaryType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.SupplyDelivery;
import org.hl7.fhir.r4.model.SupplyRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The chain of custody of MISSION.md stages 1, 2 and 4 driven through the real server over HTTP
 * with the dev clients' real tokens, each step by the role that does it in a hospital.
 */
class CustodyChainIT extends ServerTestBase {

  private final Map<String, IGenericClient> clients = new HashMap<>();

  @Autowired
  DataSource dataSource;

  IGenericClient as(String role) {
    return clients.computeIfAbsent(role, this::fhirAs);
  }

  /** What one run of the chain produced, for the tests that go on from there. */
  record Sealed(CustodyFixture fx, String orderId, String shipmentId, String deviceId, String procedureId,
      String traceKey, byte[] sealedChip, Parameters sealAnswer, Parameters assembleAnswer, byte[] initialChip) {}

  @Test
  void theWholeChainRunsThroughTheApiAndTraceReturnsItDecrypted() throws Exception {
    Sealed s = runChain("Zhang Wei-" + System.nanoTime(), "IP-" + System.nanoTime());

    // the shipment is completed and points at the cartridge; the shipped count L0 is recorded
    SupplyDelivery shipment = as("admin").read().resource(SupplyDelivery.class).withId(s.shipmentId()).execute();
    assertThat(shipment.getStatus()).isEqualTo(SupplyDelivery.SupplyDeliveryStatus.COMPLETED);
    assertThat(shipment.getSuppliedItem().getItemReference().getReference()).isEqualTo(s.deviceId());

    // assembly: 60 seeds, 56 needed -> 4 surplus through the storage model, explained
    assertThat(intParam(s.assembleAnswer(), "conforming")).isEqualTo(56);
    assertThat(intParam(s.assembleAnswer(), "removed")).isEqualTo(4);
    assertThat(s.assembleAnswer().getParameterValue("decision").primitiveValue())
        .isIn("retain-at-hospital", "return-to-manufacturer");
    assertThat(s.assembleAnswer().getParameterValue("explanation").primitiveValue()).contains("parameters inside");

    // sealing: the chip now carries both blocks, signed by the hospital key the answer names
    byte[] sealedChip = s.sealedChip();
    assertThat(sealedChip.length).isLessThanOrEqualTo(ChipPayloadCodec.CHIP_CAPACITY);
    PublicKey hospitalKey = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(
        ((Base64BinaryType) s.sealAnswer().getParameterValue("hospitalPublicKey")).getValue()));
    byte[] hospitalKid = s.sealAnswer().getParameterValue("hospitalKeyId").primitiveValue().getBytes(StandardCharsets.UTF_8);
    ChipPayloadCodec.Decoded decoded = ChipPayloadCodec.decode(sealedChip,
        kid -> Optional.of(s.fx().manufacturerKeys.getPublic()),
        kid -> Arrays.equals(kid, hospitalKid) ? Optional.of(hospitalKey) : Optional.empty());
    SealingBlock block = decoded.sealing().orElseThrow();
    assertThat(block.remainingCount()).isZero();
    assertThat(new String(sealedChip, StandardCharsets.ISO_8859_1)).doesNotContain("Zhang Wei");
    System.out.println("chip payload sizes: initial " + s.fx().chip(s.fx().cartridge("X", 60, Instant.now())).length
        + " bytes, sealed " + sealedChip.length + " bytes (60 seeds, demo fields)");

    // no patient name or inpatient number in clear anywhere in the database
    String name = findSealParam(s, "patientName");
    String inpatient = findSealParam(s, "inpatientNumber");
    assertThat(databaseContains(name)).as("patient name in the database").isFalse();
    assertThat(databaseContains(inpatient)).as("inpatient number in the database").isFalse();

    // the physician traces the cartridge with the key: the whole chain, record decrypted
    Bundle chain = trace(as("physician"), s.deviceId(), s.traceKey(), Optional.of(sealedChip), Map.of());
    List<String> types = chain.getEntry().stream().map(e -> e.getResource().fhirType()).toList();
    assertThat(types).contains("SupplyRequest", "SupplyDelivery", "Device", "Procedure", "Observation", "Provenance",
        "Parameters");
    List<String> counts = chain.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
        .filter(r -> r instanceof Observation).map(r -> ((Observation) r).getCode().getCodingFirstRep().getCode())
        .toList();
    assertThat(counts).contains("seed-count-shipped", "seed-count-removed", "seed-count-remaining");
    Parameters record = (Parameters) chain.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
        .filter(r -> r instanceof Parameters).findFirst().orElseThrow();
    assertThat(record.getParameterValue("patientName").primitiveValue()).isEqualTo(name);
    assertThat(record.getParameterValue("inpatientNumber").primitiveValue()).isEqualTo(inpatient);
    assertThat(record.getParameterValue("chipPatientName").primitiveValue()).isEqualTo(name);

    // reading the sealed chip again is recognised as the same cartridge; a chip that lost its sealing block is not
    Parameters reread = chipRead(as("nurse"), sealedChip);
    assertThat(ref(reread, "device")).isEqualTo(s.deviceId());
    assertThatThrownBy(() -> chipRead(as("nurse"), s.initialChip()))
        .isInstanceOfSatisfying(UnprocessableEntityException.class,
            e -> assertThat(diagnostics(e)).contains("is sealed but this chip shows no sealing block"));

    // every step left Provenance and AuditEvents, and the chain of audit events is intact
    List<Provenance> provenance = chain.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
        .filter(r -> r instanceof Provenance).map(r -> (Provenance) r).toList();
    assertThat(provenance.stream().map(p -> p.getActivity().getCodingFirstRep().getCode()))
        .contains("chip-read", "assemble", "seal", "client-write");
    Parameters check = as("auditor").operation().onServer().named("$verify-audit-chain")
        .withNoParameters(Parameters.class).useHttpGet().execute();
    assertThat(((org.hl7.fhir.r4.model.BooleanType) check.getParameterValue("intact")).booleanValue()).isTrue();
    Bundle audits = as("auditor").search().forResource(AuditEvent.class).where(AuditEvent.ENTITY.hasId(s.deviceId()))
        .returnBundle(Bundle.class).execute();
    assertThat(audits.getEntry()).extracting(e -> ((AuditEvent) e.getResource()).getSubtypeFirstRep().getCode())
        .contains("chip-read", "assemble", "seal", "trace");
  }

  @Test
  void aCartridgesShipmentAndImplantAreFoundByTheSearchParametersTheCustodyOperationsUse() throws Exception {
    Sealed s = runChain("Li Na", "IP-" + System.nanoTime());
    String serial = "CART-" + s.fx().tag;
    assertThat(ids(as("admin").search().byUrl("Procedure?focal-device=" + s.deviceId())))
        .containsExactly(s.procedureId());
    assertThat(ids(as("admin").search().byUrl("SupplyDelivery?item=" + s.deviceId()))).containsExactly(s.shipmentId());
    assertThat(ids(as("admin").search().byUrl("SupplyDelivery?item-identifier="
        + "https://seedtrace.io/fhir/sid/cartridge-serial|" + serial))).containsExactly(s.shipmentId());
    assertThat(ids(as("admin").search().byUrl("SupplyDelivery?item-identifier=" + serial + "-other"))).isEmpty();
  }

  private static List<String> ids(ca.uhn.fhir.rest.gclient.IQuery<org.hl7.fhir.instance.model.api.IBaseBundle> query) {
    Bundle found = query.returnBundle(Bundle.class).execute();
    return found.getEntry().stream().map(e -> e.getResource().getIdElement().toUnqualifiedVersionless().getValue())
        .toList();
  }

  @Test
  void replayingAChipIsIdempotentAndADisagreeingOneRaisesAnAlert() throws Exception {
    CustodyFixture fx = new CustodyFixture(this::as, Optional.of(CustodyFixture.validNow()), 200, 5000);
    String orderId = placeOrder(fx, 60, 888);
    String serial = "CART-" + fx.tag + "-R";
    as("manufacturer").create().resource(fx.shipment(orderId, serial)).execute();
    byte[] chip = fx.chip(fx.cartridge(serial, 60, Instant.now()));
    Parameters first = chipRead(as("nurse"), chip);
    Parameters again = chipRead(as("logistics"), chip);
    assertThat(ref(again, "device")).isEqualTo(ref(first, "device"));
    assertThat(((org.hl7.fhir.r4.model.BooleanType) again.getParameterValue("replay")).booleanValue()).isTrue();
    assertThat(as("admin").search().forResource(Device.class)
        .where(Device.IDENTIFIER.exactly().systemAndCode("https://seedtrace.io/fhir/sid/cartridge-serial", serial))
        .returnBundle(Bundle.class).execute().getEntry()).hasSize(1);
    assertThat(as("admin").search().forResource(Observation.class).where(Observation.DEVICE.hasId(ref(first, "device")))
        .returnBundle(Bundle.class).execute().getEntry()).as("one L0 count only").hasSize(1);

    // a cartridge with 50 seeds on an order for 60: imported (it is genuine) with an order-mismatch alert
    String serial2 = "CART-" + fx.tag + "-M";
    as("manufacturer").create().resource(fx.shipment(orderId, serial2)).execute();
    Parameters mismatch = chipRead(as("nurse"), fx.chip(fx.cartridge(serial2, 50, Instant.now())));
    assertThat(mismatch.getParameter().stream().filter(p -> p.getName().equals("finding")).map(p -> p.getValue()
        .primitiveValue())).anyMatch(f -> f.contains("asked for 60 seeds, the chip holds 50"));
    DetectedIssue alert = as("nurse").read().resource(DetectedIssue.class).withId(ref(mismatch, "alert")).execute();
    assertThat(alert.getCode().getCodingFirstRep().getCode()).isEqualTo("order-mismatch");
  }

  @Test
  void forgedTruncatedAndUnknownChipsAreRefusedWithAReasonAndAnAlertAndNothingImported() throws Exception {
    CustodyFixture fx = new CustodyFixture(this::as, Optional.of(CustodyFixture.validNow()), 200, 5000);
    String serial = "CART-" + fx.tag + "-F";
    byte[] chip = fx.chip(fx.cartridge(serial, 20, Instant.now()));
    byte[] forged = chip.clone();
    forged[40] ^= 0x01; // inside the signed initial block
    byte[] truncated = Arrays.copyOf(chip, chip.length - 10);
    CustodyFixture stranger = new CustodyFixture(this::as, Optional.empty(), 0, 0);
    byte[] foreign = ChipPayloadCodec.encode(fx.cartridge(serial, 20, Instant.now()), "NOBODY".getBytes(),
        stranger.manufacturerKeys.getPrivate());
    Map<byte[], String> cases = Map.of(forged, "BAD_SIGNATURE", truncated, "TRUNCATED", foreign, "UNKNOWN_KEY");
    for (Map.Entry<byte[], String> c : cases.entrySet()) {
      assertThatThrownBy(() -> chipRead(as("nurse"), c.getKey()))
          .isInstanceOfSatisfying(UnprocessableEntityException.class, e -> assertThat(diagnostics(e)).contains(c.getValue()));
    }
    assertThat(as("admin").search().forResource(Device.class)
        .where(Device.IDENTIFIER.exactly().systemAndCode("https://seedtrace.io/fhir/sid/cartridge-serial", serial))
        .returnBundle(Bundle.class).execute().getEntry()).as("nothing of a refused chip is imported").isEmpty();
    Bundle alerts = as("admin").search().forResource(DetectedIssue.class)
        .where(DetectedIssue.CODE.exactly().systemAndCode("https://seedtrace.io/fhir/CodeSystem/seedtrace",
            "chip-payload-refused")).returnBundle(Bundle.class).execute();
    assertThat(alerts.getEntry().stream().map(e -> ((DetectedIssue) e.getResource()).getDetail()))
        .anyMatch(d -> d.contains("BAD_SIGNATURE")).anyMatch(d -> d.contains("UNKNOWN_KEY"));
  }

  @Test
  void ordersOutsideTheLicenceOrToAnotherHospitalAreRefusedWith422() throws Exception {
    CustodyFixture fx = new CustodyFixture(this::as, Optional.of(CustodyFixture.validNow()), 100, 1500);
    assertThat(refusal(() -> placeOrder(fx, 150, 1400))).contains("150 seeds exceed the 100");
    assertThat(refusal(() -> placeOrder(fx, 100, 2000))).contains("exceeds the 1500 MBq");
    CustodyFixture expired = new CustodyFixture(this::as, Optional.of(new Period()
        .setStart(Date.from(Instant.now().minus(800, ChronoUnit.DAYS)))
        .setEnd(Date.from(Instant.now().minus(1, ChronoUnit.DAYS)))), 100, 1500);
    assertThat(refusal(() -> placeOrder(expired, 20, 300))).contains("holds no radioactive-material licence valid");
    CustodyFixture unlicensed = new CustodyFixture(this::as, Optional.empty(), 0, 0);
    assertThat(refusal(() -> placeOrder(unlicensed, 20, 300))).contains("holds no radioactive-material licence");
    // a licensed hospital ordering for delivery to another hospital's lab
    SupplyRequest elsewhere = fx.order(20, 300, unlicensed.locationId);
    assertThatThrownBy(() -> as("physician").create().resource(elsewhere).execute())
        .isInstanceOfSatisfying(UnprocessableEntityException.class,
            e -> assertThat(diagnostics(e)).contains("not to the ordering hospital"));
    // the accepted order becomes active
    String ok = placeOrder(fx, 60, 888);
    assertThat(as("physician").read().resource(SupplyRequest.class).withId(ok).execute().getStatus())
        .isEqualTo(SupplyRequest.SupplyRequestStatus.ACTIVE);
    // and reaches the manufacturer's endpoint (here a file endpoint besides the log); refused ones do not
    java.nio.file.Path outbox = DATA_DIR.resolve("outbox").resolve("manufacturer");
    String orderNo = "ORD-" + fx.tag + "-60";
    long deadline = System.nanoTime() + 10_000_000_000L;
    boolean delivered = false;
    while (!delivered && System.nanoTime() < deadline) {
      delivered = java.nio.file.Files.isDirectory(outbox) && filesMentioning(outbox, orderNo) == 1;
      if (!delivered) {
        Thread.onSpinWait();
      }
    }
    assertThat(delivered).as("order " + orderNo + " delivered once to the manufacturer endpoint").isTrue();
    assertThat(filesMentioning(outbox, "ORD-" + fx.tag + "-150")).isZero();
  }

  @Test
  void decayedSeedsOutOfToleranceAreNonConformingAndGoThroughTheStorageModel() throws Exception {
    CustodyFixture fx = new CustodyFixture(this::as, Optional.of(CustodyFixture.validNow()), 200, 5000);
    String orderId = placeOrder(fx, 20, 296);
    String serial = "CART-" + fx.tag + "-D";
    as("manufacturer").create().resource(fx.shipment(orderId, serial)).execute();
    // the model decides from the hospital's other cartridges: at least one is received before
    String earlier = "CART-" + fx.tag + "-E";
    as("manufacturer").create().resource(fx.shipment(placeOrder(fx, 20, 297), earlier)).execute();
    chipRead(as("nurse"), fx.chip(fx.cartridge(earlier, 20, Instant.now())));
    // calibrated 120 days ago: about a quarter of the activity left
    String device = ref(chipRead(as("nurse"), fx.chip(fx.cartridge(serial, 20,
        Instant.now().minus(120, ChronoUnit.DAYS)))), "device");
    Parameters answer = assemble(as("physicist"), device, 20, 14.8, 0.05);
    assertThat(intParam(answer, "nonConforming")).isEqualTo(20);
    assertThat(answer.getParameter().stream().filter(p -> p.getName().equals("reason"))
        .map(p -> p.getValue().primitiveValue())).anyMatch(r -> r.contains("activity per seed at implant"));
    assertThat(answer.getParameterValue("decision")).isNotNull();
    assertThat(answer.getParameter().stream().filter(p -> p.getName().equals("iteration"))).isNotEmpty();
    if (answer.getParameterValue("decision").primitiveValue().equals("return-to-manufacturer")) {
      assertThat(ref(answer, "returnTask")).startsWith("Task/");
    }
    // assembled once only
    assertThatThrownBy(() -> assemble(as("physicist"), device, 20, 14.8, 0.05))
        .isInstanceOf(BaseServerResponseException.class).hasMessageContaining("already assembled");
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void aTraceThroughAMaliciousHopRotatesTheKeyAndHandsItToTheAdministratorOnceNeverInClear(CapturedOutput console)
      throws Exception {
    Sealed s = runChain("Li Na", "IP-77");
    as("admin").operation().onServer().named("$malicious-nodes")
        .withParameter(Parameters.class, "add", new StringType("10.66.0.0/16"))
        .andParameter("reason", new StringType("leaked data in incident 42")).execute();
    try {
      assertThatThrownBy(() -> trace(as("physician"), s.deviceId(), s.traceKey(), Optional.empty(),
          Map.of("X-Forwarded-For", "10.66.3.4")))
          .isInstanceOfSatisfying(ForbiddenOperationException.class,
              e -> assertThat(diagnostics(e)).contains("10.66.3.4"));
      // the old key is dead, also on a clean path
      assertThatThrownBy(() -> trace(as("physician"), s.deviceId(), s.traceKey(), Optional.empty(), Map.of()))
          .isInstanceOf(ForbiddenOperationException.class);
      // the administrator is told in a restricted Communication where to collect the new key
      Bundle messages = as("admin").search().forResource(Communication.class)
          .where(Communication.CATEGORY.exactly().systemAndCode("https://seedtrace.io/fhir/CodeSystem/seedtrace",
              "trace-key-rotated")).returnBundle(Bundle.class).execute();
      String text = messages.getEntry().stream().map(e -> ((Communication) e.getResource()).getPayloadFirstRep()
          .getContentStringType().getValue()).filter(t -> t.contains(s.deviceId())).findFirst().orElseThrow();
      assertThat(text).contains("$rotated-trace-key");
      // only an administrator collects it, and only once
      assertThatThrownBy(() -> collectRotatedKey(as("physician"), s.deviceId()))
          .isInstanceOf(ForbiddenOperationException.class);
      String newKey = collectRotatedKey(as("admin"), s.deviceId());
      assertThat(newKey).isNotEqualTo(s.traceKey()).matches("[0-9A-Z-]{20,}");
      assertThatThrownBy(() -> collectRotatedKey(as("admin"), s.deviceId()))
          .isInstanceOf(ResourceNotFoundException.class);
      // and it is nowhere in clear: not in the message, the console, the log file or the database
      assertThat(text).doesNotContain(newKey);
      assertThat(console.getAll()).as("console log").contains(s.deviceId()).doesNotContain(newKey);
      assertThat(Files.readString(currentLogFile())).as("log file")
          .contains("trace-key-rotated").doesNotContain(newKey);
      assertThat(databaseContains(newKey)).as("database").isFalse();
      Bundle asNurse = as("nurse").search().forResource(Communication.class)
          .where(Communication.CATEGORY.exactly().systemAndCode("https://seedtrace.io/fhir/CodeSystem/seedtrace",
              "trace-key-rotated")).returnBundle(Bundle.class).execute();
      assertThat(asNurse.getEntry()).as("restricted messages are hidden from other roles").isEmpty();
      // the new key works on a clean path
      Bundle chain = trace(as("physician"), s.deviceId(), newKey, Optional.empty(), Map.of());
      assertThat(chain.getEntry()).isNotEmpty();
      // and the audit trail says what happened
      Bundle audits = as("auditor").search().forResource(AuditEvent.class).where(AuditEvent.ENTITY.hasId(s.deviceId()))
          .returnBundle(Bundle.class).execute();
      assertThat(audits.getEntry().stream().map(e -> ((AuditEvent) e.getResource()).getOutcomeDesc()))
          .anyMatch(d -> d != null && d.contains("malicious node 10.66.3.4") && d.contains("rotated"));
    } finally {
      as("admin").operation().onServer().named("$malicious-nodes")
          .withParameter(Parameters.class, "remove", new StringType("10.66.0.0/16")).execute();
    }
  }

  @Test
  void eachOperationRefusesTheRolesThatDoNotDoThatStep() throws Exception {
    Sealed s = runChain("Wang Fang", "IP-88");
    byte[] chip = s.fx().chip(s.fx().cartridge("CART-" + s.fx().tag + "-W", 20, Instant.now()));
    for (String role : List.of("physicist", "manufacturer", "ehr-system", "auditor")) {
      assertThatThrownBy(() -> chipRead(as(role), chip)).as(role + " $chip-read")
          .isInstanceOf(ForbiddenOperationException.class);
    }
    for (String role : List.of("logistics", "manufacturer", "ehr-system", "auditor")) {
      assertThatThrownBy(() -> assemble(as(role), s.deviceId(), 10, 14.8, 0.05)).as(role + " $assemble")
          .isInstanceOf(ForbiddenOperationException.class);
      assertThatThrownBy(() -> seal(as(role), s.deviceId(), "X", "Y", 0)).as(role + " $seal")
          .isInstanceOf(ForbiddenOperationException.class);
    }
    for (String role : List.of("logistics", "manufacturer", "ehr-system", "physicist")) {
      assertThatThrownBy(() -> trace(as(role), s.deviceId(), s.traceKey(), Optional.empty(), Map.of()))
          .as(role + " $trace").isInstanceOf(ForbiddenOperationException.class);
    }
    for (String role : List.of("nurse", "physician", "manufacturer")) {
      assertThatThrownBy(() -> as(role).operation().onServer().named("$verify-audit-chain")
          .withNoParameters(Parameters.class).useHttpGet().execute()).as(role + " $verify-audit-chain")
          .isInstanceOf(ForbiddenOperationException.class);
      assertThatThrownBy(() -> as(role).operation().onServer().named("$malicious-nodes")
          .withParameter(Parameters.class, "add", new StringType("203.0.113.9")).execute())
          .as(role + " $malicious-nodes").isInstanceOf(ForbiddenOperationException.class);
    }
    // a second sealing of the same cartridge is refused
    assertThatThrownBy(() -> seal(as("nurse"), s.deviceId(), "X", "Y", 0))
        .isInstanceOf(BaseServerResponseException.class).hasMessageContaining("already sealed");
  }

  @Test
  void aDeletedOrAlteredAuditEventBreaksTheChainAndTheCheckSaysWhere() throws Exception {
    Sealed chain = runChain("Chen Jie", "IP-99");
    IGenericClient admin = as("admin");
    // an event of one of this cartridge's custody steps: those say what happened in outcomeDesc, which
    // the edit below changes (the PHI read events of other tests carry none)
    Bundle page = admin.search().forResource(AuditEvent.class).where(AuditEvent.ENTITY.hasId(chain.deviceId()))
        .returnBundle(Bundle.class).execute();
    AuditEvent victim = page.getEntry().stream().map(e -> (AuditEvent) e.getResource())
        .filter(e -> e.hasOutcomeDesc()).findFirst().orElseThrow();
    String id = victim.getIdElement().toUnqualifiedVersionless().getValue();
    String sequence = victim.getEntityFirstRep().getDetail().stream().filter(d -> d.getType().equals("chain-sequence"))
        .findFirst().orElseThrow().getValue().primitiveValue();
    // over FHIR not even an admin may change or delete it (AuditTrailIT); an intruder in the database can
    io.seedtrace.server.support.StoredResources database = new io.seedtrace.server.support.StoredResources(dataSource);
    String original = database.json(id);
    try {
      database.edit(id, json -> json.replace("\"outcomeDesc\":\"", "\"outcomeDesc\":\"nothing happened here; "));
      assertThat(database.json(id)).as("the intruder's edit").isNotEqualTo(original);
      Parameters altered = verifyChain();
      assertThat(altered.getParameterValue("intact").primitiveValue()).isEqualTo("false");
      assertThat(altered.getParameterValue("brokenAt").primitiveValue()).isEqualTo(sequence);
      assertThat(altered.getParameterValue("reason").primitiveValue()).contains("altered");
      database.edit(id, json -> original);

      database.hide(id, true);
      Parameters deleted = verifyChain();
      assertThat(deleted.getParameterValue("intact").primitiveValue()).isEqualTo("false");
      assertThat(deleted.getParameterValue("reason").primitiveValue()).contains("missing");
    } finally {
      database.edit(id, json -> original);
      database.hide(id, false);
    }
    assertThat(verifyChain().getParameterValue("intact").primitiveValue()).as("restored").isEqualTo("true");
  }

  // ------------------------------------------------------------------------------------------------

  static long filesMentioning(java.nio.file.Path dir, String text) {
    try (var files = java.nio.file.Files.list(dir)) {
      return files.filter(f -> {
        try {
          return java.nio.file.Files.readString(f).contains(text);
        } catch (java.io.IOException e) {
          return false;
        }
      }).count();
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  Parameters verifyChain() {
    return as("auditor").operation().onServer().named("$verify-audit-chain").withNoParameters(Parameters.class)
        .useHttpGet().execute();
  }

  /** Order, shipment, chip read, assembly, implantation and sealing, each by its role. */
  Sealed runChain(String patientName, String inpatientNumber) throws Exception {
    CustodyFixture fx = new CustodyFixture(this::as, Optional.of(CustodyFixture.validNow()), 200, 5000);
    String orderId = placeOrder(fx, 60, 888);
    String serial = "CART-" + fx.tag;
    String shipmentId = CustodyFixture.id(as("manufacturer").create().resource(fx.shipment(orderId, serial)).execute()
        .getId());
    byte[] chip = fx.chip(fx.cartridge(serial, 60, Instant.now().minus(2, ChronoUnit.DAYS)));
    Parameters read = chipRead(as("nurse"), chip);
    String deviceId = ref(read, "device");
    assertThat(ref(read, "shipment")).isEqualTo(shipmentId);
    assertThat(ref(read, "order")).isEqualTo(orderId);
    assertThat(read.getParameterValue("finding")).as("a consistent chip raises nothing").isNull();

    // 14.8 MBq at calibration two days ago, implant tomorrow: about 14.2 MBq per seed
    Parameters assembled = assemble(as("physicist"), deviceId, 56, 14.2, 0.05);

    Patient patient = new Patient();
    patient.addIdentifier().setSystem("https://hospital.example/mrn").setValue("MRN-" + fx.tag);
    String patientId = CustodyFixture.id(as("physician").create().resource(patient).execute().getId());
    Procedure implant = fx.implant(patientId, deviceId, "ACC-" + fx.tag, 56, new Date());
    String procedureId = CustodyFixture.id(as("physician").create().resource(implant).execute().getId());

    Parameters sealed = seal(as("nurse"), deviceId, patientName, inpatientNumber, 0);
    String key = sealed.getParameterValue("traceKey").primitiveValue();
    byte[] sealedChip = ((Base64BinaryType) sealed.getParameterValue("sealedPayload")).getValue();
    sealParams.put(deviceId, Map.of("patientName", patientName, "inpatientNumber", inpatientNumber));
    return new Sealed(fx, orderId, shipmentId, deviceId, procedureId, key, sealedChip, sealed, assembled, chip);
  }

  private final Map<String, Map<String, String>> sealParams = new HashMap<>();

  String findSealParam(Sealed s, String name) {
    return sealParams.get(s.deviceId()).get(name);
  }

  String placeOrder(CustodyFixture fx, int seeds, double mbq) {
    return CustodyFixture.id(as("physician").create().resource(fx.order(seeds, mbq, fx.locationId)).execute().getId());
  }

  static Parameters chipRead(IGenericClient client, byte[] payload) {
    Parameters p = new Parameters();
    p.addParameter().setName("payload").setValue(new Base64BinaryType(payload));
    p.addParameter().setName("reader").setValue(new StringType("NFC-READER-3F"));
    return client.operation().onType(Device.class).named("$chip-read").withParameters(p).execute();
  }

  static Parameters assemble(IGenericClient client, String deviceId, int seeds, double mbqPerSeed, double tolerance) {
    Parameters p = new Parameters();
    p.addParameter().setName("model").setValue(new StringType("6711"));
    p.addParameter().setName("activityPerSeed").setValue(new Quantity().setValue(mbqPerSeed).setUnit("MBq")
        .setSystem("http://unitsofmeasure.org").setCode("MBq"));
    p.addParameter().setName("tolerance").setValue(new DecimalType(tolerance));
    p.addParameter().setName("seeds").setValue(new IntegerType(seeds));
    p.addParameter().setName("implantTime").setValue(new DateTimeType(Date.from(Instant.now().plus(1, ChronoUnit.DAYS))));
    return client.operation().onInstance(new IdType(deviceId)).named("$assemble").withParameters(p).execute();
  }

  static Parameters seal(IGenericClient client, String deviceId, String patientName, String inpatient, int remaining) {
    Parameters p = new Parameters();
    p.addParameter("hospital", "Example General Hospital");
    p.addParameter("department", "Nuclear Medicine");
    p.addParameter("doctor", "Dr. Example");
    p.addParameter("inpatientNumber", inpatient);
    p.addParameter("patientName", patientName);
    p.addParameter("surgicalDepartment", "Urology");
    p.addParameter().setName("surgeryTime").setValue(new DateTimeType(new Date()));
    p.addParameter().setName("remainingCount").setValue(new IntegerType(remaining));
    return client.operation().onInstance(new IdType(deviceId)).named("$seal").withParameters(p).execute();
  }

  static String collectRotatedKey(IGenericClient client, String deviceId) {
    Parameters answer = client.operation().onInstance(new IdType(deviceId)).named("$rotated-trace-key")
        .withNoParameters(Parameters.class).execute();
    return answer.getParameterValue("traceKey").primitiveValue();
  }

  static Bundle trace(IGenericClient client, String deviceId, String key, Optional<byte[]> chip,
      Map<String, String> headers) {
    Parameters p = new Parameters();
    p.addParameter("traceKey", key);
    chip.ifPresent(c -> p.addParameter().setName("payload").setValue(new Base64BinaryType(c)));
    var op = client.operation().onInstance(new IdType(deviceId)).named("$trace").withParameters(p)
        .returnResourceType(Bundle.class);
    for (Map.Entry<String, String> h : headers.entrySet()) {
      op = op.withAdditionalHeader(h.getKey(), h.getValue());
    }
    return op.execute();
  }

  static String ref(Parameters p, String name) {
    return ((Reference) p.getParameter().stream().filter(x -> x.getName().equals(name)).findFirst().orElseThrow()
        .getValue()).getReference();
  }

  static int intParam(Parameters p, String name) {
    return ((IntegerType) p.getParameterValue(name)).getValue();
  }

  String refusal(ThrowingRunnable r) {
    try {
      r.run();
    } catch (UnprocessableEntityException e) {
      return diagnostics(e);
    } catch (Exception e) {
      throw new AssertionError("expected 422, got " + e, e);
    }
    throw new AssertionError("expected 422, the request was accepted");
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  static String diagnostics(BaseServerResponseException e) {
    if (e.getOperationOutcome() instanceof OperationOutcome oo) {
      return oo.getIssue().stream().map(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics).toList()
          .toString() + " " + e.getMessage();
    }
    return e.getMessage();
  }

  /** Looks for a text in every character column of the HAPI resource tables and our custody tables. */
  boolean databaseContains(String text) {
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    for (String sql : List.of(
        "SELECT COUNT(*) FROM HFJ_RES_VER WHERE RES_TEXT_VC LIKE ?",
        "SELECT COUNT(*) FROM HFJ_SPIDX_STRING WHERE SP_VALUE_EXACT LIKE ?",
        "SELECT COUNT(*) FROM st_sealing_record WHERE ciphertext LIKE ?",
        "SELECT COUNT(*) FROM st_chip WHERE payload LIKE ?")) {
      Integer n = jdbc.queryForObject(sql, Integer.class, "%" + text + "%");
      if (n != null && n > 0) {
        return true;
      }
    }
    // resources stored compressed (RES_TEXT) are not searchable by LIKE: decode them
    List<byte[]> blobs = jdbc.query("SELECT RES_TEXT FROM HFJ_RES_VER WHERE RES_TEXT IS NOT NULL", (rs, i) -> rs.getBytes(1));
    for (byte[] blob : blobs) {
      if (new String(inflate(blob), StandardCharsets.UTF_8).contains(text)) {
        return true;
      }
    }
    return false;
  }

  static byte[] inflate(byte[] b) {
    try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(b))) {
      return in.readAllBytes();
    } catch (java.io.IOException notGzip) {
      return b;
    }
  }

  /**
   * The file the logging system writes to now: logging is one per JVM, and a test context started
   * after this class's server (another data directory) moves the file appender to its own file.
   */
  static java.nio.file.Path currentLogFile() {
    ch.qos.logback.classic.LoggerContext logging =
        (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    java.util.Iterator<ch.qos.logback.core.Appender<ch.qos.logback.classic.spi.ILoggingEvent>> appenders =
        logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
    while (appenders.hasNext()) {
      if (appenders.next() instanceof ch.qos.logback.core.FileAppender<?> file) {
        return java.nio.file.Path.of(file.getFile());
      }
    }
    throw new AssertionError("no log file is written");
  }
}
