package io.seedtrace.server.database;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Runs the statements that create SeedTrace's own tables and indexes ({@code CREATE ... IF NOT
 * EXISTS}, {@code ALTER ... ADD COLUMN IF NOT EXISTS}) at start, safely when several nodes sharing
 * one database start at the same moment. PostgreSQL's {@code IF NOT EXISTS} does not cover another
 * session creating the same object concurrently: one of them fails with "already exists" (a
 * duplicate type or relation). Such a statement is run again a few times, after a short pause: by
 * then the other node's object exists and the statement does nothing.
 */
public final class SchemaStatements {

  private static final int ATTEMPTS = 5;

  private SchemaStatements() {}

  public static void run(JdbcTemplate jdbc, String... statements) {
    for (String sql : statements) {
      for (int attempt = 1; ; attempt++) {
        try {
          jdbc.execute(sql);
          break;
        } catch (DataAccessException createdByAnotherNode) {
          if (attempt == ATTEMPTS) {
            throw createdByAnotherNode;
          }
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50L * attempt));
        }
      }
    }
  }
}
