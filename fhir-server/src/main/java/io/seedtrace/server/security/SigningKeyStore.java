package io.seedtrace.server.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.UUID;

/**
 * The embedded issuer's RSA signing key, kept in the data directory so that tokens issued before
 * a restart stay valid after it. The file is created on first start with owner-only permissions.
 * With a {@link KeyVault} (several nodes) the key is the cluster's, kept in the database.
 */
public final class SigningKeyStore {

  /** The key's name in the {@link KeyVault}. */
  static final String VAULT_NAME = "jwt-signing-key";

  private SigningKeyStore() {}

  /**
   * The cluster's signing key from the vault. When the vault has none yet, this node's key goes in:
   * the one in {@code file} if there is one (so its tokens stay valid), else a new one.
   */
  public static RSAKey shared(KeyVault vault, Path file) {
    return shared(vault, file, VAULT_NAME);
  }

  /**
   * Another RSA key of the cluster, kept in the vault under {@code vaultName} (e.g. the network
   * node's message-signing key), seeded from {@code file} the same way as the token signing key.
   */
  public static RSAKey shared(KeyVault vault, Path file, String vaultName) {
    byte[] json = vault.secret(vaultName, () -> initial(file).toJSONString().getBytes(StandardCharsets.UTF_8));
    try {
      return RSAKey.parse(new String(json, StandardCharsets.UTF_8));
    } catch (ParseException e) {
      throw new IllegalStateException("the signing key in the key vault is not a JWK: " + e.getMessage(), e);
    }
  }

  private static RSAKey initial(Path file) {
    if (Files.exists(file)) {
      return loadOrCreate(file);
    }
    try {
      return generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("Cannot generate an RSA signing key", e);
    }
  }

  private static RSAKey generate() throws JOSEException {
    return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
  }

  /**
   * Loads the key from {@code file}, or creates and stores a new 2048-bit RSA key there.
   *
   * @throws IllegalStateException if the file exists but is not a private RSA JWK
   */
  public static RSAKey loadOrCreate(Path file) {
    try {
      if (Files.exists(file)) {
        RSAKey key = RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8));
        if (!key.isPrivate()) {
          throw new IllegalStateException("Signing key file " + file + " holds no private key");
        }
        return key;
      }
      RSAKey key = generate();
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, key.toJSONString(), StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // Windows: rely on the directory's ACLs.
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read or write the signing key " + file, e);
    } catch (ParseException e) {
      throw new IllegalStateException("Signing key file " + file + " is not a JWK: " + e.getMessage(), e);
    } catch (JOSEException e) {
      throw new IllegalStateException("Cannot generate an RSA signing key", e);
    }
  }
}
