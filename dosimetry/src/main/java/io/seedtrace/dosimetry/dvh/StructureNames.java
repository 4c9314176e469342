package io.seedtrace.dosimetry.dvh;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which delineated structure plays which role, by its name (ROI Name), compared without regard to
 * case and surrounding blanks. For each role the names are in order of preference: with the
 * defaults a structure set holding both "Prostate" and "PTV" is evaluated on the prostate (the
 * post-implant convention of the ABS and GEC-ESTRO).
 *
 * <pre>{@code
 * StructureNames names = StructureNames.parse("TARGET=PROSTATE,CTV,PTV;URETHRA=URETHRA;RECTUM=RECTUM,RECTAL WALL");
 * Optional<StructureRole> role = names.roleOf("prostate");
 * }</pre>
 */
public final class StructureNames {

  private final Map<StructureRole, List<String>> names;

  public StructureNames(Map<StructureRole, List<String>> names) {
    EnumMap<StructureRole, List<String>> copy = new EnumMap<>(StructureRole.class);
    names.forEach((role, list) -> copy.put(role, list.stream().map(StructureNames::normal).toList()));
    this.names = copy;
  }

  /** PROSTATE, CTV, PTV; URETHRA; RECTUM; BLADDER. */
  public static StructureNames defaults() {
    return parse("TARGET=PROSTATE,CTV,PTV;URETHRA=URETHRA;RECTUM=RECTUM;BLADDER=BLADDER");
  }

  /**
   * A table written as {@code ROLE=name,name;ROLE=name}, roles as in {@link StructureRole}.
   *
   * @throws IllegalArgumentException for an unknown role or an entry without names
   */
  public static StructureNames parse(String table) {
    Map<StructureRole, List<String>> names = new EnumMap<>(StructureRole.class);
    for (String entry : table.split(";")) {
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("structure name entry '" + entry.strip() + "' is not ROLE=name,name");
      }
      StructureRole role;
      try {
        role = StructureRole.valueOf(entry.substring(0, eq).strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown structure role '" + entry.substring(0, eq).strip()
            + "'; known: TARGET, URETHRA, RECTUM, BLADDER");
      }
      List<String> list = new ArrayList<>();
      for (String name : entry.substring(eq + 1).split(",")) {
        if (!name.isBlank()) {
          list.add(name);
        }
      }
      if (list.isEmpty()) {
        throw new IllegalArgumentException("structure role " + role + " has no name");
      }
      names.put(role, list);
    }
    return new StructureNames(names);
  }

  /** The role of a structure named {@code name}, if the table has it. */
  public Optional<StructureRole> roleOf(String name) {
    String n = normal(name);
    for (Map.Entry<StructureRole, List<String>> e : names.entrySet()) {
      if (e.getValue().contains(n)) {
        return Optional.of(e.getKey());
      }
    }
    return Optional.empty();
  }

  /** Per role, the preferred structure among {@code structures} (the earliest name in the table). */
  public Map<StructureRole, Structure> assign(List<Structure> structures) {
    Map<StructureRole, Structure> out = new EnumMap<>(StructureRole.class);
    for (Map.Entry<StructureRole, List<String>> e : names.entrySet()) {
      for (String wanted : e.getValue()) {
        Optional<Structure> found = structures.stream().filter(s -> normal(s.name()).equals(wanted)).findFirst();
        if (found.isPresent()) {
          out.put(e.getKey(), found.get());
          break;
        }
      }
    }
    return out;
  }

  private static String normal(String name) {
    return name == null ? "" : name.strip().toUpperCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    names.forEach((role, list) -> s.append(s.isEmpty() ? "" : ";").append(role).append('=')
        .append(String.join(",", list)));
    return s.toString();
  }
}
