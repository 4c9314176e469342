package io.seedtrace.server.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * SeedTrace's FHIR package ({@code profiles/} module) as found on the classpath under
 * {@code package/}: its manifest, the files its {@code .index.json} lists, and the profiles by
 * the resource type they constrain.
 *
 * <p>Usage: {@code ProfilePackage pkg = ProfilePackage.fromClasspath(); pkg.profilesByType()}.
 */
public final class ProfilePackage {

  static final String ROOT = "package/";

  /** One file of the package index. */
  public record Entry(String filename, String resourceType, String id, String url, String type) {}

  private final String name;
  private final String version;
  private final String canonical;
  private final List<Entry> entries;
  private final Map<String, byte[]> files;

  private ProfilePackage(String name, String version, String canonical, List<Entry> entries, Map<String, byte[]> files) {
    this.name = name;
    this.version = version;
    this.canonical = canonical;
    this.entries = List.copyOf(entries);
    this.files = Collections.unmodifiableMap(files);
  }

  /**
   * Reads the package from the classpath.
   *
   * @throws IllegalStateException if the manifest, the index or a listed file is missing
   */
  public static ProfilePackage fromClasspath() {
    ClassLoader loader = ProfilePackage.class.getClassLoader();
    ObjectMapper json = new ObjectMapper();
    Map<String, byte[]> files = new LinkedHashMap<>();
    byte[] manifestBytes = read(loader, ROOT + "package.json");
    byte[] indexBytes = read(loader, ROOT + ".index.json");
    files.put("package.json", manifestBytes);
    files.put(".index.json", indexBytes);
    try {
      JsonNode manifest = json.readTree(manifestBytes);
      JsonNode index = json.readTree(indexBytes);
      List<Entry> entries = new ArrayList<>();
      for (JsonNode file : index.path("files")) {
        Entry entry = new Entry(
            file.path("filename").asText(),
            file.path("resourceType").asText(),
            file.path("id").asText(null),
            file.path("url").asText(null),
            file.path("type").asText(null));
        files.put(entry.filename(), read(loader, ROOT + entry.filename()));
        entries.add(entry);
      }
      if (entries.isEmpty()) {
        throw new IllegalStateException("The FHIR package index " + ROOT + ".index.json lists no file");
      }
      return new ProfilePackage(
          manifest.path("name").asText(),
          manifest.path("version").asText(),
          manifest.path("canonical").asText(""),
          entries,
          files);
    } catch (IOException e) {
      throw new IllegalStateException("The FHIR package on the classpath is not valid JSON: " + e.getMessage(), e);
    }
  }

  private static byte[] read(ClassLoader loader, String path) {
    try (InputStream in = loader.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("FHIR package file missing from the classpath: " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String name() {
    return name;
  }

  public String version() {
    return version;
  }

  public String canonical() {
    return canonical;
  }

  public List<Entry> entries() {
    return entries;
  }

  /** The profile URLs of the package, grouped by the resource type each constrains. */
  public Map<String, List<String>> profilesByType() {
    Map<String, List<String>> byType = new LinkedHashMap<>();
    for (Entry entry : entries) {
      if ("StructureDefinition".equals(entry.resourceType()) && entry.type() != null
          && !"Extension".equals(entry.type()) && entry.url() != null) {
        byType.computeIfAbsent(entry.type(), t -> new ArrayList<>()).add(entry.url());
      }
    }
    return byType;
  }

  /** Whether {@code url} (possibly with a {@code |version}) names a profile of this package. */
  public boolean isOwnProfile(String url) {
    return findProfile(url).isPresent();
  }

  public Optional<Entry> findProfile(String url) {
    String bare = url == null ? "" : url.split("\\|", 2)[0];
    return entries.stream()
        .filter(e -> "StructureDefinition".equals(e.resourceType()) && bare.equals(e.url()))
        .findFirst();
  }

  /** Whether {@code url} lies under this package's canonical base. */
  public boolean isUnderCanonical(String url) {
    return !canonical.isBlank() && url != null && url.startsWith(canonical + "/");
  }

  /** Where the profiles build puts its package {@code .tgz} (also attached to the build as {@code fhir-package}). */
  static final String BUILT_TARBALL = "seedtrace-fhir-package.tgz";

  /**
   * The package as an NPM tarball ({@code package/...} entries), as HAPI's installer takes it: the
   * very {@code .tgz} the profiles build made, or, when the classpath has none (the package's
   * sources on the classpath of an IDE), one made here from the indexed files.
   */
  public byte[] toTarball() {
    try (InputStream built = ProfilePackage.class.getClassLoader().getResourceAsStream(BUILT_TARBALL)) {
      if (built != null) {
        return built.readAllBytes();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(ROOT + file.getKey());
        entry.setSize(file.getValue().length);
        tar.putArchiveEntry(entry);
        tar.write(file.getValue());
        tar.closeArchiveEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
