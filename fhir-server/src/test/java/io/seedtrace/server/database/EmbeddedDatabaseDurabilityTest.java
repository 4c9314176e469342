package io.seedtrace.server.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default database, as configured in {@code application.yaml}, keeps what it
 * committed when the process is killed right after the commit (as a crash or {@code kill -9}
 * would): the study queue, the EHR outbox and the audit chain answer their callers only after a
 * commit, so a commit must be on disk by then. A child JVM commits a row and halts at once; the
 * row must be there when the database is opened again.
 */
class EmbeddedDatabaseDurabilityTest {

  @Test
  void aRowCommittedJustBeforeTheProcessIsKilledIsKept(@TempDir Path dataDir) throws Exception {
    String url = configuredUrl().replace("${seedtrace.data-dir}", dataDir.toString());
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), CommitAndHalt.class.getName(), url).inheritIO().start();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child ends").isTrue();
    assertThat(child.exitValue()).as("the child committed, then halted").isEqualTo(CommitAndHalt.HALTED);

    try (Connection c = DriverManager.getConnection(url, "sa", "");
        ResultSet r = c.createStatement().executeQuery("SELECT COUNT(*) FROM durability_probe")) {
      r.next();
      assertThat(r.getInt(1)).as("the row committed just before the kill").isEqualTo(1);
    }
  }

  /** The datasource URL the application ships with. */
  static String configuredUrl() throws Exception {
    try (InputStream in = EmbeddedDatabaseDurabilityTest.class.getResourceAsStream("/application.yaml")) {
      String yaml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      Matcher m = Pattern.compile("(?m)^\\s+url: (jdbc:h2:file:\\S+)$").matcher(yaml);
      assertThat(m.find()).as("application.yaml names an H2 file database").isTrue();
      return m.group(1);
    }
  }

  /** Commits one row, then stops the JVM at once, without closing the database. */
  public static final class CommitAndHalt {
    static final int HALTED = 42;

    public static void main(String[] args) throws Exception {
      Connection c = DriverManager.getConnection(args[0], "sa", "");
      c.createStatement().execute("CREATE TABLE durability_probe (id INT)");
      Thread.sleep(1500); // the table itself is surely written by now
      c.createStatement().execute("INSERT INTO durability_probe VALUES (1)");
      Runtime.getRuntime().halt(HALTED);
    }
  }
}
