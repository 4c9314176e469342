package io.seedtrace.server.security;

import io.seedtrace.server.database.SchemaStatements;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
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
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

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

  /**
   * Re-encrypts every stored key under {@code next} in one transaction: all keys or none. A key
   * that already opens with {@code next} (a run cut short by a crash is repeated) is left as it is.
   * Run it with every node stopped; they start again with {@code next} as their key-encryption key.
   *
   * @return the number of keys re-encrypted now
   * @throws IllegalStateException when a stored key opens with neither key (nothing is changed)
   */
  public int rekey(SecretKey next) {
    TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
    return tx.execute(status -> {
      List<String[]> rows = jdbc.query("SELECT name, iv, ciphertext FROM st_key_vault ORDER BY name FOR UPDATE",
          (rs, i) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
      int changed = 0;
      for (String[] row : rows) {
        byte[] iv = decode(row[1]);
        byte[] ciphertext = decode(row[2]);
        if (opens(next, row[0], iv, ciphertext)) {
          continue;
        }
        if (!opens(keyEncryptionKey, row[0], iv, ciphertext)) {
          throw new IllegalStateException("the key '" + row[0] + "' opens with neither the old nor the new"
              + " key-encryption key");
        }
        byte[] secret = crypt(keyEncryptionKey, Cipher.DECRYPT_MODE, row[0], iv, ciphertext);
        byte[] freshIv = new byte[IV_BYTES];
        random.nextBytes(freshIv);
        jdbc.update("UPDATE st_key_vault SET iv = ?, ciphertext = ? WHERE name = ?", encode(freshIv),
            encode(crypt(next, Cipher.ENCRYPT_MODE, row[0], freshIv, secret)), row[0]);
        changed++;
      }
      return changed;
    });
  }

  /** The names of the stored keys. */
  public List<String> names() {
    return jdbc.queryForList("SELECT name FROM st_key_vault ORDER BY name", String.class);
  }

  private boolean opens(SecretKey key, String name, byte[] iv, byte[] ciphertext) {
    try {
      crypt(key, Cipher.DECRYPT_MODE, name, iv, ciphertext);
      return true;
    } catch (IllegalStateException wrongKey) {
      return false;
    }
  }

  private byte[] crypt(int mode, String name, byte[] iv, byte[] input) {
    return crypt(keyEncryptionKey, mode, name, iv, input);
  }

  private static byte[] crypt(SecretKey key, int mode, String name, byte[] iv, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, key, new GCMParameterSpec(128, iv));
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
