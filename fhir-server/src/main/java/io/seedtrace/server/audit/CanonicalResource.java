package io.seedtrace.server.audit;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.hl7.fhir.r4.model.Resource;

/**
 * The form in which a resource is hashed for the audit chain: the whole resource as compact FHIR
 * JSON (elements in the order of their definitions), without what the store assigns or changes by
 * itself: the id, {@code meta.versionId}, {@code meta.lastUpdated} and {@code meta.source}. Tags,
 * security labels and profiles are part of it.
 */
final class CanonicalResource {

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  private CanonicalResource() {}

  static byte[] bytes(Resource resource) {
    Resource copy = resource.copy();
    copy.setId((String) null);
    copy.getMeta().setVersionId(null).setLastUpdated(null).setSource(null);
    return FHIR.newJsonParser().setPrettyPrint(false).encodeResourceToString(copy).getBytes(StandardCharsets.UTF_8);
  }

  /** SHA-256 of {@link #bytes}, hex. */
  static String sha256(Resource resource) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes(resource)));
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
