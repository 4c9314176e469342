package io.seedtrace.routes.verification;

import io.seedtrace.dicom.spool.SeriesCompleteness;
import io.seedtrace.dicom.spool.SeriesStableEvent;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A study waiting in the verification queue, as text: what a queue row or a broker message holds.
 * One field per line, each URL-encoded, so a patient ID or a path may hold any character; lists
 * are encoded once more inside their line. A message that is not of this form is refused with
 * {@link IllegalArgumentException}.
 *
 * <pre>{@code
 * String text = StudyMessage.encode(event);
 * SeriesStableEvent again = StudyMessage.decode(text);
 * }</pre>
 */
public final class StudyMessage {

  private static final String VERSION = "seedtrace-study-1";
  private static final int FIELDS = 13;

  private StudyMessage() {}

  public static String encode(SeriesStableEvent e) {
    List<String> fields = List.of(VERSION, nullable(e.studyUid()), nullable(e.seriesUid()),
        nullable(e.frameOfReferenceUid()), nullable(e.modality()), nullable(e.sopClassUid()), nullable(e.patientId()),
        nullable(e.accessionNumber()), Integer.toString(e.instanceCount()),
        list(e.paths().stream().map(Path::toString).toList()), Boolean.toString(e.update()),
        list(e.completeness().gaps()), Boolean.toString(e.completeness().interrupted()));
    return String.join("\n", fields.stream().map(StudyMessage::enc).toList());
  }

  public static SeriesStableEvent decode(String text) {
    String[] f = text.split("\n", -1);
    if (f.length != FIELDS || !dec(f[0]).equals(VERSION)) {
      throw new IllegalArgumentException("not a queued study (" + f.length + " field(s), expected " + FIELDS + " of "
          + VERSION + ")");
    }
    try {
      List<Path> paths = unlist(dec(f[9])).stream().map(Path::of).toList();
      return new SeriesStableEvent(orNull(f[1]), orNull(f[2]), orNull(f[3]), orNull(f[4]), orNull(f[5]), orNull(f[6]),
          orNull(f[7]), Integer.parseInt(dec(f[8])), paths, Boolean.parseBoolean(dec(f[10])),
          new SeriesCompleteness(unlist(dec(f[11])), Boolean.parseBoolean(dec(f[12]))));
    } catch (RuntimeException malformed) {
      throw new IllegalArgumentException("a queued study that cannot be read: " + malformed.getMessage(), malformed);
    }
  }

  /** null is written as a lone NUL character, which no DICOM string value holds. */
  private static String nullable(String s) {
    return s == null ? "\0" : s;
  }

  private static String orNull(String field) {
    String s = dec(field);
    return s.equals("\0") ? null : s;
  }

  private static String list(List<String> items) {
    return String.join(",", items.stream().map(StudyMessage::enc).toList());
  }

  private static List<String> unlist(String s) {
    if (s.isEmpty()) {
      return List.of();
    }
    return new ArrayList<>(Arrays.stream(s.split(",", -1)).map(StudyMessage::dec).toList());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String dec(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
