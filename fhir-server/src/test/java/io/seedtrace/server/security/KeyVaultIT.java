package io.seedtrace.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.RSAKey;
import io.seedtrace.server.custody.CustodyKeys;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Keys shared by the nodes of a cluster through one PostgreSQL database: nodes with the same
 * key-encryption key end up with the same signing and sealing keys (also when they start at the
 * same moment); a node that already has keys brings them in, so what it signed and sealed stays
 * valid; a node with another key-encryption key does not start; the database holds no key in clear.
 */
class KeyVaultIT {

  static final EmbeddedPostgres POSTGRES = start();
  static final String KEK = newKeyEncryptionKey();
  static final char[] PASSWORD = "keystore-password".toCharArray();

  DataSource db;

  @BeforeEach
  void emptyVault() {
    db = POSTGRES.getPostgresDatabase();
    new JdbcTemplate(db).execute("DROP TABLE IF EXISTS st_key_vault");
  }

  static KeyVault node(DataSource db, String kek) {
    return new KeyVault(db, KeyVault.keyEncryptionKey(kek));
  }

  @Test
  void nodesStartingTogetherEndUpWithTheSameKeys(@TempDir Path a, @TempDir Path b) throws Exception {
    ExecutorService starts = Executors.newFixedThreadPool(2);
    try {
      Callable<Object[]> startA = () -> keysOf(node(db, KEK), a);
      Callable<Object[]> startB = () -> keysOf(node(db, KEK), b);
      List<Future<Object[]>> started = starts.invokeAll(List.of(startA, startB));
      Object[] keysA = started.get(0).get();
      Object[] keysB = started.get(1).get();
      assertThat(((RSAKey) keysB[0]).toJSONString()).isEqualTo(((RSAKey) keysA[0]).toJSONString());
      CustodyKeys custodyA = (CustodyKeys) keysA[1];
      CustodyKeys custodyB = (CustodyKeys) keysB[1];
      assertThat(custodyB.master().getEncoded()).isEqualTo(custodyA.master().getEncoded());
      assertThat(custodyB.hospitalPublicKeyBase64()).isEqualTo(custodyA.hospitalPublicKeyBase64());
      assertThat(custodyB.hospitalPrivateKey().getEncoded()).isEqualTo(custodyA.hospitalPrivateKey().getEncoded());
      assertThat(a.resolve("sealing.p12")).as("no key file in cluster mode").doesNotExist();
    } finally {
      starts.shutdownNow();
    }
  }

  @Test
  void aNodeThatHasKeysAlreadyBringsThemIntoTheVault(@TempDir Path dir) {
    RSAKey signing = SigningKeyStore.loadOrCreate(dir.resolve("jwt-signing-key.json"));
    CustodyKeys sealing = CustodyKeys.loadOrCreate(dir.resolve("sealing.p12"), PASSWORD);

    Object[] shared = keysOf(node(db, KEK), dir);
    assertThat(((RSAKey) shared[0]).toJSONString()).as("its tokens stay valid").isEqualTo(signing.toJSONString());
    assertThat(((CustodyKeys) shared[1]).master().getEncoded()).as("its sealing records stay readable")
        .isEqualTo(sealing.master().getEncoded());
  }

  @Test
  void aNodeWithAnotherKeyEncryptionKeyDoesNotStartAndTheDatabaseHoldsNoKeyInClear(@TempDir Path a,
      @TempDir Path b) {
    Object[] keys = keysOf(node(db, KEK), a);
    assertThatThrownBy(() -> keysOf(node(db, newKeyEncryptionKey()), b)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(KeyVault.PROPERTY);

    String stored = String.join(" ", new JdbcTemplate(db).queryForList("SELECT ciphertext FROM st_key_vault",
        String.class));
    RSAKey signing = (RSAKey) keys[0];
    CustodyKeys custody = (CustodyKeys) keys[1];
    assertThat(stored).doesNotContain(signing.getPrivateExponent().toString())
        .doesNotContain(Base64.getEncoder().encodeToString(custody.master().getEncoded()))
        .doesNotContain(Base64.getEncoder().encodeToString(custody.hospitalPrivateKey().getEncoded()));
  }

  @Test
  void theKeyEncryptionKeyChangesWithEveryKeyKeptAndNothingChangedOnAWrongOldKey(@TempDir Path a, @TempDir Path b,
      @TempDir Path c) {
    Object[] before = keysOf(node(db, KEK), a);
    String url = POSTGRES.getJdbcUrl("postgres", "postgres");
    List<String> stored = new JdbcTemplate(db).queryForList("SELECT ciphertext FROM st_key_vault ORDER BY name",
        String.class);
    String next = newKeyEncryptionKey();

    String[] wrongOld = rekey(url, newKeyEncryptionKey(), next, 3);
    assertThat(wrongOld[1]).contains("nothing changed", "opens with neither");
    assertThat(new JdbcTemplate(db).queryForList("SELECT ciphertext FROM st_key_vault ORDER BY name", String.class))
        .isEqualTo(stored);

    String[] done = rekey(url, KEK, next, 0);
    assertThat(done[0]).contains("3 of 3 keys re-encrypted");
    Object[] after = keysOf(node(db, next), b);
    assertThat(((RSAKey) after[0]).toJSONString()).as("tokens stay valid").isEqualTo(((RSAKey) before[0]).toJSONString());
    assertThat(((CustodyKeys) after[1]).master().getEncoded()).as("sealing records still open")
        .isEqualTo(((CustodyKeys) before[1]).master().getEncoded());
    assertThat(((CustodyKeys) after[1]).hospitalPrivateKey().getEncoded())
        .isEqualTo(((CustodyKeys) before[1]).hospitalPrivateKey().getEncoded());
    assertThatThrownBy(() -> keysOf(node(db, KEK), c)).as("the old key opens nothing any more")
        .isInstanceOf(IllegalStateException.class);

    assertThat(rekey(url, KEK, next, 0)[0]).as("run again").contains("0 of 3 keys re-encrypted");
  }

  /** Runs {@code keys rekey} as the jar does; returns its output and error text. */
  private static String[] rekey(String url, String oldKek, String newKek, int expectedExit) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int exit = io.seedtrace.server.cli.KeysCommand.run(List.of("rekey", "--database-url", url, "--database-user",
        "postgres"), java.util.Map.of("SEEDTRACE_OLD_KEY_ENCRYPTION_KEY", oldKek, "SEEDTRACE_NEW_KEY_ENCRYPTION_KEY",
        newKek), new java.io.PrintStream(out, true), new java.io.PrintStream(err, true));
    String[] texts = {out.toString(), err.toString()};
    assertThat(exit).as(texts[1]).isEqualTo(expectedExit);
    return texts;
  }

  @Test
  void aKeyEncryptionKeyMustBe32Bytes() {
    assertThatThrownBy(() -> KeyVault.keyEncryptionKey("c2hvcnQ=")).hasMessageContaining("32 random bytes");
    assertThatThrownBy(() -> KeyVault.keyEncryptionKey("not base64!")).hasMessageContaining(KeyVault.PROPERTY);
  }

  /** The signing key and the custody keys a node starting with {@code dataDir} uses. */
  static Object[] keysOf(KeyVault vault, Path dataDir) {
    return new Object[] {SigningKeyStore.shared(vault, dataDir.resolve("jwt-signing-key.json")),
        CustodyKeys.shared(vault, dataDir.resolve("sealing.p12"), PASSWORD)};
  }

  static String newKeyEncryptionKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  @AfterAll
  static void stop() throws IOException {
    POSTGRES.close();
  }

  static EmbeddedPostgres start() {
    try {
      return EmbeddedPostgres.builder().start();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
