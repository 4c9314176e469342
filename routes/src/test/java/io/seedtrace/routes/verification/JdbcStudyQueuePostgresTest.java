package io.seedtrace.routes.verification;

import io.seedtrace.routes.testing.EmbeddedPostgresDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The same cases as {@link JdbcStudyQueueTest}, on a real (embedded) PostgreSQL, the database of several nodes. */
class JdbcStudyQueuePostgresTest extends JdbcStudyQueueTest {

  @RegisterExtension
  static final EmbeddedPostgresDatabase POSTGRES = new EmbeddedPostgresDatabase();

  @Override
  DataSource newDatabase() throws Exception {
    return withSchema(POSTGRES.without("st_study_queue"));
  }
}
