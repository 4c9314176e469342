package io.seedtrace.server.network;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.SupplyRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MessageSignatureTest {

  static final FhirContext FHIR = FhirContext.forR4Cached();
  static RSAKey hospitalKey;
  static RSAKey otherKey;
  static NodeProperties hospital;

  @BeforeAll
  static void keys() throws Exception {
    hospitalKey = new RSAKeyGenerator(2048).keyID("hosp-key").generate();
    otherKey = new RSAKeyGenerator(2048).keyID("hosp-key").generate();
    hospital = new NodeProperties(NodeRole.HOSPITAL, new NodeProperties.Organization("HOSP-1", "Hospital One"), "",
        Map.of("MFR-1", new NodeProperties.Peer(NodeRole.MANUFACTURER, "Maker", "http://mfr.example", "", false)),
        new NodeProperties.Delivery(null, null, null, null, null, null));
  }

  static Bundle signedOrder(int seeds) {
    SupplyRequest order = new SupplyRequest();
    order.addIdentifier().setSystem("https://seedtrace.io/fhir/sid/order").setValue("ORD-1");
    order.setQuantity(new Quantity().setValue(seeds).setUnit("seeds"));
    Bundle message = CustodyMessages.message(CustodyEvent.ORDER, hospital, "MFR-1", hospital.peers().get("MFR-1"),
        List.of(order));
    return MessageSignature.sign(message, hospitalKey, "HOSP-1");
  }

  static Function<String, Optional<JWK>> keysOf(RSAKey key) {
    return kid -> kid.equals(key.getKeyID()) ? Optional.of(key.toPublicJWK()) : Optional.empty();
  }

  static Bundle transmitted(Bundle bundle, boolean pretty) {
    String text = FHIR.newJsonParser().setPrettyPrint(pretty).encodeResourceToString(bundle);
    return FHIR.newJsonParser().parseResource(Bundle.class, text);
  }

  @Test
  void aSignedMessageVerifiesAfterTransmissionCompactOrPrettyPrinted() {
    Bundle signed = signedOrder(60);
    assertThat(MessageSignature.verify(transmitted(signed, false), keysOf(hospitalKey))).isEmpty();
    assertThat(MessageSignature.verify(transmitted(signed, true), keysOf(hospitalKey))).isEmpty();
    assertThat(MessageSignature.verify(transmitted(transmitted(signed, true), false), keysOf(hospitalKey))).isEmpty();
  }

  @Test
  void aChangedValueBreaksTheSignature() {
    Bundle received = transmitted(signedOrder(60), false);
    ((SupplyRequest) received.getEntry().get(1).getResource()).getQuantity().setValue(600);
    assertThat(MessageSignature.verify(received, keysOf(hospitalKey))).get().asString()
        .contains("does not match the message");
  }

  @Test
  void anotherKeyWithTheSameIdDoesNotVerify() {
    assertThat(MessageSignature.verify(transmitted(signedOrder(60), false), keysOf(otherKey))).get().asString()
        .contains("does not match");
  }

  @Test
  void aKeyIdTheSenderDoesNotPublishIsRefused() {
    assertThat(MessageSignature.verify(signedOrder(60), kid -> Optional.empty())).get().asString()
        .contains("not among the sender's keys");
  }

  @Test
  void anUnsignedMessageIsRefused() {
    Bundle unsigned = signedOrder(60);
    unsigned.setSignature(null);
    assertThat(MessageSignature.verify(unsigned, keysOf(hospitalKey))).get().asString().contains("no signature");
  }

  @Test
  void theEnvelopeNamesEventSenderReceiverAndFocus() {
    CustodyMessages.Header header = CustodyMessages.read(transmitted(signedOrder(60), true));
    assertThat(header.event()).isEqualTo(CustodyEvent.ORDER);
    assertThat(header.senderId()).isEqualTo("HOSP-1");
    assertThat(header.receiverId()).isEqualTo("MFR-1");
    assertThat(header.messageId()).startsWith("urn:uuid:");
    assertThat(header.focus()).singleElement().isInstanceOf(SupplyRequest.class);
  }
}
