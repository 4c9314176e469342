package io.seedtrace.server.security;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SMART on FHIR system scopes (Backend Services), v1 ({@code system/DiagnosticReport.read},
 * {@code system/*.write}, {@code system/*.*}) and v2 ({@code system/DiagnosticReport.rs},
 * {@code system/*.cruds}; optional {@code ?param=value} restrictions are not supported and refused).
 *
 * <p>Scopes never add rights: a token's roles decide what it may do ({@link FhirAccessMatrix}), and
 * when the token also carries SMART system scopes, only what the scopes allow as well. A token
 * without any SMART scope (today's role names only) is not narrowed.
 *
 * <p>Mapping: v1 {@code read} and v2 {@code r}/{@code s} allow read, vread, search and history
 * (HAPI's read rules do not tell read from search); v1 {@code write} and v2 {@code c}/{@code u}
 * allow create and update; v2 {@code d} and v1 {@code write} allow delete (still {@code admin} only
 * by role). Custody operations need a scope that allows reading and writing every type
 * ({@code system/*.*}, {@code system/*.cruds}, or both {@code system/*.read} and {@code system/*.write}).
 */
public final class SmartScopes {

  private static final Pattern SCOPE = Pattern.compile("system/([A-Z][A-Za-z]*|\\*)\\.(read|write|\\*|c?r?u?d?s?)");

  /** What a token's SMART scopes allow, by resource type ({@link FhirAccessMatrix#ALL} for every type). */
  public record Grant(Set<String> read, Set<String> write, Set<String> delete) {
    public boolean canRead(String type) {
      return read.contains(FhirAccessMatrix.ALL) || read.contains(type);
    }

    public boolean canWrite(String type) {
      return write.contains(FhirAccessMatrix.ALL) || write.contains(type);
    }

    public boolean canDelete(String type) {
      return delete.contains(FhirAccessMatrix.ALL) || delete.contains(type);
    }

    /** Custody operations read and write several types: only for scopes over every type. */
    public boolean allowsOperations() {
      return read.contains(FhirAccessMatrix.ALL) && write.contains(FhirAccessMatrix.ALL);
    }
  }

  private SmartScopes() {}

  /** Whether {@code scope} is a SMART system scope this server understands. */
  public static boolean isSystemScope(String scope) {
    Matcher m = SCOPE.matcher(scope);
    return m.matches() && !m.group(2).isEmpty();
  }

  /** Whether {@code scope} looks like a SMART scope at all (system, patient or user context). */
  public static boolean looksLikeSmartScope(String scope) {
    return scope.startsWith("system/") || scope.startsWith("patient/") || scope.startsWith("user/");
  }

  /** The grant of the SMART system scopes among {@code scopes}; empty when there is none. */
  public static Optional<Grant> grantOf(Collection<String> scopes) {
    Set<String> read = new TreeSet<>();
    Set<String> write = new TreeSet<>();
    Set<String> delete = new TreeSet<>();
    boolean any = false;
    for (String scope : scopes) {
      Matcher m = SCOPE.matcher(scope);
      if (!m.matches() || m.group(2).isEmpty()) {
        continue;
      }
      any = true;
      String type = m.group(1).equals("*") ? FhirAccessMatrix.ALL : m.group(1);
      String permissions = m.group(2);
      switch (permissions) {
        case "read" -> read.add(type);
        case "write" -> {
          write.add(type);
          delete.add(type);
        }
        case "*" -> {
          read.add(type);
          write.add(type);
          delete.add(type);
        }
        default -> {
          if (permissions.contains("r") || permissions.contains("s")) {
            read.add(type);
          }
          if (permissions.contains("c") || permissions.contains("u")) {
            write.add(type);
          }
          if (permissions.contains("d")) {
            delete.add(type);
          }
        }
      }
    }
    return any ? Optional.of(new Grant(Set.copyOf(read), Set.copyOf(write), Set.copyOf(delete))) : Optional.empty();
  }
}
