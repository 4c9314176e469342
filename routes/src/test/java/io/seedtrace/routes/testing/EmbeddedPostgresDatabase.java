package io.seedtrace.routes.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL (embedded, started once for a test class and stopped after it), the database
 * several nodes share; register it as a static {@code @RegisterExtension} field.
 */
public final class EmbeddedPostgresDatabase implements BeforeAllCallback, AfterAllCallback {

  private EmbeddedPostgres postgres;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    postgres = EmbeddedPostgres.builder().start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    postgres.close();
  }

  /** The database, with the given tables dropped so that each test starts from none of their rows. */
  public DataSource without(String... tables) throws Exception {
    DataSource ds = postgres.getPostgresDatabase();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      for (String table : tables) {
        s.execute("DROP TABLE IF EXISTS " + table);
      }
    }
    return ds;
  }
}
