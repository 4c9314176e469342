package io.seedtrace.server.security;

import java.util.Arrays;
import java.util.Optional;

/**
 * The people and systems that use SeedTrace. A token carries its roles as OAuth2 scopes (or, from
 * an external issuer, in a {@code roles} / {@code realm_access.roles} claim) named exactly as
 * {@link #claimValue()}.
 */
public enum Role {
  MANUFACTURER("manufacturer"),
  LOGISTICS("logistics"),
  NURSE("nurse"),
  PHYSICIAN("physician"),
  PHYSICIST("physicist"),
  ADMIN("admin"),
  EHR_SYSTEM("ehr-system"),
  AUDITOR("auditor"),
  /** A PACS or modality that stores images by DICOMweb (STOW-RS); no FHIR rights. */
  PACS("pacs");

  private final String claimValue;

  Role(String claimValue) {
    this.claimValue = claimValue;
  }

  /** The name used in tokens and configuration, e.g. {@code ehr-system}. */
  public String claimValue() {
    return claimValue;
  }

  /** The Spring Security authority granted for this role, e.g. {@code ROLE_EHR_SYSTEM}. */
  public String authority() {
    return "ROLE_" + name();
  }

  public static Optional<Role> fromClaimValue(String value) {
    return Arrays.stream(values()).filter(r -> r.claimValue.equals(value)).findFirst();
  }

  public static Optional<Role> fromAuthority(String authority) {
    return Arrays.stream(values()).filter(r -> r.authority().equals(authority)).findFirst();
  }
}
