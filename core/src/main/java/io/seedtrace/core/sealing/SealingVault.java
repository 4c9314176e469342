package io.seedtrace.core.sealing;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Envelope encryption of sealing records. {@link #seal} returns the stored form and a fresh trace
 * key; {@link #open} needs that key; {@link #rotate} (after a malicious hop was seen) re-wraps the
 * record under a new key so the old one no longer opens it.
 *
 * <pre>{@code
 * SealingVault vault = new SealingVault(masterKeyFromKeystore, new SecureRandom());
 * SealingVault.Sealed s = vault.seal("Device/42", recordBytes);   // store s.record(), give s.traceKey()
 * byte[] plain = vault.open(s.record(), TraceKey.parse(typed));
 * }</pre>
 */
public final class SealingVault {

  /** The stored form and the key to hand to the authorised person. */
  public record Sealed(SealedRecord record, TraceKey traceKey) {}

  /** The key does not open the record (wrong, old or mistyped), or the record was tampered with. */
  public static final class RefusedException extends Exception {
    RefusedException(String message) {
      super(message);
    }
  }

  private final SecretKey master;
  private final SecureRandom random;

  public SealingVault(SecretKey master, SecureRandom random) {
    if (master.getEncoded() == null || master.getEncoded().length != 32) {
      throw new IllegalArgumentException("the master key must be a 256-bit key");
    }
    this.master = master;
    this.random = random;
  }

  public Sealed seal(String cartridgeId, byte[] plaintext) {
    try {
      byte[] dataKey = randomBytes(32);
      byte[] iv = randomBytes(12);
      byte[] ciphertext = gcm(Cipher.ENCRYPT_MODE, dataKey, iv, cartridgeId, plaintext);
      TraceKey key = TraceKey.generate(random);
      return new Sealed(wrap(cartridgeId, iv, ciphertext, dataKey, key), key);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("sealing failed: " + e.getMessage(), e);
    }
  }

  /**
   * @throws RefusedException if the key is not the record's current key or the record was altered
   */
  public byte[] open(SealedRecord record, TraceKey key) throws RefusedException {
    byte[] dataKey = unwrap(record, key);
    try {
      return gcm(Cipher.DECRYPT_MODE, dataKey, record.iv(), record.cartridgeId(), record.ciphertext());
    } catch (AEADBadTagException tampered) {
      throw new RefusedException("the sealing record was altered");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A new trace key replaces {@code current}; the returned record no longer opens with it. */
  public Sealed rotate(SealedRecord record, TraceKey current) throws RefusedException {
    byte[] dataKey = unwrap(record, current);
    TraceKey fresh = TraceKey.generate(random);
    try {
      return new Sealed(wrap(record.cartridgeId(), record.iv(), record.ciphertext(), dataKey, fresh), fresh);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Encrypts the patient fields for the chip under the record's data key, so that reading them back
   * needs the current trace key (and the master key) exactly like the stored record.
   *
   * @return a 12-byte IV followed by the ciphertext and its 16-byte tag
   */
  public byte[] encryptForChip(SealedRecord record, TraceKey key, byte[] plaintext) throws RefusedException {
    byte[] dataKey = unwrap(record, key);
    try {
      byte[] iv = randomBytes(12);
      byte[] ciphertext = gcm(Cipher.ENCRYPT_MODE, dataKey, iv, CHIP_AAD + record.cartridgeId(), plaintext);
      byte[] out = new byte[12 + ciphertext.length];
      System.arraycopy(iv, 0, out, 0, 12);
      System.arraycopy(ciphertext, 0, out, 12, ciphertext.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads back what {@link #encryptForChip} wrote. */
  public byte[] decryptFromChip(SealedRecord record, TraceKey key, byte[] protectedFields) throws RefusedException {
    byte[] dataKey = unwrap(record, key);
    if (protectedFields.length < 28) {
      throw new RefusedException("the chip's patient fields are truncated");
    }
    try {
      return gcm(Cipher.DECRYPT_MODE, dataKey, java.util.Arrays.copyOf(protectedFields, 12), CHIP_AAD + record.cartridgeId(),
          java.util.Arrays.copyOfRange(protectedFields, 12, protectedFields.length));
    } catch (AEADBadTagException tampered) {
      throw new RefusedException("the chip's patient fields were altered or belong to another sealing");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final String CHIP_AAD = "chip:";

  private SealedRecord wrap(String cartridgeId, byte[] iv, byte[] ciphertext, byte[] dataKey, TraceKey key)
      throws GeneralSecurityException {
    byte[] wrapIv = randomBytes(12);
    byte[] wrapped = gcm(Cipher.ENCRYPT_MODE, keyEncryptionKey(key), wrapIv, cartridgeId, dataKey);
    return new SealedRecord(cartridgeId, iv, ciphertext, wrapIv, wrapped);
  }

  private byte[] unwrap(SealedRecord record, TraceKey key) throws RefusedException {
    try {
      return gcm(Cipher.DECRYPT_MODE, keyEncryptionKey(key), record.wrapIv(), record.cartridgeId(), record.wrappedDataKey());
    } catch (AEADBadTagException wrongKey) {
      throw new RefusedException("this trace key does not open the sealing record of " + record.cartridgeId());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** KEK = HMAC-SHA256(master, trace key): neither the database with the master key nor the trace key alone opens a record. */
  private byte[] keyEncryptionKey(TraceKey key) throws GeneralSecurityException {
    Mac hmac = Mac.getInstance("HmacSHA256");
    hmac.init(new SecretKeySpec(master.getEncoded(), "HmacSHA256"));
    return hmac.doFinal(key.secret());
  }

  private static byte[] gcm(int mode, byte[] key, byte[] iv, String aad, byte[] input) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
    c.updateAAD(aad.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return c.doFinal(input);
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
