package io.seedtrace.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seedtrace.server.support.ServerTestBase;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the running server leaves in its data directory is for its own user only: directories
 * 0700, the database, keys and log 0600, whatever the umask it was started with (files created
 * later, e.g. a rolled log, sit in those 0700 directories).
 */
class DataAtRestIT extends ServerTestBase {

  @Test
  void theDatabaseKeysAndLogsAreReadableByTheServersUserOnly() throws IOException {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "no POSIX permissions here");
    for (Path dir : List.of(DATA_DIR, DATA_DIR.resolve("logs"), DATA_DIR.resolve("h2"), DATA_DIR.resolve("security"))) {
      assertThat(mode(dir)).as(dir.toString()).isEqualTo("rwx------");
    }
    List<Path> files = List.of(DATA_DIR.resolve("logs/seedtrace.log"), DATA_DIR.resolve("h2/seedtrace.mv.db"),
        DATA_DIR.resolve("security/jwt-signing-key.json"), DATA_DIR.resolve("security/sealing.p12"));
    for (Path file : files) {
      assertThat(mode(file)).as(file.toString()).isEqualTo("rw-------");
    }
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

}
