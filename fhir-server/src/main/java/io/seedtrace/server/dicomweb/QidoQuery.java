package io.seedtrace.server.dicomweb;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A QIDO-RS query (PS3.18 10.6): the matching keys SeedTrace supports, by keyword or tag, and
 * {@code limit}/{@code offset}. UIDs match one of a list (comma or backslash separated), Study Date
 * a date or a range ({@code 20261101-20261130}, {@code -20261130}, {@code 20261101-}), Patient ID and
 * Accession Number exactly or with {@code *} and {@code ?} wildcards, Modality exactly; an empty value
 * matches everything. Anything else is refused, so a client never mistakes an ignored key for a match.
 *
 * @param keys the matching keys by tag
 */
record QidoQuery(Map<Integer, String> keys, int limit, int offset) {

  static final int PATIENT_ID = 0x00100020;
  static final int STUDY_DATE = 0x00080020;
  static final int ACCESSION_NUMBER = 0x00080050;
  static final int MODALITY = 0x00080060;
  static final int MODALITIES_IN_STUDY = 0x00080061;
  static final int STUDY_UID = 0x0020000D;
  static final int SERIES_UID = 0x0020000E;

  private static final Map<String, Integer> KEYWORDS = Map.of("PatientID", PATIENT_ID, "StudyDate", STUDY_DATE,
      "AccessionNumber", ACCESSION_NUMBER, "Modality", MODALITY, "ModalitiesInStudy", MODALITIES_IN_STUDY,
      "StudyInstanceUID", STUDY_UID, "SeriesInstanceUID", SERIES_UID);
  /** Parameters accepted and not used for matching. */
  private static final Set<String> IGNORED = Set.of("includefield");
  private static final Pattern DATE_RANGE = Pattern.compile("(\\d{8})?(-)?(\\d{8})?");

  /**
   * @throws IllegalArgumentException for an unsupported key, a malformed date, limit or offset
   */
  static QidoQuery parse(Map<String, String[]> parameters, int maxResults) {
    Map<Integer, String> keys = new LinkedHashMap<>();
    int limit = maxResults;
    int offset = 0;
    for (Map.Entry<String, String[]> p : parameters.entrySet()) {
      String name = p.getKey();
      String value = p.getValue().length == 0 ? "" : p.getValue()[p.getValue().length - 1].trim();
      switch (name) {
        case "limit" -> limit = Math.min(maxResults, number(name, value, 1));
        case "offset" -> offset = number(name, value, 0);
        case "fuzzymatching" -> {
          if (!value.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("fuzzymatching is not supported");
          }
        }
        default -> {
          if (!IGNORED.contains(name)) {
            keys.put(tagOf(name), value);
          }
        }
      }
    }
    String date = keys.getOrDefault(STUDY_DATE, "");
    if (!date.isEmpty() && (!DATE_RANGE.matcher(date).matches() || date.equals("-"))) {
      throw new IllegalArgumentException("StudyDate must be YYYYMMDD or a range YYYYMMDD-YYYYMMDD (either end open)");
    }
    return new QidoQuery(Map.copyOf(keys), limit, offset);
  }

  private static int tagOf(String name) {
    Integer tag = KEYWORDS.get(name);
    if (tag == null && name.matches("[0-9A-Fa-f]{8}")) {
      tag = KEYWORDS.values().stream().filter(t -> t == Integer.parseUnsignedInt(name, 16)).findFirst().orElse(null);
    }
    if (tag == null) {
      throw new IllegalArgumentException("unsupported query key '" + name + "'; supported: " + KEYWORDS.keySet()
          + ", limit, offset, includefield");
    }
    return tag;
  }

  private static int number(String name, String value, int min) {
    try {
      int n = Integer.parseInt(value);
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException(name + " must be a whole number >= " + min);
  }

  /** Whether the value held (empty if unknown) matches the key for {@code tag}; true without that key. */
  boolean matches(int tag, String held) {
    String key = keys.get(tag);
    if (key == null || key.isEmpty()) {
      return true;
    }
    return switch (tag) {
      case STUDY_UID, SERIES_UID -> List.of(key.split("[,\\\\]")).contains(held);
      case STUDY_DATE -> inRange(key, held);
      case PATIENT_ID, ACCESSION_NUMBER -> wildcard(key).matcher(held).matches();
      default -> key.equals(held);
    };
  }

  /** Whether any of the values held matches (Modality against the modalities of a study). */
  boolean matchesAny(int tag, java.util.Collection<String> held) {
    String key = keys.get(tag);
    return key == null || key.isEmpty() || held.stream().anyMatch(h -> matches(tag, h));
  }

  boolean has(int tag) {
    String key = keys.get(tag);
    return key != null && !key.isEmpty();
  }

  private static boolean inRange(String key, String date) {
    if (date.length() < 8) {
      return false;
    }
    String d = date.substring(0, 8);
    int dash = key.indexOf('-');
    if (dash < 0) {
      return d.equals(key);
    }
    String from = key.substring(0, dash);
    String to = key.substring(dash + 1);
    return (from.isEmpty() || d.compareTo(from) >= 0) && (to.isEmpty() || d.compareTo(to) <= 0);
  }

  private static Pattern wildcard(String key) {
    StringBuilder regex = new StringBuilder();
    for (char c : key.toCharArray()) {
      regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
