package io.seedtrace.server.network;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The patient key the hospital puts in its summaries to the authority: HMAC-SHA256 of the patient's
 * id at the hospital under a key derived from the node's sealing master key. The same patient gets
 * the same key from every node of the hospital (they share the master key), so the authority can
 * tell that two cartridges went to one patient; without the hospital's master key nobody can turn
 * the key back into a patient or test a guessed patient id against it.
 */
public final class PatientPseudonyms {

  private static final String PURPOSE = "seedtrace patient pseudonym v1";
  private final SecretKeySpec key;

  public PatientPseudonyms(SecretKey master) {
    this.key = new SecretKeySpec(hmac(new SecretKeySpec(master.getEncoded(), "HmacSHA256"), PURPOSE), "HmacSHA256");
  }

  /** {@code pk1-} and 32 hex digits (128 bits of the HMAC). */
  public String of(String patientId) {
    return "pk1-" + HexFormat.of().formatHex(hmac(key, patientId), 0, 16);
  }

  private static byte[] hmac(SecretKeySpec key, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
