package io.seedtrace.server.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.seedtrace.core.chip.ChipPayloadCodec;
import io.seedtrace.core.chip.InitialBlock;
import io.seedtrace.server.audit.AuditTrail;
import io.seedtrace.server.support.BulkExportClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Base64BinaryType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DeviceDefinition;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.SupplyDelivery;
import org.hl7.fhir.r4.model.SupplyRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A hospital's, a manufacturer's and an authority's node, each a whole application with its own
 * port, database and signing key, exchanging signed custody messages over real HTTP: the hospital's
 * order reaches the manufacturer; the manufacturer's shipment becomes the hospital's SeedShipment;
 * only a manufacturer announces shipments; a message signed with another key in a trusted peer's
 * name, a tampered message, an event the sender's role may not send, an unknown and a revoked
 * sender are refused with an OperationOutcome (the tampered one recorded in the audit chain); a
 * replay is not applied twice; the cartridge then goes round the loop (receipt, assembly, implant,
 * a seed lost, sealing, return, the manufacturer's receipt) and the authority's ledger shows the
 * lost seed as an alert, a shipment never received as another, and refuses a forged, a future-dated
 * and an unknown sender's report; the authority's administrator exports the ledger in bulk (and
 * then only what changed); last, an order placed while the manufacturer's node is down is retried
 * until the node is back, and three shipments sent while the hospital's node is down arrive once
 * each and in order when it is back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkIT {

  static final FhirContext FHIR = FhirContext.forR4Cached();
  static final ObjectMapper JSON = new ObjectMapper();
  static final String SD = "https://seedtrace.io/fhir/StructureDefinition/";
  static final String FHIR_JSON = "application/fhir+json";
  static final String TAG = UUID.randomUUID().toString().substring(0, 8);

  static NetworkNode hospital;
  static NetworkNode manufacturer;
  static NetworkNode authority;
  /** A second hospital, supplied by the same manufacturer and supervised by the same authority. */
  static NetworkNode hospital2;
  /** The manufacturer's chip-signing key pair (kept at the factory) and the chips it writes. */
  static KeyPair chipKeys;
  static String deviceId;
  static byte[] sealedChip;
  static String hospitalOrgId;
  static String manufacturerOrgId;
  static String locationId;
  static String productId;
  /** The first order's number, and the signed shipment message the hospital received. */
  static String firstOrder;
  static String shipmentMessage;

  @BeforeAll
  static void startTwoOrganisations() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    chipKeys = ec.generateKeyPair();
    hospital = new NetworkNode("HOSP-" + TAG, NodeRole.HOSPITAL, Files.createTempDirectory("seedtrace-hospital"));
    manufacturer = new NetworkNode("MFR-" + TAG, NodeRole.MANUFACTURER, Files.createTempDirectory("seedtrace-mfr"));
    authority = new NetworkNode("AUTH-" + TAG, NodeRole.AUTHORITY, Files.createTempDirectory("seedtrace-authority"));
    hospital2 = new NetworkNode("HOSP2-" + TAG, NodeRole.HOSPITAL, Files.createTempDirectory("seedtrace-hospital2"));
    hospital.trusts(manufacturer).trusts(authority);
    hospital2.trusts(manufacturer).trusts(authority);
    manufacturer.trusts(hospital).trusts(hospital2).trusts(authority)
        .trusts("HOSP-OLD", NodeRole.HOSPITAL, "http://127.0.0.1:9", true);
    authority.trusts(hospital).trusts(hospital2).trusts(manufacturer).with("--seedtrace.authority.check-period=1s");
    hospital.start();
    hospital2.start();
    manufacturer.start();
    authority.start();
    registerParties(hospital.fhir("admin"));
    manufacturer.fhir("admin").create().resource(chipKeyHolder()).execute();
  }

  @AfterAll
  static void stop() {
    for (NetworkNode node : new NetworkNode[] {hospital, hospital2, manufacturer, authority}) {
      if (node != null) {
        node.stop();
      }
    }
  }

  @Test
  @Order(1)
  void eachNodePublishesItsRoleAndItsPublicSigningKey() throws Exception {
    JsonNode node = JSON.readTree(manufacturer.http().get(NetworkEndpoints.NODE_PATH, null).body());
    assertThat(node.get("role").asText()).isEqualTo("manufacturer");
    assertThat(node.at("/organization/id").asText()).isEqualTo(manufacturer.organizationId);
    JsonNode keys = JSON.readTree(manufacturer.http().get(NetworkEndpoints.JWKS_PATH, null).body());
    assertThat(keys.get("keys")).hasSize(1);
    assertThat(keys.at("/keys/0/kty").asText()).isEqualTo("RSA");
    assertThat(keys.at("/keys/0/d").isMissingNode()).as("no private part published").isTrue();
  }

  @Test
  @Order(2)
  void anAcceptedOrderReachesTheManufacturerAsASignedMessage() throws Exception {
    firstOrder = placeOrder(60);
    await().atMost(Duration.ofSeconds(60)).until(() -> received(manufacturer, "custody-order", firstOrder));
    assertThat(hospital.bean(NetworkOutbox.class).counts()).containsEntry("DELIVERED", 1);
  }

  @Test
  @Order(3)
  void theManufacturersShipmentBecomesTheHospitalsSeedShipmentOfThatOrder() throws Exception {
    String serial = "CART-" + TAG;
    HttpResponse<String> shipped = manufacturer.http().send("POST", "/network/shipments",
        manufacturer.token("manufacturer"), FHIR_JSON, FHIR.newJsonParser().encodeResourceToString(shipment(firstOrder,
            serial)));
    assertThat(shipped.statusCode()).as(shipped.body()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(60)).until(() -> shipmentsOf(serial).size() == 1);
    SupplyDelivery stored = shipmentsOf(serial).get(0);
    SupplyRequest order = hospital.fhir("nurse").search().forResource(SupplyRequest.class)
        .where(SupplyRequest.IDENTIFIER.exactly().identifier(firstOrder)).returnBundle(Bundle.class).execute()
        .getEntry().stream().map(e -> (SupplyRequest) e.getResource()).findFirst().orElseThrow();
    assertThat(stored.getBasedOnFirstRep().getReference()).isEqualTo(order.getIdElement().toUnqualifiedVersionless()
        .getValue());
    assertThat(stored.getStatus()).isEqualTo(SupplyDelivery.SupplyDeliveryStatus.INPROGRESS);
    assertThat(stored.getSupplier().getReference()).isEqualTo(manufacturerOrgId);
    assertThat(stored.getDestination().getReference()).isEqualTo(locationId);
    shipmentMessage = manufacturer.jdbc().queryForObject("SELECT payload FROM st_network_outbox WHERE event ="
        + " 'custody-shipment' AND status = 'DELIVERED'", String.class);
    String orderMessage = hospital.jdbc().queryForObject("SELECT payload FROM st_network_outbox WHERE stream_key = ?",
        String.class, firstOrder);
    System.out.printf("NETWORK message sizes (signed, compact JSON): custody-order %d bytes, custody-shipment %d bytes%n",
        orderMessage.getBytes(java.nio.charset.StandardCharsets.UTF_8).length,
        shipmentMessage.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
  }

  @Test
  @Order(4)
  void onlyAManufacturerAnnouncesAShipment() {
    String body = FHIR.newJsonParser().encodeResourceToString(shipment(firstOrder, "CART-NURSE-" + TAG));
    assertThat(manufacturer.http().send("POST", "/network/shipments", null, FHIR_JSON, body).statusCode())
        .isEqualTo(401);
    HttpResponse<String> nurse = manufacturer.http().send("POST", "/network/shipments", manufacturer.token("nurse"),
        FHIR_JSON, body);
    assertThat(nurse.statusCode()).as(nurse.body()).isEqualTo(403);
    HttpResponse<String> unknownOrder = manufacturer.http().send("POST", "/network/shipments",
        manufacturer.token("manufacturer"), FHIR_JSON, FHIR.newJsonParser().encodeResourceToString(
            shipment("ORD-NEVER-" + TAG, "CART-X-" + TAG)));
    assertThat(unknownOrder.statusCode()).as(unknownOrder.body()).isEqualTo(400);
    assertThat(unknownOrder.body()).contains("no order ORD-NEVER-" + TAG);
  }

  @Test
  @Order(5)
  void aMessageSignedWithAnotherKeyInATrustedPeersNameIsRefused() throws Exception {
    RSAKey attacker = new RSAKeyGenerator(2048).keyID(manufacturer.bean(NodeKey.class).key().getKeyID()).generate();
    Bundle forged = FHIR.newJsonParser().parseResource(Bundle.class, shipmentMessage);
    forged.setIdentifier(new org.hl7.fhir.r4.model.Identifier().setSystem("urn:ietf:rfc:3986")
        .setValue("urn:uuid:" + UUID.randomUUID()));
    HttpResponse<String> answer = post(hospital, FHIR.newJsonParser().encodeResourceToString(
        MessageSignature.sign(forged, attacker, manufacturer.organizationId)));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
    assertThat(shipmentsOf("CART-" + TAG)).hasSize(1);
  }

  @Test
  @Order(6)
  void aTrustedHospitalMayNotSendWhatOnlyAManufacturerSends() {
    NodeProperties.Peer target = new NodeProperties.Peer(NodeRole.MANUFACTURER, "", manufacturer.base(), "", false);
    NodeProperties self = new NodeProperties(NodeRole.HOSPITAL, new NodeProperties.Organization(
        hospital.organizationId, "h"), "", Map.of(manufacturer.organizationId, target),
        new NodeProperties.Delivery(null, null, null, null, null, null));
    Bundle message = CustodyMessages.message(CustodyEvent.SHIPMENT, self, manufacturer.organizationId, target,
        List.of(shipment(firstOrder, "CART-H-" + TAG)));
    HttpResponse<String> answer = post(manufacturer, FHIR.newJsonParser().encodeResourceToString(
        MessageSignature.sign(message, hospital.bean(NodeKey.class).key(), hospital.organizationId)));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
    assertThat(answer.body()).contains("a hospital node may not send custody-shipment");
  }

  @Test
  @Order(7)
  void aReplayedMessageIsAnsweredAsDuplicateAndNotAppliedAgain() {
    HttpResponse<String> replay = post(hospital, shipmentMessage);
    assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
    assertThat(replay.body()).contains("\"duplicate\"").contains("not applied again");
    assertThat(shipmentsOf("CART-" + TAG)).hasSize(1);
  }

  @Test
  @Order(8)
  void aTamperedMessageIsRefusedAndRecorded() {
    long refusedBefore = refusals(hospital);
    int toldBefore = refusalsTold(hospital).size();
    String tampered = shipmentMessage.replace("CART-" + TAG, "CART-FORGED-" + TAG);
    assertThat(tampered).isNotEqualTo(shipmentMessage);
    HttpResponse<String> answer = post(hospital, tampered);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
    assertThat(answer.body()).contains("OperationOutcome").contains("does not match the message");
    assertThat(shipmentsOf("CART-FORGED-" + TAG)).isEmpty();
    assertThat(refusals(hospital)).isEqualTo(refusedBefore + 1);
    List<String> told = refusalsTold(hospital);
    assertThat(told).as("the administrator is told").hasSize(toldBefore + 1);
    assertThat(told).anySatisfy(text -> assertThat(text).contains(manufacturer.organizationId, "did not verify"));
  }

  /** The texts of the administrator's messages about refused custody messages at {@code node}. */
  static List<String> refusalsTold(NetworkNode node) {
    Bundle found = node.fhir("admin").search().forResource(org.hl7.fhir.r4.model.Communication.class)
        .where(org.hl7.fhir.r4.model.Communication.CATEGORY.exactly().code("network-message-refused"))
        .count(200).returnBundle(Bundle.class).execute();
    return found.getEntry().stream().map(e -> ((org.hl7.fhir.r4.model.Communication) e.getResource())
        .getPayloadFirstRep().getContentStringType().getValue()).toList();
  }

  @Test
  @Order(9)
  void aMessageFromAnUnknownOrARevokedNodeIsRefused() throws Exception {
    for (String sender : List.of("ROGUE-" + TAG, "HOSP-OLD")) {
      HttpResponse<String> answer = post(manufacturer, forgedOrder(sender));
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
      assertThat(answer.body()).contains("OperationOutcome").contains(sender);
    }
    assertThat(received(manufacturer, "custody-order", "ORD-ROGUE")).isFalse();
  }

  @Test
  @Order(11)
  void theManufacturersShipmentIsInTheAuthoritysLedgerForItsEyesOnly() throws Exception {
    String serial = "CART-" + TAG;
    await().atMost(Duration.ofSeconds(60)).until(() -> ledgerRow(serial).isPresent());
    JsonNode row = ledgerRow(serial).orElseThrow();
    assertThat(row.at("/cartridge/shipped").asInt()).isEqualTo(60);
    assertThat(row.at("/cartridge/manufacturerId").asText()).isEqualTo(manufacturer.organizationId);
    assertThat(row.at("/cartridge/hospitalId").asText()).isEqualTo(hospital.organizationId);
    assertThat(row.at("/cartridge/orderNumber").asText()).isEqualTo(firstOrder);
    assertThat(hospital.http().get("/authority/alerts", hospital.token("admin")).statusCode())
        .as("a hospital node keeps no ledger").isEqualTo(404);
    assertThat(authority.http().get("/authority/alerts", authority.token("nurse")).statusCode()).isEqualTo(403);
  }

  @Test
  @Order(12)
  void aSeedLostAtTheHospitalIsAnAlertAtTheAuthorityWithoutThePatientsName() throws Exception {
    String serial = "CART-" + TAG;
    HospitalSteps steps = new HospitalSteps(hospital::fhir);
    deviceId = steps.receive(chip(serial, 60));
    int removed = steps.assemble(deviceId, 50);
    String[] implant = steps.implant(deviceId, "Zhang" + TAG, locationId, 50);
    steps.imaged(deviceId, implant[0], implant[1], 46);
    sealedChip = steps.seal(deviceId, "Zhang" + TAG, 3);

    await().atMost(Duration.ofSeconds(90)).until(() -> openAlerts(serial).contains(Discrepancies.COUNT));
    JsonNode row = ledgerRow(serial).orElseThrow();
    assertThat(row.at("/cartridge/received").asInt()).isEqualTo(60);
    assertThat(row.at("/cartridge/removed").asInt()).isEqualTo(removed).isEqualTo(10);
    assertThat(row.at("/cartridge/imaged").asInt()).isEqualTo(46);
    assertThat(row.at("/cartridge/remaining").asInt()).isEqualTo(3);
    assertThat(row.at("/cartridge/patientKey").asText()).startsWith("pk1-");
    assertThat(row.get("alerts").toString()).contains("L0 = 60, L1 = 46, L2 = 3, L3 = 10; 1 seed(s) unaccounted for");
    assertThat(hospital.jdbc().queryForObject("SELECT COUNT(*) FROM st_network_outbox WHERE event ="
        + " 'custody-implant-summary' AND stream_key = ?", Integer.class, "report:" + serial))
        .as("one summary per count recorded: L0, L3, L1, L2").isEqualTo(4);
    List<String> senders = new java.util.ArrayList<>();
    row.get("history").forEach(e -> senders.add(e.get("senderId").asText()));
    assertThat(senders).contains(manufacturer.organizationId, hospital.organizationId);
    for (String sent : hospital.jdbc().queryForList("SELECT payload FROM st_network_outbox WHERE peer_id = ?",
        String.class, authority.organizationId)) {
      assertThat(sent).doesNotContain("Zhang" + TAG, "MRN-Zhang", implant[0]);
    }
    for (NetworkNode concerned : List.of(hospital, manufacturer)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> discrepancyAlerts(concerned, serial).size() == 1);
      org.hl7.fhir.r4.model.DetectedIssue alert = discrepancyAlerts(concerned, serial).get(0);
      assertThat(alert.getDetail()).as(concerned.organizationId).contains("The supervising authority "
          + authority.organizationId + " reports count-mismatch", "1 seed(s) unaccounted for");
      assertThat(alert.getSeverity()).isEqualTo(org.hl7.fhir.r4.model.DetectedIssue.DetectedIssueSeverity.HIGH);
    }
    assertThat(discrepancyAlerts(hospital, serial).get(0).getImplicatedFirstRep().getReference())
        .as("the hospital's own Device of the cartridge").isEqualTo(deviceId);
  }

  /** The SeedAlerts a node made of the authority's custody-discrepancy messages about {@code serial}. */
  static List<org.hl7.fhir.r4.model.DetectedIssue> discrepancyAlerts(NetworkNode node, String serial) {
    Bundle found = node.fhir("admin").search().forResource(org.hl7.fhir.r4.model.DetectedIssue.class)
        .where(org.hl7.fhir.r4.model.DetectedIssue.CODE.exactly().code("custody-discrepancy"))
        .returnBundle(Bundle.class).execute();
    return found.getEntry().stream().map(e -> (org.hl7.fhir.r4.model.DetectedIssue) e.getResource())
        .filter(d -> d.getDetail().contains(serial + " ") || d.getDetail().contains(serial + ":")).toList();
  }

  @Test
  @Order(13)
  void theSealedCartridgeGoesBackAndTheManufacturersReceiptClosesTheLoop() throws Exception {
    String serial = "CART-" + TAG;
    HttpResponse<String> back = hospital.http().send("POST", "/network/returns?device=" + deviceId,
        hospital.token("nurse"), null, (String) null);
    assertThat(back.statusCode()).as(back.body()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(60)).until(() -> received(manufacturer, "custody-return-shipment", serial));

    byte[] broken = sealedChip.clone();
    broken[broken.length - 5] ^= 1;
    HttpResponse<String> refused = manufacturer.http().sendBytes("POST", "/network/return-receipts?serial=" + serial,
        manufacturer.token("manufacturer"), "application/octet-stream", broken);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
    assertThat(refused.body()).contains("does not verify");
    HttpResponse<String> confirmed = manufacturer.http().sendBytes("POST", "/network/return-receipts?serial="
        + serial + "&counted=3", manufacturer.token("manufacturer"), "application/octet-stream", sealedChip);
    assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(202);

    await().atMost(Duration.ofSeconds(60)).until(() -> ledgerRow(serial).orElseThrow().at("/cartridge/returned")
        .isInt());
    assertThat(ledgerRow(serial).orElseThrow().at("/cartridge/returned").asInt()).isEqualTo(3);
    assertThat(openAlerts(serial)).containsExactly(Discrepancies.COUNT);
    HttpResponse<String> sources = authority.http().get("/authority/licensees/" + hospital.organizationId
        + "/sources", authority.token("auditor"));
    JsonNode held = null;
    for (JsonNode h : JSON.readTree(sources.body()).get("sources")) {
      if (h.at("/cartridge/serial").asText().equals(serial)) {
        held = h;
      }
    }
    assertThat(held).as(sources.body()).isNotNull();
    assertThat(held.get("activityTodayKbq").asDouble()).as("the 3 sealed seeds' activity, decayed to today")
        .isPositive().isLessThanOrEqualTo(held.at("/cartridge/activityKbq").asDouble());
    printMessageSizes();
  }

  @Test
  @Order(14)
  void aShipmentNotReportedReceivedWithin72HoursIsFoundByTheAuthoritysDeadlineCheck() throws Exception {
    String order = placeOrder(40);
    await().atMost(Duration.ofSeconds(60)).until(() -> received(manufacturer, "custody-order", order));
    String serial = "CART-LATE-" + TAG;
    SupplyDelivery late = shipment(order, serial);
    // shipped 72 h less a few seconds ago: received in time when the report arrives, overdue at a
    // later run of the authority's deadline check (every second in this test)
    late.setOccurrence(new DateTimeType(Date.from(Instant.now().minus(72, ChronoUnit.HOURS).plusSeconds(20))));
    HttpResponse<String> shipped = manufacturer.http().send("POST", "/network/shipments",
        manufacturer.token("manufacturer"), FHIR_JSON, FHIR.newJsonParser().encodeResourceToString(late));
    assertThat(shipped.statusCode()).as(shipped.body()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(60)).until(() -> ledgerRow(serial).isPresent());
    await().atMost(Duration.ofSeconds(60)).until(() -> openAlerts(serial).contains(Discrepancies.OVERDUE));
    JsonNode alert = ledgerRow(serial).orElseThrow().get("alerts").get(0);
    assertThat(Instant.parse(alert.get("raisedAt").asText())).as("raised by the deadline check, not on arrival")
        .isAfter(Instant.parse(ledgerRow(serial).orElseThrow().at("/history/0/recordedAt").asText()));
  }

  @Test
  @Order(15)
  void theAuthorityToleratesFiveMinutesOfSkewAndRefusesFutureForgedAndUnknownReports() throws Exception {
    RSAKey hospitalKey = hospital.bean(NodeKey.class).key();
    HttpResponse<String> ahead = post(authority, report(hospital.organizationId, hospitalKey, "CART-SKEW-" + TAG,
        Duration.ofMinutes(4)));
    assertThat(ahead.statusCode()).as(ahead.body()).isEqualTo(200);
    HttpResponse<String> future = post(authority, report(hospital.organizationId, hospitalKey, "CART-FUTURE-" + TAG,
        Duration.ofMinutes(10)));
    assertThat(future.statusCode()).as(future.body()).isEqualTo(422);
    assertThat(future.body()).contains("more than 5 minutes after this node's clock");
    RSAKey attacker = new RSAKeyGenerator(2048).keyID(hospitalKey.getKeyID()).generate();
    HttpResponse<String> forged = post(authority, report(hospital.organizationId, attacker, "CART-FORGED-" + TAG,
        Duration.ZERO));
    assertThat(forged.statusCode()).as(forged.body()).isEqualTo(401);
    HttpResponse<String> unknown = post(authority, report("ROGUE-" + TAG, attacker, "CART-ROGUE-" + TAG,
        Duration.ZERO));
    assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(403);
    assertThat(ledgerRow("CART-SKEW-" + TAG)).isPresent();
    for (String never : List.of("CART-FUTURE-", "CART-FORGED-", "CART-ROGUE-")) {
      assertThat(ledgerRow(never + TAG)).as(never).isEmpty();
    }
    JsonNode alerts = JSON.readTree(authority.http().get("/authority/alerts", authority.token("auditor")).body());
    assertThat(alerts.get("alerts").toString()).contains(Discrepancies.UNKNOWN_NODE, "ROGUE-" + TAG);
  }

  @Test
  @Order(16)
  void theAuthoritysAdministratorExportsTheLedgerInBulkAndThenOnlyWhatChanged() throws Exception {
    BulkExportClient bulk = new BulkExportClient(authority.base());
    String admin = authority.token("admin");
    assertThat(bulk.kickOff("/authority/$export", authority.token("auditor")).statusCode()).as("admin only")
        .isEqualTo(403);
    assertThat(bulk.kickOff("/authority/$export", authority.token("nurse")).statusCode()).isEqualTo(403);
    assertThat(bulk.kickOff("/authority/$export", null).statusCode()).isEqualTo(401);
    assertThat(new BulkExportClient(hospital.base()).kickOff("/authority/$export", hospital.token("admin"))
        .statusCode()).as("a hospital keeps no ledger").isEqualTo(404);
    HttpResponse<String> sync = BulkExportClient.send("GET", authority.base() + "/authority/$export", admin);
    assertThat(sync.statusCode()).as("without Prefer: respond-async").isEqualTo(400);
    assertThat(bulk.kickOff("/authority/$export?_type=Patient", admin).statusCode()).isEqualTo(400);
    assertThat(bulk.kickOff("/authority/$export?_since=yesterday", admin).statusCode()).isEqualTo(400);

    String status = bulk.start("/authority/$export", admin);
    assertThat(status).contains(":" + authority.port + "/fhir/$export-poll-status?_jobId=");
    JsonNode manifest = bulk.awaitManifest(status, admin);
    assertThat(BulkExportClient.send("GET", status, authority.token("auditor")).statusCode())
        .as("another client's export").isEqualTo(404);
    Map<String, List<String>> all = bulk.download(manifest, admin, "application/x-ndjson");
    assertThat(all).containsOnlyKeys("LedgerSource", "LedgerEntry", "LedgerAlert");
    String serial = "CART-" + TAG;
    JsonNode loop = lineOf(all.get("LedgerSource"), l -> l.at("/cartridge/serial").asText().equals(serial));
    assertThat(loop.at("/cartridge/hospitalId").asText()).isEqualTo(hospital.organizationId);
    assertThat(loop.at("/cartridge/shipped").asInt()).isEqualTo(60);
    assertThat(loop.at("/cartridge/returned").asInt()).isEqualTo(3);
    assertThat(loop.get("activityTodayKbq").asDouble()).as("decayed to the export's time").isPositive()
        .isLessThanOrEqualTo(loop.at("/cartridge/activityKbq").asDouble());
    List<String> exportedHistory = new java.util.ArrayList<>();
    for (String line : all.get("LedgerEntry")) {
      JsonNode entry = JSON.readTree(line);
      if (entry.get("serial").asText().equals(serial)) {
        exportedHistory.add(entry.get("messageId").asText());
      }
    }
    List<String> history = new java.util.ArrayList<>();
    ledgerRow(serial).orElseThrow().get("history").forEach(e -> history.add(e.get("messageId").asText()));
    assertThat(exportedHistory).as("the cartridge's whole history, in order, each report once")
        .containsExactlyElementsOf(history).hasSize(6);
    assertThat(all.get("LedgerAlert")).anySatisfy(l -> assertThat(l).contains("\"serial\":\"" + serial + "\"",
        Discrepancies.COUNT)).anySatisfy(l -> assertThat(l).contains(Discrepancies.OVERDUE, "CART-LATE-" + TAG))
        .anySatisfy(l -> assertThat(l).contains(Discrepancies.UNKNOWN_NODE, "ROGUE-" + TAG));

    String since = manifest.get("transactionTime").asText();
    HttpResponse<String> later = post(authority, report(hospital.organizationId,
        hospital.bean(NodeKey.class).key(), "CART-SINCE-" + TAG, Duration.ZERO));
    assertThat(later.statusCode()).as(later.body()).isEqualTo(200);
    Map<String, List<String>> changed = bulk.download(bulk.awaitManifest(bulk.start("/authority/$export?_since="
        + since + "&_type=LedgerSource,LedgerEntry", admin), admin), admin, "application/x-ndjson");
    assertThat(changed.get("LedgerSource")).hasSize(1).allSatisfy(l -> assertThat(l).contains("CART-SINCE-" + TAG));
    assertThat(changed.get("LedgerEntry")).hasSize(1).allSatisfy(l -> assertThat(l).contains("CART-SINCE-" + TAG));
    assertThat(changed).doesNotContainKey("LedgerAlert");
  }

  static JsonNode lineOf(List<String> lines, java.util.function.Predicate<JsonNode> wanted) throws Exception {
    for (String line : lines) {
      JsonNode node = JSON.readTree(line);
      if (wanted.test(node)) {
        return node;
      }
    }
    throw new AssertionError("no line as wanted among " + lines);
  }

  @Test
  @Order(17)
  void aSecondHospitalsCartridgeIsItsOwnAndTheFirstMayNotReportIt() throws Exception {
    Parties parties = registerParties(hospital2.fhir("admin"), hospital2);
    String order = placeOrder(hospital2, parties, "ORD2-" + TAG, 25);
    await().atMost(Duration.ofSeconds(60)).until(() -> received(manufacturer, "custody-order", order));
    String serial = "CART-H2-" + TAG;
    HttpResponse<String> shipped = manufacturer.http().send("POST", "/network/shipments",
        manufacturer.token("manufacturer"), FHIR_JSON, FHIR.newJsonParser().encodeResourceToString(
            shipment(order, serial)));
    assertThat(shipped.statusCode()).as(shipped.body()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(60)).until(() -> hospital2.fhir("nurse").search()
        .forResource(SupplyDelivery.class).where(SupplyDelivery.IDENTIFIER.exactly().identifier("SHP-" + serial))
        .returnBundle(Bundle.class).execute().getEntry().size() == 1);
    assertThat(shipmentsOf(serial)).as("not at the first hospital").isEmpty();
    await().atMost(Duration.ofSeconds(60)).until(() -> ledgerRow(serial).isPresent());
    assertThat(ledgerRow(serial).orElseThrow().at("/cartridge/hospitalId").asText())
        .isEqualTo(hospital2.organizationId);
    assertThat(authority.http().get("/authority/licensees/" + hospital.organizationId + "/sources",
        authority.token("auditor")).body()).doesNotContain(serial);
    assertThat(authority.http().get("/authority/licensees/" + hospital2.organizationId + "/sources",
        authority.token("auditor")).body()).contains(serial);
    HttpResponse<String> intrusion = post(authority, report(hospital.organizationId,
        hospital.bean(NodeKey.class).key(), serial, Duration.ZERO));
    assertThat(intrusion.statusCode()).as(intrusion.body()).isEqualTo(422);
    assertThat(intrusion.body()).contains("one organisation may not report another's cartridge");
    assertThat(ledgerRow(serial).orElseThrow().get("history")).as("only the manufacturer's report").hasSize(1);
  }

  /** A count summary to the authority in {@code senderId}'s name, signed with {@code key}, dated {@code ahead}. */
  static String report(String senderId, RSAKey key, String serial, Duration ahead) {
    NodeProperties.Peer target = new NodeProperties.Peer(NodeRole.AUTHORITY, "", authority.base(), "", false);
    NodeProperties self = new NodeProperties(NodeRole.HOSPITAL, new NodeProperties.Organization(senderId, senderId),
        "", Map.of(authority.organizationId, target), new NodeProperties.Delivery(null, null, null, null, null, null));
    CountSummary summary = new CountSummary(serial, null, senderId, null, 5, null, null, null, null, null,
        Instant.now());
    Bundle message = CustodyMessages.message(CustodyEvent.IMPLANT_SUMMARY, self, authority.organizationId, target,
        List.of(summary.toParameters()));
    message.setTimestamp(Date.from(Instant.now().plus(ahead)));
    return FHIR.newJsonParser().encodeResourceToString(MessageSignature.sign(message, key, senderId));
  }

  /** A chip as the factory writes it for {@code serial}: {@code seeds} seeds of 14.8 MBq, calibrated two days ago. */
  static byte[] chip(String serial, int seeds) {
    InitialBlock block = new InitialBlock(serial, java.util.Optional.empty(), "Isotope Works " + TAG,
        "I-125 titanium seed", "6711", seeds, seeds * 14_800L, Instant.now().minus(2, ChronoUnit.DAYS), 14_800,
        "LOT-" + TAG, LocalDate.now().plusDays(90));
    return ChipPayloadCodec.encode(block, ("MFR-KEY-" + TAG).getBytes(StandardCharsets.UTF_8), chipKeys.getPrivate());
  }

  static java.util.Optional<JsonNode> ledgerRow(String serial) throws Exception {
    HttpResponse<String> answer = authority.http().get("/authority/cartridges/" + serial, authority.token("auditor"));
    if (answer.statusCode() == 404) {
      return java.util.Optional.empty();
    }
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return java.util.Optional.of(JSON.readTree(answer.body()));
  }

  static List<String> openAlerts(String serial) throws Exception {
    List<String> kinds = new java.util.ArrayList<>();
    for (JsonNode a : ledgerRow(serial).map(r -> r.get("alerts")).orElse(JSON.createArrayNode())) {
      if (!a.hasNonNull("closedAt")) {
        kinds.add(a.get("kind").asText());
      }
    }
    return kinds;
  }

  /** Compact signed size of each kind of message the loop sent. */
  static void printMessageSizes() {
    Map<String, Integer> sizes = new java.util.TreeMap<>();
    for (NetworkNode node : List.of(hospital, manufacturer, authority)) {
      node.jdbc().query("SELECT event, payload FROM st_network_outbox", rs -> {
        sizes.merge(rs.getString(1), rs.getString(2).getBytes(StandardCharsets.UTF_8).length, Math::max);
      });
    }
    System.out.println("NETWORK message sizes (signed, compact JSON, largest of each event): " + sizes);
  }

  @Test
  @Order(20)
  void anOrderPlacedWhileTheManufacturerIsDownIsDeliveredWhenItIsBack() throws Exception {
    manufacturer.stop();
    String order;
    try {
      order = placeOrder(30);
      await().atMost(Duration.ofSeconds(60)).until(() -> attemptsFor(order) >= 2);
      assertThat(outboxStatus(order)).isEqualTo("PENDING");
    } finally {
      manufacturer.start();
    }
    await().atMost(Duration.ofSeconds(90)).until(() -> received(manufacturer, "custody-order", order));
    assertThat(outboxStatus(order)).isEqualTo("DELIVERED");
    assertThat(received(manufacturer, "custody-order", firstOrder)).as("kept over the restart").isTrue();
  }

  @Test
  @Order(21)
  void aHospitalOfflineWhileThreeShipmentsAreSentGetsEachOnceAndInOrderWhenItIsBack() throws Exception {
    String order = placeOrder(20);
    await().atMost(Duration.ofSeconds(60)).until(() -> received(manufacturer, "custody-order", order));
    List<String> serials = List.of("CART-OFF1-" + TAG, "CART-OFF2-" + TAG, "CART-OFF3-" + TAG);
    hospital.stop();
    List<String> sent = new java.util.ArrayList<>();
    try {
      for (String serial : serials) {
        HttpResponse<String> shipped = manufacturer.http().send("POST", "/network/shipments",
            manufacturer.token("manufacturer"), FHIR_JSON, FHIR.newJsonParser().encodeResourceToString(
                shipment(order, serial)));
        assertThat(shipped.statusCode()).as(shipped.body()).isEqualTo(202);
      }
      sent.addAll(manufacturer.jdbc().queryForList("SELECT message_id FROM st_network_outbox WHERE stream_key = ?"
          + " AND event = 'custody-shipment' ORDER BY id", String.class, order));
      assertThat(sent).hasSize(3);
      // the first is retried while the hospital is away; the two behind it wait their turn
      await().atMost(Duration.ofSeconds(60)).until(() -> shipmentAttempts(sent.get(0)) >= 3);
      assertThat(manufacturer.jdbc().queryForList("SELECT status FROM st_network_outbox WHERE stream_key = ?"
          + " AND event = 'custody-shipment'", String.class, order)).containsOnly("PENDING");
      assertThat(shipmentAttempts(sent.get(1)) + shipmentAttempts(sent.get(2))).as("none sent past the first")
          .isZero();
    } finally {
      hospital.start();
    }
    await().atMost(Duration.ofSeconds(90)).until(() -> manufacturer.jdbc().queryForList("SELECT status FROM"
        + " st_network_outbox WHERE stream_key = ? AND event = 'custody-shipment'", String.class, order).stream()
        .allMatch("DELIVERED"::equals));
    assertThat(hospital.jdbc().queryForList("SELECT message_id FROM st_network_inbox WHERE event = 'custody-shipment'"
        + " AND message_id IN (?, ?, ?) ORDER BY received_at", String.class, sent.toArray()))
        .as("each received once, in the order sent").containsExactlyElementsOf(sent);
    for (String serial : serials) {
      assertThat(shipmentsOf(serial)).as(serial + " applied once").hasSize(1);
    }
    List<Long> created = serials.stream().map(s -> shipmentsOf(s).get(0).getIdElement().getIdPartAsLong()).toList();
    assertThat(created).as("applied in the order sent").isSorted();
    assertThat(shipmentsOf("CART-" + TAG)).as("what it held before is still there").hasSize(1);
  }

  static int shipmentAttempts(String messageId) {
    return manufacturer.jdbc().queryForObject("SELECT attempts FROM st_network_outbox WHERE message_id = ?",
        Integer.class, messageId);
  }

  // ------------------------------------------------------------------------------------------------

  /** The manufacturer as an Organization with its chip-signing key, as each node registers it. */
  static Organization chipKeyHolder() {
    Organization maker = new Organization().setName("Isotope Works " + TAG).setActive(true);
    maker.addIdentifier().setSystem(CustodyMessages.SID_ORGANIZATION).setValue(manufacturer.organizationId);
    maker.addIdentifier().setSystem("https://seedtrace.io/fhir/sid/chip-signing-key").setValue("MFR-KEY-" + TAG);
    Extension key = maker.addExtension().setUrl(SD + "chip-signing-key");
    key.addExtension("kid", new StringType("MFR-KEY-" + TAG));
    key.addExtension("publicKey", new Base64BinaryType(chipKeys.getPublic().getEncoded()));
    return maker;
  }

  /** What a hospital node registers to order: its manufacturer, itself with its licence, its hot lab, the product. */
  record Parties(String manufacturerOrgId, String hospitalOrgId, String locationId, String productId) {}

  static void registerParties(IGenericClient admin) {
    Parties parties = registerParties(admin, hospital);
    manufacturerOrgId = parties.manufacturerOrgId();
    hospitalOrgId = parties.hospitalOrgId();
    locationId = parties.locationId();
    productId = parties.productId();
  }

  static Parties registerParties(IGenericClient admin, NetworkNode at) {
    String manufacturerOrgId = id(admin.create().resource(chipKeyHolder()).execute().getId());
    Organization hosp = new Organization().setName("General Hospital " + at.organizationId).setActive(true);
    hosp.addIdentifier().setSystem(CustodyMessages.SID_ORGANIZATION).setValue(at.organizationId);
    Extension licence = hosp.addExtension().setUrl(SD + "radioactive-material-licence");
    licence.addExtension("number", new StringType("RML-" + TAG));
    licence.addExtension("period", new Period().setStart(Date.from(Instant.now().minus(365, ChronoUnit.DAYS)))
        .setEnd(Date.from(Instant.now().plus(365, ChronoUnit.DAYS))));
    licence.addExtension("maxActivity", mbq(5000));
    licence.addExtension("maxSeeds", new IntegerType(200));
    String hospitalOrgId = id(admin.create().resource(hosp).execute().getId());
    Location lab = new Location().setName("Hot lab " + TAG);
    lab.getAddress().addLine("1 Hospital Road").setCity("Example City").setCountry("CN");
    lab.setManagingOrganization(new Reference(hospitalOrgId));
    String locationId = id(admin.create().resource(lab).execute().getId());
    DeviceDefinition product = new DeviceDefinition();
    product.getMeta().addProfile(SD + "seed-product");
    product.addIdentifier().setSystem("https://seedtrace.io/fhir/sid/product").setValue("I125-6711-" + TAG);
    product.setManufacturer(new Reference(manufacturerOrgId));
    product.addDeviceName().setName("I-125 titanium seed").setType(DeviceDefinition.DeviceNameType.MANUFACTURERNAME);
    product.setModelNumber("6711");
    product.getType().addCoding().setSystem("http://snomed.info/sct").setCode("1254766006");
    product.addMaterial().getSubstance().setText("Iodine-125");
    return new Parties(manufacturerOrgId, hospitalOrgId, locationId,
        id(admin.create().resource(product).execute().getId()));
  }

  /** A physician at the hospital orders seeds; returns the order number. */
  static String placeOrder(int seeds) {
    return placeOrder(hospital, new Parties(manufacturerOrgId, hospitalOrgId, locationId, productId),
        "ORD-" + TAG + "-" + seeds, seeds);
  }

  /** A physician at {@code at} orders seeds as order {@code number}. */
  static String placeOrder(NetworkNode at, Parties parties, String number, int seeds) {
    String productId = parties.productId();
    SupplyRequest order = new SupplyRequest();
    order.getMeta().addProfile(SD + "seed-order");
    order.addExtension(SD + "requested-total-activity", mbq(seeds * 14.8));
    order.addExtension(SD + "ordered-product", new Reference(productId));
    order.addIdentifier().setSystem("https://seedtrace.io/fhir/sid/order").setValue(number);
    order.setStatus(SupplyRequest.SupplyRequestStatus.DRAFT);
    order.setItem(new org.hl7.fhir.r4.model.CodeableConcept().setText("I-125 seed, model 6711")
        .addCoding(new org.hl7.fhir.r4.model.Coding("http://snomed.info/sct", "1254766006", "Loose radioactive seed")));
    order.setQuantity(new Quantity().setValue(seeds).setUnit("seeds").setSystem("http://unitsofmeasure.org")
        .setCode("{seeds}"));
    order.setOccurrence(new DateTimeType(Date.from(Instant.now().plus(2, ChronoUnit.DAYS))));
    order.setAuthoredOn(new Date());
    order.setRequester(new Reference(parties.hospitalOrgId()));
    order.addSupplier(new Reference(parties.manufacturerOrgId()));
    order.setDeliverTo(new Reference(parties.locationId()));
    at.fhir("physician").create().resource(order).execute();
    return number;
  }

  /** The shipment as the manufacturer announces it: order and cartridge named by identifier. */
  static SupplyDelivery shipment(String orderNumber, String serial) {
    SupplyDelivery s = new SupplyDelivery();
    s.getMeta().addProfile(SD + "seed-shipment");
    s.addIdentifier().setSystem("https://seedtrace.io/fhir/sid/shipment").setValue("SHP-" + serial);
    s.addBasedOn(new Reference().setIdentifier(new org.hl7.fhir.r4.model.Identifier()
        .setSystem("https://seedtrace.io/fhir/sid/order").setValue(orderNumber)));
    s.setStatus(SupplyDelivery.SupplyDeliveryStatus.INPROGRESS);
    s.getSuppliedItem().setQuantity(new Quantity().setValue(1).setUnit("cartridge"));
    s.getSuppliedItem().setItem(new Reference().setIdentifier(new org.hl7.fhir.r4.model.Identifier()
        .setSystem("https://seedtrace.io/fhir/sid/cartridge-serial").setValue(serial)).setDisplay("cartridge " + serial));
    s.setOccurrence(new DateTimeType(new Date()));
    return s;
  }

  /** An order signed by a key of the test's own, claiming to come from {@code senderId}. */
  static String forgedOrder(String senderId) throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("forged").generate();
    NodeProperties.Peer target = new NodeProperties.Peer(NodeRole.MANUFACTURER, "", manufacturer.base(), "", false);
    NodeProperties self = new NodeProperties(NodeRole.HOSPITAL, new NodeProperties.Organization(senderId, senderId),
        "", Map.of(manufacturer.organizationId, target), new NodeProperties.Delivery(null, null, null, null, null, null));
    SupplyRequest order = new SupplyRequest();
    order.addIdentifier().setSystem("https://seedtrace.io/fhir/sid/order").setValue("ORD-ROGUE");
    Bundle message = CustodyMessages.message(CustodyEvent.ORDER, self, manufacturer.organizationId, target,
        List.of(order));
    return FHIR.newJsonParser().encodeResourceToString(MessageSignature.sign(message, key, senderId));
  }

  static HttpResponse<String> post(NetworkNode to, String message) {
    return to.http().send("POST", NetworkEndpoints.MESSAGES_PATH, null, FHIR_JSON, message);
  }

  static boolean received(NetworkNode node, String event, String focusKey) throws Exception {
    HttpResponse<String> listing = node.http().get("/network/messages?event=" + event, node.token("auditor"));
    assertThat(listing.statusCode()).as(listing.body()).isEqualTo(200);
    for (JsonNode m : JSON.readTree(listing.body()).get("received")) {
      if (focusKey.equals(m.path("focusKey").asText())) {
        return true;
      }
    }
    return false;
  }

  static List<SupplyDelivery> shipmentsOf(String serial) {
    return hospital.fhir("nurse").search().forResource(SupplyDelivery.class)
        .where(SupplyDelivery.IDENTIFIER.exactly().identifier("SHP-" + serial)).returnBundle(Bundle.class).execute()
        .getEntry().stream().map(e -> (SupplyDelivery) e.getResource()).toList();
  }

  static long refusals(NetworkNode node) {
    Bundle found = node.fhir("auditor").search().forResource(AuditEvent.class)
        .where(AuditEvent.SUBTYPE.exactly().systemAndCode(AuditTrail.STEP_SYSTEM, "network-receive"))
        .and(AuditEvent.OUTCOME.exactly().code("4")).summaryMode(ca.uhn.fhir.rest.api.SummaryEnum.COUNT)
        .returnBundle(Bundle.class).execute();
    return found.getTotal();
  }

  static int attemptsFor(String order) {
    return hospital.jdbc().queryForList("SELECT attempts FROM st_network_outbox WHERE stream_key = ?", Integer.class,
        order).stream().findFirst().orElse(0);
  }

  static String outboxStatus(String order) {
    return hospital.jdbc().queryForObject("SELECT status FROM st_network_outbox WHERE stream_key = ?", String.class,
        order);
  }

  static Quantity mbq(double value) {
    return new Quantity().setValue(value).setUnit("MBq").setSystem("http://unitsofmeasure.org").setCode("MBq");
  }

  static String id(org.hl7.fhir.instance.model.api.IIdType id) {
    return id.toUnqualifiedVersionless().getValue();
  }
}
