package io.seedtrace.profiles;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;

/** Reads the FHIR package from the classpath the way the server does: through its .index.json. */
final class PackageFiles {

  static final String ROOT = "package/";

  private PackageFiles() {}

  static JsonNode json(String path) {
    try (InputStream in = PackageFiles.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing from the classpath: " + path);
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(String path) {
    try (InputStream in = PackageFiles.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing from the classpath: " + path);
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** File names listed by the index of {@code folder} ("package/" or "package/example/"). */
  static List<String> indexed(String folder) {
    List<String> names = new ArrayList<>();
    for (JsonNode file : json(folder + ".index.json").path("files")) {
      names.add(file.path("filename").asText());
    }
    return names;
  }

  static List<IBaseResource> resources(FhirContext fhir, String folder) {
    List<IBaseResource> resources = new ArrayList<>();
    for (String name : indexed(folder)) {
      resources.add(fhir.newJsonParser().parseResource(text(folder + name)));
    }
    return resources;
  }
}
