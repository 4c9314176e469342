package io.seedtrace.server.custody;

import io.seedtrace.core.sealing.TraceKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * A trace key made by a rotation, held until an administrator collects it, once. It never appears
 * in a message, a log line or a FHIR resource: it is stored AES-256-GCM encrypted under the
 * keystore's master key (bound to its device and version), and deleted when it is handed out by
 * {@code POST /fhir/Device/{id}/$rotated-trace-key}. Usage:
 * <pre>{@code
 * int version = pending.hold("Device/12", newKey);          // at rotation
 * Optional<Collected> key = pending.collect("Device/12");   // the admin, once; then empty
 * }</pre>
 */
public final class PendingTraceKeys {

  /** A collected key and the version of the record's key it is. */
  public record Collected(int version, TraceKey key) {}

  private final CustodyTables tables;
  private final SecretKey master;
  private final SecureRandom random = new SecureRandom();

  public PendingTraceKeys(CustodyTables tables, SecretKey master) {
    this.tables = tables;
    this.master = master;
  }

  /** Encrypts and stores the key of {@code version}, replacing one not yet collected. */
  public void hold(String deviceId, int version, TraceKey key) {
    byte[] iv = new byte[12];
    random.nextBytes(iv);
    byte[] sealed = crypt(Cipher.ENCRYPT_MODE, iv, deviceId, version,
        key.toString().getBytes(StandardCharsets.US_ASCII));
    tables.holdPendingKey(new CustodyTables.PendingKeyRow(deviceId, version, iv, sealed));
  }

  /** Hands out the held key and forgets it; empty when there is none (or it was collected). */
  public Optional<Collected> collect(String deviceId) {
    return tables.takePendingKey(deviceId).map(row -> new Collected(row.version(), TraceKey.parse(
        new String(crypt(Cipher.DECRYPT_MODE, row.iv(), deviceId, row.version(), row.ciphertext()),
            StandardCharsets.US_ASCII))));
  }

  private byte[] crypt(int mode, byte[] iv, String deviceId, int version, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, master, new GCMParameterSpec(128, iv));
      cipher.updateAAD(("seedtrace pending trace key|" + deviceId + "|" + version).getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("pending trace key of " + deviceId + " cannot be "
          + (mode == Cipher.ENCRYPT_MODE ? "encrypted" : "decrypted"), e);
    }
  }
}
