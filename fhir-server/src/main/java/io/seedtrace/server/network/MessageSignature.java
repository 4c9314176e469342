package io.seedtrace.server.network;

import ca.uhn.fhir.context.FhirContext;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Date;
import java.util.Optional;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Signature;

/**
 * The sender's signature of a custody message: a JWS (RS256, RFC 7515) with a detached payload,
 * carried base64-encoded in {@code Bundle.signature.data} with {@code sigFormat application/jose}.
 *
 * <p>The payload is the bundle's canonical form: the bundle without its {@code signature} element,
 * serialised by HAPI FHIR's JSON encoder without whitespace (elements in the order of the FHIR
 * specification, whatever their order in the received text). Sender and receiver both take it from
 * the bundle as parsed, so pretty-printing or reordering in transit does not matter, while a change
 * of any value does. Usage:
 * <pre>{@code
 * MessageSignature.sign(bundle, nodeKey, "HOSP-001");
 * MessageSignature.verify(received, kid -> peerKeys.find(sender, kid));  // empty: valid
 * }</pre>
 */
public final class MessageSignature {

  /** ASTM E1762-95 "Author's Signature", the usual FHIR signature type. */
  static final Coding AUTHOR = new Coding("urn:iso-astm:E1762-95:2013", "1.2.840.10065.1.12.1.1", "Author's Signature");
  static final String FORMAT = "application/jose";
  static final JOSEObjectType TYPE = new JOSEObjectType("seedtrace-custody-message+jws");

  private MessageSignature() {}

  /** The bytes that are signed: the bundle without signature, compact HAPI JSON. */
  public static byte[] canonical(Bundle bundle) {
    Bundle copy = bundle.copy();
    copy.setSignature(null);
    return FhirContext.forR4Cached().newJsonParser().setPrettyPrint(false).encodeResourceToString(copy)
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Signs the bundle as the node of organisation {@code organizationId}, replacing any signature.
   * The bundle is first brought to its parsed form, so the receiver computes the same bytes.
   */
  public static Bundle sign(Bundle bundle, RSAKey key, String organizationId) {
    FhirContext fhir = FhirContext.forR4Cached();
    Bundle parsed = fhir.newJsonParser().parseResource(Bundle.class, fhir.newJsonParser().encodeResourceToString(bundle));
    parsed.setSignature(null);
    try {
      JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(TYPE).build(),
          new Payload(canonical(parsed)));
      jws.sign(new RSASSASigner(key));
      Signature signature = parsed.getSignature();
      signature.addType(AUTHOR.copy());
      signature.setWhen(new Date());
      signature.setWho(new Reference().setIdentifier(new Identifier().setSystem(CustodyMessages.SID_ORGANIZATION)
          .setValue(organizationId)));
      signature.setSigFormat(FORMAT);
      signature.setData(jws.serialize(true).getBytes(StandardCharsets.US_ASCII));
      return parsed;
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign the custody message: " + e.getMessage(), e);
    }
  }

  /**
   * Checks the signature with the key the JWS names ({@code kid}), looked up among the sender's
   * keys. Returns why the signature is not valid, or empty when it is.
   */
  public static Optional<String> verify(Bundle bundle, Function<String, Optional<JWK>> keys) {
    if (!bundle.hasSignature() || !bundle.getSignature().hasData()) {
      return Optional.of("the message carries no signature (Bundle.signature.data)");
    }
    if (!FORMAT.equals(bundle.getSignature().getSigFormat())) {
      return Optional.of("Bundle.signature.sigFormat must be " + FORMAT);
    }
    try {
      JWSObject jws = JWSObject.parse(new String(bundle.getSignature().getData(), StandardCharsets.US_ASCII),
          new Payload(canonical(bundle)));
      if (!JWSAlgorithm.RS256.equals(jws.getHeader().getAlgorithm())) {
        return Optional.of("the signature must be RS256, not " + jws.getHeader().getAlgorithm());
      }
      Optional<JWK> key = Optional.ofNullable(jws.getHeader().getKeyID()).flatMap(keys);
      if (key.isEmpty() || !(key.get() instanceof RSAKey rsa)) {
        return Optional.of("the signing key '" + jws.getHeader().getKeyID() + "' is not among the sender's keys");
      }
      return jws.verify(new RSASSAVerifier(rsa.toRSAPublicKey())) ? Optional.empty()
          : Optional.of("the signature does not match the message: it was changed after signing or signed by another key");
    } catch (ParseException e) {
      return Optional.of("Bundle.signature.data is not a JWS: " + e.getMessage());
    } catch (JOSEException e) {
      return Optional.of("the signature cannot be checked: " + e.getMessage());
    }
  }
}
