package io.seedtrace.core.chip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.authlete.cbor.CBORByteArray;
import com.authlete.cbor.CBORDecoder;
import com.authlete.cbor.CBORDecoderOptions;
import com.authlete.cbor.CBORItem;
import com.authlete.cbor.CBORItemList;
import com.authlete.cbor.CBORPairList;
import com.authlete.cbor.CBORTaggedItem;
import com.authlete.cbor.CBORizer;
import com.authlete.cose.COSEEC2Key;
import com.authlete.cose.COSEException;
import com.authlete.cose.COSEKeyBuilder;
import com.authlete.cose.COSEProtectedHeader;
import com.authlete.cose.COSEProtectedHeaderBuilder;
import com.authlete.cose.COSESign1;
import com.authlete.cose.COSESign1Builder;
import com.authlete.cose.COSESigner;
import com.authlete.cose.COSEUnprotectedHeaderBuilder;
import com.authlete.cose.COSEVerifier;
import com.authlete.cose.SigStructure;
import com.authlete.cose.SigStructureBuilder;
import com.authlete.cose.constants.COSEAlgorithms;
import io.seedtrace.core.chip.ChipPayloadException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * COSE_Sign1 interoperability of the chip format (docs/chip-format.md) with an independent COSE
 * implementation, Authlete's {@code com.authlete:cbor} (CBOR and COSE, RFC 9052/9053), and with the
 * COSE working group's published COSE_Sign1 examples (github.com/cose-wg/Examples).
 *
 * <p>All of it uses the working group's ES256 key "11" (RFC 9052 appendix C.7.1/C.7.2; the
 * Examples' {@code sign1-tests/*.json} carry it as a JWK), built into Java keys by Authlete's COSE
 * key model, not by our code.
 */
class CoseInteropTest {

  /** Key "11" of RFC 9052 C.7.2 and cose-wg/Examples sign1-tests, as base64url JWK coordinates. */
  static final String WG_X = "usWxHK2PmfnHKwXPS54m0kTcGJ90UiglWiGahtagnv8";
  static final String WG_Y = "IBOL-C3BttVivg-lSreASjpkttcsz-1rb7btKLv8EX4";
  static final String WG_D = "V8kgd2ZBRuh2dgyVINBUqpPDr7BOMGcF22CQMIUHtNM";
  static final byte[] KID = "MFR-001-2026".getBytes(StandardCharsets.US_ASCII);
  static final byte[] HOSP_KID = "HOSP-001".getBytes(StandardCharsets.US_ASCII);

  static PublicKey wgPublic;
  static PrivateKey wgPrivate;
  static PublicKey otherPublic;

  @BeforeAll
  static void keys() throws Exception {
    COSEEC2Key key = (COSEEC2Key) new COSEKeyBuilder().ktyEC2().ec2CrvP256().kid("11").ec2XInBase64Url(WG_X)
        .ec2YInBase64Url(WG_Y).ec2DInBase64Url(WG_D).buildEC2Key();
    wgPublic = key.toECPublicKey();
    wgPrivate = key.toECPrivateKey();
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    otherPublic = g.generateKeyPair().getPublic();
  }

  static CoseSign1.KeyResolver wgKeyAs(byte[] kid) {
    return k -> Arrays.equals(k, kid) ? Optional.of(wgPublic) : Optional.empty();
  }

  // ---- theirs decodes and verifies here ----

  /**
   * A chip whose blocks are encoded and signed by Authlete (its CBOR encoder for the block maps,
   * its COSE_Sign1 builder and signer for the envelope) decodes and verifies here, field by field.
   */
  @Test
  void aChipEncodedAndSignedByAuthleteDecodesAndVerifiesHere() throws Exception {
    InitialBlock block = ChipPayloadCodecTest.block(60);
    Map<Object, Object> fields = new LinkedHashMap<>();
    fields.put(1, block.cartridgeSerial());
    fields.put(2, block.udi().orElseThrow());
    fields.put(3, block.manufacturer());
    fields.put(4, block.productName());
    fields.put(5, block.model());
    fields.put(6, block.seedCount());
    fields.put(7, block.totalActivityKbq());
    fields.put(8, block.calibrationTime().getEpochSecond());
    fields.put(9, block.seedActivityKbq());
    fields.put(10, block.lot());
    fields.put(11, block.expiry().toEpochDay());
    byte[] initialPayload = new CBORizer().cborizeMap(fields).encode();
    // the same bytes as ours: both write deterministic CBOR
    assertThat(initialPayload).isEqualTo(ChipPayloadCodec.initialPayload(block));

    byte[] initialSign1 = authleteSign1(initialPayload, KID);
    byte[] chip = new CborWriter().array(2).uint(1).raw(initialSign1).toBytes();
    ChipPayloadCodec.Decoded decoded = ChipPayloadCodec.decode(chip, wgKeyAs(KID));
    assertThat(decoded.initial()).isEqualTo(block);
    assertThat(decoded.manufacturerKid()).isEqualTo(KID);

    SealingBlock sealing = ChipDecoderAdversarialTest.sealingBlock();
    Map<Object, Object> sealed = new LinkedHashMap<>();
    sealed.put(1, sealing.cartridgeSerial());
    sealed.put(2, sealing.hospital());
    sealed.put(3, sealing.department());
    sealed.put(4, sealing.doctor());
    sealed.put(5, sealing.surgicalDepartment());
    sealed.put(6, sealing.surgeryTime().getEpochSecond());
    sealed.put(7, sealing.remainingCount());
    sealed.put(8, sealing.remainingActivityKbq());
    sealed.put(9, sealing.protectedPatientFields());
    byte[] sealingSign1 = authleteSign1(new CBORizer().cborizeMap(sealed).encode(), HOSP_KID);
    byte[] sealedChip = new CborWriter().array(3).uint(1).raw(initialSign1).raw(sealingSign1).toBytes();
    ChipPayloadCodec.Decoded both = ChipPayloadCodec.decode(sealedChip, wgKeyAs(KID), wgKeyAs(HOSP_KID));
    assertThat(both.initial()).isEqualTo(block);
    SealingBlock read = both.sealing().orElseThrow();
    assertThat(read.hospital()).isEqualTo(sealing.hospital());
    assertThat(read.surgeryTime()).isEqualTo(sealing.surgeryTime());
    assertThat(read.remainingCount()).isEqualTo(sealing.remainingCount());
    assertThat(read.protectedPatientFields()).isEqualTo(sealing.protectedPatientFields());
    assertThat(both.hospitalKid()).contains(HOSP_KID);
  }

  /** What Authlete signs with another key, or over other bytes, is refused here. */
  @Test
  void anAuthleteSignatureByAnotherKeyOrOverOtherBytesIsRefusedHere() throws Exception {
    byte[] payload = ChipPayloadCodec.initialPayload(ChipPayloadCodecTest.block(20));
    byte[] chip = new CborWriter().array(2).uint(1).raw(authleteSign1(payload, KID)).toBytes();
    assertThatThrownBy(() -> ChipPayloadCodec.decode(chip, k -> Optional.of(otherPublic)))
        .isInstanceOfSatisfying(ChipPayloadException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
    byte[] tampered = chip.clone();
    tampered[ChipDecoderAdversarialTest.indexOf(tampered, "CART".getBytes(StandardCharsets.US_ASCII))] = 'K';
    assertThatThrownBy(() -> ChipPayloadCodec.decode(tampered, wgKeyAs(KID)))
        .isInstanceOfSatisfying(ChipPayloadException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
  }

  // ---- ours verifies there ----

  /**
   * A chip made here (initial and sealing blocks): Authlete reads each COSE_Sign1, finds alg ES256
   * and the kid in the protected header and nothing unprotected, and verifies the signature; an
   * independent ECDSA (Bouncy Castle's provider) verifies it over Authlete's Sig_structure; the
   * payload decodes in Authlete's CBOR decoder to the block's fields.
   */
  @Test
  void aChipMadeHereVerifiesWithAuthleteAndBouncyCastle() throws Exception {
    byte[] chip = ChipPayloadCodec.encode(ChipPayloadCodecTest.block(60), KID, wgPrivate);
    byte[] sealed = ChipPayloadCodec.seal(chip, ChipDecoderAdversarialTest.sealingBlock(), HOSP_KID, wgPrivate);

    List<? extends CBORItem> parts = ((CBORItemList) new CBORDecoder(sealed).next()).getItems();
    assertThat(parts).hasSize(3);
    assertThat(parts.get(0).parse()).isEqualTo(1);
    for (int i = 1; i <= 2; i++) {
      CBORTaggedItem tagged = (CBORTaggedItem) parts.get(i);
      assertThat(tagged.getTagNumber().intValue()).isEqualTo(18);
      COSESign1 sign1 = (COSESign1) tagged.getTagContent();
      COSEProtectedHeader header = sign1.getProtectedHeader();
      assertThat(header.getAlg()).isEqualTo(COSEAlgorithms.ES256);
      assertThat(header.getKid()).isEqualTo(i == 1 ? KID : HOSP_KID);
      assertThat(sign1.getUnprotectedHeader().getPairs()).isEmpty();
      assertThat(new COSEVerifier(wgPublic).verify(sign1)).as("Authlete verifies block " + i).isTrue();

      SigStructure toBeSigned = new SigStructureBuilder().sign1(sign1).build();
      Signature bc = Signature.getInstance("SHA256withPLAIN-ECDSA", new BouncyCastleProvider());
      bc.initVerify(wgPublic);
      bc.update(toBeSigned.encode());
      assertThat(bc.verify(sign1.getSignature().getValue())).as("Bouncy Castle verifies block " + i).isTrue();
    }

    COSESign1 initial = (COSESign1) ((CBORTaggedItem) parts.get(1)).getTagContent();
    byte[] payload = ((CBORByteArray) initial.getPayload()).getValue();
    Map<Object, Object> fields = ((CBORPairList) new CBORDecoder(payload).next()).parse();
    // 2026-11-20T08:00:00Z is 1795161600 (h'6afffe00'), 2027-01-31 is day 20849
    assertThat(fields).containsEntry(1, "CART-2026-000123").containsEntry(6, 60).containsEntry(7, 888_000)
        .containsEntry(8, 1_795_161_600).containsEntry(10, "LOT-2611-07").containsEntry(11, 20_849).hasSize(11);
  }

  /** Authlete's verification is not vacuous: another key, or one changed payload byte, fails there. */
  @Test
  void authleteRefusesAChipMadeHereWhenChangedOrCheckedWithAnotherKey() throws Exception {
    byte[] chip = ChipPayloadCodec.encode(ChipPayloadCodecTest.block(60), KID, wgPrivate);
    COSESign1 sign1 = sign1Of(chip);
    assertThat(new COSEVerifier(otherPublic).verify(sign1)).isFalse();
    byte[] tampered = chip.clone();
    tampered[ChipDecoderAdversarialTest.indexOf(tampered, "LOT-2611-07".getBytes(StandardCharsets.US_ASCII))] = 'X';
    assertThat(new COSEVerifier(wgPublic).verify(sign1Of(tampered))).isFalse();
  }

  // ---- the working group's COSE_Sign1 examples ----

  /**
   * cose-wg/Examples (commit 53c9d63, March 2024), every COSE_Sign1 example with ES256: the
   * message ({@code output.cbor}) and, where the message is the one signed, the Sig_structure
   * ({@code intermediates.ToBeSign_hex}). All are signed with key "11" over "This is the content.".
   *
   * <p>What applies to our profile is the ES256 signature over the Sig_structure: our Sig_structure
   * must be byte for byte the working group's, and our ES256 check must accept exactly the examples
   * whose signature is intact. The examples' headers are outside our profile (the kid is
   * unprotected, an example is untagged or wrongly tagged), so the chip decoder refuses every one of
   * them as MALFORMED. sign-pass-02 signs external data, which our profile never uses, so our check
   * (with empty external data) must not accept it while Authlete's, given the data, does.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
      // example, expected, Sig_structure ('-' where the message was changed after signing), message
      "sign1-tests/sign-pass-01,     EMPTY_PROTECTED, -, "
          + "D28441A0A201260442313154546869732069732074686520636F6E74656E742E584087DB0D2E5571843B78AC33ECB2830DF7B6E0A4D5B7376DE336B23C591C90C425317E56127FBE04370097CE347087B233BF722B64072BEB4486BDA4031D27244F",
      "sign1-tests/sign-pass-02,     NEEDS_EXTERNAL_DATA, -, "
          + "D28443A10126A10442313154546869732069732074686520636F6E74656E742E584010729CD711CB3813D8D8E944A8DA7111E7B258C9BDCA6135F7AE1ADBEE9509891267837E1E33BD36C150326AE62755C6BD8E540C3E8F92D7D225E8DB72B8820B",
      "sign1-tests/sign-pass-03,     VERIFIES, 846A5369676E61747572653143A101264054546869732069732074686520636F6E74656E742E, "
          + "8443A10126A10442313154546869732069732074686520636F6E74656E742E58408EB33E4CA31D1C465AB05AAC34CC6B23D58FEF5C083106C4D25A91AEF0B0117E2AF9A291AA32E14AB834DC56ED2A223444547E01F11D3B0916E5A4C345CACB36",
      "ecdsa-examples/ecdsa-sig-01,  VERIFIES, 846A5369676E61747572653145A2012603004054546869732069732074686520636F6E74656E742E, "
          + "D28445A201260300A10442313154546869732069732074686520636F6E74656E742E58406520BBAF2081D7E0ED0F95F76EB0733D667005F7467CEC4B87B9381A6BA1EDE8E00DF29F32A37230F39A842A54821FDD223092819D7728EFB9D3A0080B75380B",
      "sign1-tests/sign-fail-01 (tag 998), VERIFIES, 846A5369676E61747572653143A101264054546869732069732074686520636F6E74656E742E, "
          + "D903E68443A10126A10442313154546869732069732074686520636F6E74656E742E58408EB33E4CA31D1C465AB05AAC34CC6B23D58FEF5C083106C4D25A91AEF0B0117E2AF9A291AA32E14AB834DC56ED2A223444547E01F11D3B0916E5A4C345CACB36",
      "sign1-tests/sign-fail-02 (payload changed), FAILS, -, "
          + "D28443A10126A10442313154546869732069732074686520636F6E74656E742F58408EB33E4CA31D1C465AB05AAC34CC6B23D58FEF5C083106C4D25A91AEF0B0117E2AF9A291AA32E14AB834DC56ED2A223444547E01F11D3B0916E5A4C345CACB36",
      "sign1-tests/sign-fail-03 (alg -999), FAILS, -, "
          + "D28445A1013903E6A10442313154546869732069732074686520636F6E74656E742E58408EB33E4CA31D1C465AB05AAC34CC6B23D58FEF5C083106C4D25A91AEF0B0117E2AF9A291AA32E14AB834DC56ED2A223444547E01F11D3B0916E5A4C345CACB36",
      "sign1-tests/sign-fail-04 (alg 'unknown'), FAILS, -, "
          + "D2844AA10167756E6B6E6F776EA10442313154546869732069732074686520636F6E74656E742E58408EB33E4CA31D1C465AB05AAC34CC6B23D58FEF5C083106C4D25A91AEF0B0117E2AF9A291AA32E14AB834DC56ED2A223444547E01F11D3B0916E5A4C345CACB36",
      "sign1-tests/sign-fail-06 (protected parameter added), FAILS, -, "
          + "D28445A201260300A10442313154546869732069732074686520636F6E74656E742E58408EB33E4CA31D1C465AB05AAC34CC6B23D58FEF5C083106C4D25A91AEF0B0117E2AF9A291AA32E14AB834DC56ED2A223444547E01F11D3B0916E5A4C345CACB36",
      "sign1-tests/sign-fail-07 (protected parameter removed), FAILS, -, "
          + "D28443A10126A10442313154546869732069732074686520636F6E74656E742E58406520BBAF2081D7E0ED0F95F76EB0733D667005F7467CEC4B87B9381A6BA1EDE8E00DF29F32A37230F39A842A54821FDD223092819D7728EFB9D3A0080B75380B",
  })
  void theWorkingGroupsSign1Examples(String example, String expected, String sigStructure, String message)
      throws Exception {
    byte[] cose = HexFormat.of().parseHex(message);
    List<? extends CBORItem> parts = untagged(cose);
    byte[] protectedHeader = ((CBORByteArray) parts.get(0)).getValue();
    byte[] payload = ((CBORByteArray) parts.get(2)).getValue();
    byte[] signature = ((CBORByteArray) parts.get(3)).getValue();
    assertThat(new String(payload, StandardCharsets.UTF_8)).startsWith("This is the content");

    if (!sigStructure.equals("-")) {
      assertThat(HexFormat.of().withUpperCase().formatHex(CoseSign1.toBeSigned(protectedHeader, payload)))
          .as("our Sig_structure").isEqualTo(sigStructure);
    }
    boolean ours = CoseSign1.es256Verifies(wgPublic, protectedHeader, payload, signature);
    COSESign1 theirs = COSESign1.build(new CBORItemList(parts));
    switch (expected) {
      case "VERIFIES" -> {
        assertThat(ours).as("our ES256 check").isTrue();
        assertThat(new COSEVerifier(wgPublic).verify(theirs)).as("Authlete").isTrue();
      }
      case "EMPTY_PROTECTED" -> {
        // the message carries h'a0' (an empty map); RFC 9052 4.4 signs an empty protected header
        // as h''. Our profile always has {1: -7, 4: kid} there, so we never take that branch.
        assertThat(protectedHeader).containsExactly(0xA0);
        assertThat(HexFormat.of().withUpperCase().formatHex(CoseSign1.toBeSigned(new byte[0], payload)))
            .as("our Sig_structure for an empty protected header")
            .isEqualTo("846A5369676E617475726531404054546869732069732074686520636F6E74656E742E");
        assertThat(CoseSign1.es256Verifies(wgPublic, new byte[0], payload, signature)).as("our ES256 check").isTrue();
        assertThat(new COSEVerifier(wgPublic).verify(theirs)).as("Authlete").isTrue();
      }
      case "NEEDS_EXTERNAL_DATA" -> {
        assertThat(ours).as("our ES256 check, without the external data").isFalse();
        byte[] external = HexFormat.of().parseHex("11aa22bb33cc44dd55006699");
        assertThat(new COSEVerifier(wgPublic).verify(theirs, external)).as("Authlete, with it").isTrue();
      }
      default -> {
        assertThat(ours).as("our ES256 check").isFalse();
        assertThat(authleteVerifies(theirs)).as("Authlete").isFalse();
      }
    }

    byte[] chip = new CborWriter().array(2).uint(1).raw(cose).toBytes();
    assertThatThrownBy(() -> ChipPayloadCodec.decode(chip, k -> Optional.of(wgPublic)))
        .as("outside the chip profile").isInstanceOfSatisfying(ChipPayloadException.class,
            e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(Reason.MALFORMED));
  }

  // ---- helpers ----

  /** A tagged COSE_Sign1 by Authlete: protected {1: -7, 4: kid}, unprotected {}, ES256 by key "11". */
  static byte[] authleteSign1(byte[] payload, byte[] kid) throws COSEException {
    COSEProtectedHeader protectedHeader = new COSEProtectedHeaderBuilder().alg(COSEAlgorithms.ES256).kid(kid).build();
    SigStructure toBeSigned = new SigStructureBuilder().signature1().bodyAttributes(protectedHeader)
        .payload(payload).build();
    byte[] signature = new COSESigner(wgPrivate).sign(toBeSigned, COSEAlgorithms.ES256);
    COSESign1 sign1 = new COSESign1Builder().protectedHeader(protectedHeader)
        .unprotectedHeader(new COSEUnprotectedHeaderBuilder().build()).payload(payload).signature(signature).build();
    return sign1.getTagged().encode();
  }

  /** The (first) COSE_Sign1 of a chip, as Authlete reads it. */
  static COSESign1 sign1Of(byte[] chip) throws Exception {
    List<? extends CBORItem> parts = ((CBORItemList) new CBORDecoder(chip).next()).getItems();
    return (COSESign1) ((CBORTaggedItem) parts.get(1)).getTagContent();
  }

  /** The four elements of a COSE_Sign1 message, tagged with any tag or untagged. */
  static List<? extends CBORItem> untagged(byte[] cose) throws Exception {
    CBORItem item = new CBORDecoder(cose, new CBORDecoderOptions()).next();
    if (item instanceof CBORTaggedItem tagged) {
      item = tagged.getTagContent();
    }
    List<? extends CBORItem> parts = ((CBORItemList) item).getItems();
    assertThat(parts).hasSize(4);
    return parts;
  }

  static boolean authleteVerifies(COSESign1 sign1) {
    try {
      return new COSEVerifier(wgPublic).verify(sign1);
    } catch (COSEException unsupported) {
      return false; // e.g. alg -999 or "unknown": no key or algorithm to verify with
    }
  }
}
