package io.seedtrace.server.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Keeps the data directory (database, keys, logs, DICOM spool) readable by the server's own user
 * only, whatever the umask: before anything writes there (before logging starts) the directory and
 * its {@code logs}, {@code h2} and {@code security} directories are created {@code 0700} and the
 * log file {@code 0600}; once the server is up, what the database and the others created is
 * tightened the same way (directories {@code 0700}, files {@code 0600}, two levels deep). Files
 * created later (a rolled log, a new spool file) sit in {@code 0700} directories. Does nothing on
 * a file system without POSIX permissions. Registered in {@code META-INF/spring.factories}.
 */
public class PrivateDataDirectory implements ApplicationListener<SpringApplicationEvent>, Ordered {

  static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE; // before Boot's LoggingApplicationListener opens the log file
  }

  @Override
  public void onApplicationEvent(SpringApplicationEvent event) {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
      prepare(prepared.getEnvironment());
    } else if (event instanceof ApplicationReadyEvent ready) {
      tighten(dataDir(ready.getApplicationContext().getEnvironment()));
    }
  }

  private static Path dataDir(Environment env) {
    return Path.of(env.getProperty("seedtrace.data-dir", "./data"));
  }

  static void prepare(Environment env) {
    Path dataDir = dataDir(env);
    for (Path dir : List.of(dataDir, dataDir.resolve("logs"), dataDir.resolve("h2"), dataDir.resolve("security"))) {
      createPrivateDirectory(dir);
    }
    String logFile = env.getProperty("logging.file.name");
    if (logFile != null && !logFile.isBlank()) {
      Path log = Path.of(logFile).toAbsolutePath().normalize();
      Path parent = log.getParent();
      if (!Files.isDirectory(parent) || parent.startsWith(dataDir.toAbsolutePath().normalize())) {
        createPrivateDirectory(parent); // never narrow a shared directory such as /var/log
      }
      try {
        if (!Files.exists(log)) {
          Files.createFile(log, PosixFilePermissions.asFileAttribute(FILE));
        }
        Files.setPosixFilePermissions(log, FILE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot make the log file " + log + " private", e);
      }
    }
  }

  /** Directories 0700, files 0600, in the data directory and one level below it. */
  static void tighten(Path dataDir) {
    if (!Files.isDirectory(dataDir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dataDir, 2)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        if (Files.isSymbolicLink(path)) {
          continue;
        }
        Files.setPosixFilePermissions(path, Files.isDirectory(path) ? DIRECTORY : FILE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make the data directory " + dataDir + " private", e);
    }
  }

  private static void createPrivateDirectory(Path dir) {
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
      }
      Files.setPosixFilePermissions(dir, DIRECTORY);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the private directory " + dir, e);
    }
  }
}
