package io.seedtrace.routes.pull;

import io.seedtrace.routes.testing.EmbeddedPostgresDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The same cases as {@link PullRoundTest}, on a real (embedded) PostgreSQL, the database of several nodes. */
class PullRoundPostgresTest extends PullRoundTest {

  @RegisterExtension
  static final EmbeddedPostgresDatabase POSTGRES = new EmbeddedPostgresDatabase();

  @Override
  DataSource newDatabase() throws Exception {
    return POSTGRES.without("st_ct_pull");
  }
}
