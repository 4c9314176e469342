package io.seedtrace.server.bulk;

import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A Bulk Data kick-off request, checked: the parameters of the HL7 Bulk Data Access IG this server
 * supports ({@code _type}, {@code _since}, {@code _outputFormat} NDJSON), the {@code Prefer:
 * respond-async} header, and the types narrowed to what the caller may read. A bad request is refused
 * with {@link InvalidRequestException} (400), a type the caller may not read with
 * {@link ForbiddenOperationException} (403). Usage:
 * <pre>{@code ExportRequest request = ExportRequest.check(level, parameters, prefer, types, readable);}</pre>
 *
 * @param types the types to export, in a stable order
 * @param since {@code _since}, or null
 */
public record ExportRequest(ExportJob.Level level, List<String> types, Instant since) {

  /** {@code _outputFormat} values meaning NDJSON (the IG's abbreviations included). */
  static final Set<String> NDJSON = Set.of("application/fhir+ndjson", "application/ndjson", "ndjson");
  /** Parameters of the IG that this server does not support: refused unless {@code Prefer: handling=lenient}. */
  static final Set<String> UNSUPPORTED = Set.of("_typeFilter", "_elements", "patient", "includeAssociatedData", "_until",
      "organizeOutputBy", "allowPartialManifests");

  /**
   * The types a level exports, with what the server knows of them.
   *
   * @param known every resource type of the server
   * @param exportable the types of this level ({@code Patient} and the Patient compartment's types for
   *     patient and group exports, every type for a system export)
   * @param byDefault whether a type is exported when {@code _type} does not name it (conformance
   *     resources are not: they describe the server)
   */
  public record Types(Set<String> known, Set<String> exportable, Predicate<String> byDefault) {}

  public static ExportRequest check(ExportJob.Level level, Map<String, List<String>> parameters, String prefer,
      Types types, Set<String> readable) {
    String preferences = prefer == null ? "" : prefer.toLowerCase(Locale.ROOT);
    if (!preferences.contains("respond-async")) {
      throw new InvalidRequestException("a bulk export needs the header Prefer: respond-async");
    }
    if (!preferences.contains("handling=lenient")) {
      for (String name : UNSUPPORTED) {
        if (parameters.containsKey(name)) {
          throw new InvalidRequestException("the parameter " + name + " is not supported");
        }
      }
    }
    String format = single(parameters, "_outputFormat");
    if (format != null && !NDJSON.contains(format.trim())) {
      throw new InvalidRequestException("_outputFormat " + format + " is not supported; only application/fhir+ndjson");
    }
    Instant since = since(single(parameters, "_since"));
    return new ExportRequest(level, chosenTypes(level, parameters.getOrDefault("_type", List.of()), types, readable),
        since);
  }

  private static List<String> chosenTypes(ExportJob.Level level, List<String> typeValues, Types types,
      Set<String> readable) {
    Set<String> asked = new LinkedHashSet<>();
    for (String value : typeValues) {
      for (String type : value.split(",")) {
        if (!type.isBlank()) {
          asked.add(type.trim());
        }
      }
    }
    for (String type : asked) {
      if (!types.known().contains(type)) {
        throw new InvalidRequestException("_type: " + type + " is not a resource type of this server");
      }
      if (!types.exportable().contains(type)) {
        throw new InvalidRequestException("_type: " + type + " is not in the Patient compartment, which a "
            + level.name().toLowerCase(Locale.ROOT) + " export is limited to");
      }
    }
    Set<String> refused = new TreeSet<>(asked);
    refused.removeAll(readable);
    if (!refused.isEmpty()) {
      throw new ForbiddenOperationException("your roles may not read " + String.join(", ", refused));
    }
    Set<String> chosen = new TreeSet<>(asked);
    if (asked.isEmpty()) {
      types.exportable().stream().filter(types.byDefault()).filter(readable::contains).forEach(chosen::add);
    }
    if (chosen.isEmpty()) {
      throw new ForbiddenOperationException("your roles may read none of the types this export would contain");
    }
    return new ArrayList<>(chosen);
  }

  /** An instant with its time zone; a '+' sent unencoded in a query arrives as a space and is taken back. */
  private static Instant since(String value) {
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value.trim().replace(' ', '+')).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidRequestException("_since must be an instant with a time zone, e.g. 2026-12-01T00:00:00Z; got "
          + value);
    }
  }

  private static String single(Map<String, List<String>> parameters, String name) {
    List<String> values = parameters.getOrDefault(name, List.of());
    if (values.size() > 1) {
      throw new InvalidRequestException("the parameter " + name + " may be given once");
    }
    return values.isEmpty() ? null : values.get(0);
  }
}
