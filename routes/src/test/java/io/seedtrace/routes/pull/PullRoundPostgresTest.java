package io.seedtrace.routes.pull;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The same cases as {@link PullRoundTest}, on a real (embedded) PostgreSQL, the database of several nodes. */
class PullRoundPostgresTest extends PullRoundTest {

  static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  @Override
  DataSource newDatabase() throws Exception {
    DataSource ds = postgres.getPostgresDatabase();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS st_ct_pull");
    }
    return ds;
  }
}
