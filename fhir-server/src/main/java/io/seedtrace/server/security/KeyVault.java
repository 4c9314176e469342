package io.seedtrace.server.security;

import io.seedtrace.server.database.SchemaStatements;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The server's own secret keys (the token signing key, the sealing master key, the hospital's
 * chip-signing key), kept in the shared database ({@code st_key_vault}) so that every node of a
 * cluster uses the same ones: a token signed by one node is accepted by another, and a trace key
 * opens its record on every node. Each key is stored AES-256-GCM encrypted under the key-encryption
 * key from the configuration ({@code seedtrace.security.key-encryption-key}), bound to its name;
 * the database alone opens nothing. The first node to need a key stores it; the others read it.
 */
public final class KeyVault {

  /** The configuration property that holds the key-encryption key (base64 of 32 random bytes). */
  public static final String PROPERTY = "seedtrace.security.key-encryption-key";

  private static final int IV_BYTES = 12;

  private final JdbcTemplate jdbc;
  private final SecretKey keyEncryptionKey;
  private final SecureRandom random = new SecureRandom();

  public KeyVault(DataSource dataSource, SecretKey keyEncryptionKey) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.keyEncryptionKey = keyEncryptionKey;
    SchemaStatements.run(jdbc, "CREATE TABLE IF NOT EXISTS st_key_vault (name VARCHAR(64) PRIMARY KEY,"
        + " iv VARCHAR(32) NOT NULL, ciphertext VARCHAR(16000) NOT NULL, created_at TIMESTAMP NOT NULL)");
  }

  /**
   * Reads a key-encryption key as configured: base64 of exactly 32 bytes ({@code openssl rand -base64 32}).
   *
   * @throws IllegalStateException naming the property when the value is not such a key
   */
  public static SecretKey keyEncryptionKey(String configured) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(configured.trim());
    } catch (IllegalArgumentException notBase64) {
      raw = new byte[0];
    }
    if (raw.length != 32) {
      throw new IllegalStateException(PROPERTY + " must be base64 of 32 random bytes (e.g. openssl rand -base64 32)");
    }
    return new SecretKeySpec(raw, "AES");
  }

  /**
   * The key stored under {@code name}; when there is none yet, {@code initial} is stored (unless
   * another node stored one meanwhile, which then wins) and returned.
   *
   * @throws IllegalStateException when the stored key does not open with this node's key-encryption key
   */
  public byte[] secret(String name, Supplier<byte[]> initial) {
    Optional<byte[]> stored = read(name);
    if (stored.isPresent()) {
      return stored.get();
    }
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    byte[] ciphertext = crypt(Cipher.ENCRYPT_MODE, name, iv, initial.get());
    try {
      jdbc.update("INSERT INTO st_key_vault (name, iv, ciphertext, created_at) VALUES (?, ?, ?, ?)", name,
          encode(iv), encode(ciphertext), Timestamp.from(Instant.now()));
    } catch (DuplicateKeyException storedMeanwhile) {
      // another node was first: its key is the cluster's
    }
    return read(name).orElseThrow();
  }

  private Optional<byte[]> read(String name) {
    return jdbc.query("SELECT iv, ciphertext FROM st_key_vault WHERE name = ?", (rs, i) -> crypt(Cipher.DECRYPT_MODE,
        name, decode(rs.getString(1)), decode(rs.getString(2))), name).stream().findFirst();
  }

  private byte[] crypt(int mode, String name, byte[] iv, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, keyEncryptionKey, new GCMParameterSpec(128, iv));
      cipher.updateAAD(("seedtrace key vault|" + name).getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(input);
    } catch (AEADBadTagException wrongKey) {
      throw new IllegalStateException("the key '" + name + "' in the database does not open with " + PROPERTY
          + ": every node of a cluster needs the same key-encryption key", wrongKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot " + (mode == Cipher.ENCRYPT_MODE ? "encrypt" : "decrypt")
          + " the key '" + name + "'", e);
    }
  }

  private static String encode(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  private static byte[] decode(String s) {
    return Base64.getDecoder().decode(s);
  }
}
