package io.seedtrace.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

class PrivateDataDirectoryTest {

  @TempDir
  Path root;

  @BeforeEach
  void posixOnly() {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "no POSIX permissions here");
  }

  @Test
  void createsTheDataDirectoryAndItsLogPrivateBeforeAnythingIsWritten() throws IOException {
    Path data = root.resolve("data");
    PrivateDataDirectory.prepare(new MockEnvironment().withProperty("seedtrace.data-dir", data.toString())
        .withProperty("logging.file.name", data.resolve("logs/seedtrace.log").toString()));

    assertThat(mode(data)).isEqualTo("rwx------");
    assertThat(mode(data.resolve("logs"))).isEqualTo("rwx------");
    assertThat(mode(data.resolve("security"))).isEqualTo("rwx------");
    assertThat(mode(data.resolve("logs/seedtrace.log"))).isEqualTo("rw-------");
  }

  @Test
  void aLogInASharedDirectoryIsMadePrivateButTheDirectoryIsLeftAlone() throws IOException {
    Path shared = Files.createDirectory(root.resolve("var-log"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
    PrivateDataDirectory.prepare(new MockEnvironment().withProperty("seedtrace.data-dir", root.resolve("data").toString())
        .withProperty("logging.file.name", shared.resolve("seedtrace.log").toString()));

    assertThat(mode(shared)).isEqualTo("rwxr-xr-x");
    assertThat(mode(shared.resolve("seedtrace.log"))).isEqualTo("rw-------");
  }

  @Test
  void filesTheDatabaseCreatedAreTightenedOnceTheServerIsUp() throws IOException {
    Path h2 = Files.createDirectories(root.resolve("data/h2"));
    Path db = Files.writeString(h2.resolve("seedtrace.mv.db"), "x");
    Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(h2, PosixFilePermissions.fromString("rwxr-xr-x"));

    PrivateDataDirectory.tighten(root.resolve("data"));

    assertThat(mode(h2)).isEqualTo("rwx------");
    assertThat(mode(db)).isEqualTo("rw-------");
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
