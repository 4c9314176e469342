package io.seedtrace.server.security.smart;

import io.seedtrace.server.database.SchemaStatements;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The client assertion ids ({@code jti}) already used, per client, in the server's database
 * ({@code st_smart_assertion_id}) for as long as their assertion could still be valid: every node
 * that shares the database refuses an assertion replayed to it after another node accepted it. The
 * key is a SHA-256 of client id and jti (a jti may be long); the unique key decides a race between
 * two nodes, so exactly one of them accepts.
 */
public final class UsedAssertionIds {

  private final JdbcTemplate jdbc;

  public UsedAssertionIds(DataSource dataSource) {
    this.jdbc = new JdbcTemplate(dataSource);
    SchemaStatements.run(jdbc, "CREATE TABLE IF NOT EXISTS st_smart_assertion_id (id CHAR(64) PRIMARY KEY,"
        + " valid_until TIMESTAMP NOT NULL)",
        "CREATE INDEX IF NOT EXISTS st_smart_assertion_id_until ON st_smart_assertion_id (valid_until)");
  }

  /**
   * Records the assertion id and answers whether this was its first use. Ids whose assertions can
   * no longer be valid at {@code now} are forgotten first.
   */
  public boolean firstUse(String clientId, String jti, Instant validUntil, Instant now) {
    jdbc.update("DELETE FROM st_smart_assertion_id WHERE valid_until < ?", Timestamp.from(now));
    try {
      jdbc.update("INSERT INTO st_smart_assertion_id (id, valid_until) VALUES (?, ?)", key(clientId, jti),
          Timestamp.from(validUntil));
      return true;
    } catch (DuplicateKeyException usedBefore) {
      return false;
    }
  }

  private static String key(String clientId, String jti) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest((clientId + "\n" + jti).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
