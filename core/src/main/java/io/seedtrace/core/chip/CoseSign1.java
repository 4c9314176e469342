package io.seedtrace.core.chip;

import io.seedtrace.core.chip.ChipPayloadException.Reason;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Optional;

/**
 * COSE_Sign1 with ES256 (RFC 9052 section 4.2, RFC 9053 section 2.1): tag 18, an array of the
 * protected header {1: -7, 4: kid}, an empty unprotected header, the payload and a 64-byte r||s
 * signature over {@code ["Signature1", protected, h'', payload]}.
 */
public final class CoseSign1 {

  static final int TAG = 18;
  static final int ALG_ES256 = -7;
  static final int MAX_KID = 32;

  /** Finds the public key registered under a key id (e.g. on the manufacturer's Organization). */
  @FunctionalInterface
  public interface KeyResolver {
    Optional<PublicKey> find(byte[] kid);
  }

  /** A verified message: whose key signed it and what it says. */
  public record Verified(byte[] kid, byte[] payload) {}

  private CoseSign1() {}

  public static byte[] sign(byte[] payload, byte[] kid, PrivateKey key) {
    if (kid.length == 0 || kid.length > MAX_KID) {
      throw new IllegalArgumentException("kid must be 1-" + MAX_KID + " bytes");
    }
    byte[] protectedHeader = new CborWriter().map(2).uint(1).integer(ALG_ES256).uint(4).bytes(kid).toBytes();
    byte[] signature;
    try {
      Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
      es256.initSign(key);
      es256.update(toBeSigned(protectedHeader, payload));
      signature = es256.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ES256 signing failed: " + e.getMessage(), e);
    }
    return new CborWriter().tag(TAG).array(4).bytes(protectedHeader).map(0).bytes(payload).bytes(signature).toBytes();
  }

  /**
   * Reads one COSE_Sign1 from {@code reader} and verifies it.
   *
   * @throws ChipPayloadException if it is malformed, signed by an unknown key or the signature fails
   */
  static Verified verify(CborReader reader, int maxPayload, KeyResolver keys) throws ChipPayloadException {
    Parsed m = parse(reader, maxPayload);
    byte[] kid = m.kid();
    byte[] protectedHeader = m.protectedHeader();
    byte[] payload = m.payload();
    byte[] signature = m.signature();
    PublicKey key = keys.find(kid).orElseThrow(() ->
        new ChipPayloadException(Reason.UNKNOWN_KEY, "no registered key with id " + hex(kid)));
    if (signature.length != 64) {
      throw new ChipPayloadException(Reason.BAD_SIGNATURE, "ES256 signature must be 64 bytes, got " + signature.length);
    }
    try {
      if (!es256Verifies(key, protectedHeader, payload, signature)) {
        throw new ChipPayloadException(Reason.BAD_SIGNATURE, "signature does not verify with key " + hex(kid));
      }
    } catch (GeneralSecurityException e) {
      throw new ChipPayloadException(Reason.BAD_SIGNATURE, "signature check failed: " + e.getMessage());
    }
    return new Verified(kid, payload);
  }

  /**
   * Whether {@code signature} (r || s) is the ES256 signature by {@code key} of the Sig_structure
   * {@code ["Signature1", protectedHeader, h'', payload]} (RFC 9052 section 4.4, no external data).
   */
  static boolean es256Verifies(PublicKey key, byte[] protectedHeader, byte[] payload, byte[] signature)
      throws GeneralSecurityException {
    Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
    es256.initVerify(key);
    es256.update(toBeSigned(protectedHeader, payload));
    return es256.verify(signature);
  }

  /** A structurally valid COSE_Sign1 whose signature is not checked yet. */
  record Parsed(byte[] protectedHeader, byte[] kid, byte[] payload, byte[] signature) {}

  /** Reads one COSE_Sign1 and its protected header, without checking the signature. */
  static Parsed parse(CborReader reader, int maxPayload) throws ChipPayloadException {
    if (reader.tag() != TAG) {
      throw new ChipPayloadException(Reason.MALFORMED, "not a COSE_Sign1 (tag 18)");
    }
    reader.array(4, 4);
    byte[] protectedHeader = reader.bytes(64);
    if (reader.mapCount() != 0) {
      throw new ChipPayloadException(Reason.MALFORMED, "unprotected header must be empty");
    }
    byte[] payload = reader.bytes(maxPayload);
    byte[] signature = reader.bytes(64);
    CborReader header = new CborReader(protectedHeader);
    if (header.mapCount() != 2 || header.uint() != 1 || header.integer() != ALG_ES256) {
      throw new ChipPayloadException(Reason.MALFORMED, "protected header must be {1: -7 (ES256), 4: kid}");
    }
    if (header.uint() != 4) {
      throw new ChipPayloadException(Reason.MALFORMED, "protected header lacks the kid");
    }
    byte[] kid = header.bytes(MAX_KID);
    if (kid.length == 0) {
      throw new ChipPayloadException(Reason.MALFORMED, "empty kid in the protected header");
    }
    if (!header.atEnd()) {
      throw new ChipPayloadException(Reason.TRAILING_BYTES, "bytes after the protected header");
    }
    return new Parsed(protectedHeader, kid, payload, signature);
  }

  /** The Sig_structure for COSE_Sign1 with empty external data (RFC 9052 section 4.4). */
  static byte[] toBeSigned(byte[] protectedHeader, byte[] payload) {
    return new CborWriter().array(4).text("Signature1").bytes(protectedHeader).bytes(new byte[0]).bytes(payload).toBytes();
  }

  static String hex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (byte x : b) {
      s.append(String.format("%02x", x));
    }
    return s.toString();
  }
}
