package io.seedtrace.server.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The databases the tests run the shared tables and the server on: an embedded PostgreSQL (real
 * binaries, no server to install) and the default in-memory H2.
 */
public final class TestDatabases {

  private TestDatabases() {}

  /** Starts an embedded PostgreSQL; close it when the test class ends. */
  public static EmbeddedPostgres startPostgres() {
    try {
      return EmbeddedPostgres.builder().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Points the server of a Spring test at {@code postgres}, as the {@code postgres} profile users run does. */
  public static void usePostgres(DynamicPropertyRegistry registry, EmbeddedPostgres postgres) {
    registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres"));
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("spring.datasource.password", () -> "postgres");
  }

  /** The kinds a parameterised test runs on: {@code postgres} and {@code h2}. */
  public static Stream<String> kinds() {
    return Stream.of("postgres", "h2");
  }

  /**
   * An empty database of that kind: a new in-memory H2, or {@code postgres} with {@code tables}
   * dropped (the classes under test create them again).
   */
  public static DataSource fresh(String kind, EmbeddedPostgres postgres, String tables) {
    if (kind.equals("h2")) {
      JdbcDataSource h2 = new JdbcDataSource();
      h2.setURL("jdbc:h2:mem:test-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
      return h2;
    }
    DataSource db = postgres.getPostgresDatabase();
    new JdbcTemplate(db).execute("DROP TABLE IF EXISTS " + tables);
    return db;
  }
}
