package io.seedtrace.server.dicomweb;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.server.audit.PhiAccess;
import io.seedtrace.server.security.http.OperationOutcomes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * QIDO-RS (PS3.18 10.6) over the studies and series the node holds: study, series and instance level, the
 * matching keys of {@link QidoQuery}, answered in DICOM JSON from the database's study index
 * ({@link StudyIndex}): no stored file is read to answer. Each search is recorded in the PHI access audit with the DICOM
 * patients and studies of the page it answered (a search that found nothing is recorded too).
 */
final class QidoService {

  private static final int RETRIEVE_URL = 0x00081190;
  private static final int STUDY_RELATED_SERIES = 0x00201206;
  private static final int STUDY_RELATED_INSTANCES = 0x00201208;
  private static final int SERIES_RELATED_INSTANCES = 0x00201209;

  private final StudyIndex index;
  private final int maxResults;
  private final Predicate<PhiAccess> audit;

  /** @param audit takes the record of each search (the PHI access audit's queue; never blocks) */
  QidoService(StudyIndex index, int maxResults, Predicate<PhiAccess> audit) {
    this.index = index;
    this.maxResults = maxResults;
    this.audit = audit;
  }

  void studies(HttpServletRequest request, HttpServletResponse response) throws IOException {
    QidoQuery query = query(request, response);
    if (query == null) {
      return;
    }
    List<StudyIndex.Study> matches = new ArrayList<>();
    for (StudyIndex.Study study : StudyIndex.studies(index.series(null))) {
      StudyIndex.Series first = study.first();
      if (studyMatches(query, first)
          && query.matchesAny(QidoQuery.MODALITY, study.modalities())
          && query.matchesAny(QidoQuery.MODALITIES_IN_STUDY, study.modalities())
          && study.series().stream().anyMatch(s -> query.matches(QidoQuery.SERIES_UID, s.seriesUid()))) {
        matches.add(study);
      }
    }
    String base = base(request);
    List<StudyIndex.Study> page = answer(response, query, matches, s -> study(s, base));
    audit.test(PhiAccess.dicomWeb(request, false, base, byPatient(page.stream().map(StudyIndex.Study::first).toList())));
  }

  void series(HttpServletRequest request, HttpServletResponse response, String studyUid) throws IOException {
    QidoQuery query = query(request, response);
    if (query == null) {
      return;
    }
    List<StudyIndex.Series> matches = matchingSeries(query, studyUid);
    String base = base(request);
    List<StudyIndex.Series> page = answer(response, query, matches, s -> series(s, base));
    audit.test(PhiAccess.dicomWeb(request, false, base, byPatient(page)));
  }

  /** The instances of one series (PS3.18 10.6, instance level): their UIDs, class and number, from the index. */
  void instances(HttpServletRequest request, HttpServletResponse response, String studyUid, String seriesUid)
      throws IOException {
    QidoQuery query = query(request, response);
    if (query == null) {
      return;
    }
    List<StudyIndex.Instance> matches = index.instances(studyUid, seriesUid, null);
    String base = base(request);
    List<StudyIndex.Instance> page = answer(response, query, matches, i -> instance(i, base));
    Map<String, Set<String>> studies = new TreeMap<>();
    page.forEach(i -> studies.computeIfAbsent(i.patientId(), p -> new TreeSet<>()).add(i.studyUid()));
    audit.test(PhiAccess.dicomWeb(request, false, base, studies));
  }

  private List<StudyIndex.Series> matchingSeries(QidoQuery query, String studyUid) {
    List<StudyIndex.Series> matches = new ArrayList<>();
    for (StudyIndex.Study study : StudyIndex.studies(index.series(studyUid))) {
      if (studyMatches(query, study.first())) {
        study.series().stream()
            .filter(s -> query.matches(QidoQuery.SERIES_UID, s.seriesUid()) && query.matches(QidoQuery.MODALITY, s.modality()))
            .forEach(matches::add);
      }
    }
    return matches;
  }

  /**
   * Instances across series (PS3.18 10.6, {@code /instances} and {@code /studies/{study}/instances}):
   * the instances of the series that match the study and series keys, series by series in index
   * order, each series in receipt order. Only the page asked for is read from the database: the
   * series rows say how many instances each holds, so series before the page are skipped unread.
   */
  void instancesAcrossSeries(HttpServletRequest request, HttpServletResponse response, String studyUid)
      throws IOException {
    QidoQuery query = query(request, response);
    if (query == null) {
      return;
    }
    List<StudyIndex.Series> series = matchingSeries(query, studyUid);
    long total = series.stream().mapToLong(StudyIndex.Series::instances).sum();
    long from = query.offset();
    long to = Math.min(total, from + query.limit());
    List<StudyIndex.Instance> page = new ArrayList<>();
    long seen = 0;
    for (StudyIndex.Series s : series) {
      if (seen >= to) {
        break;
      }
      if (seen + s.instances() > from) {
        List<StudyIndex.Instance> all = index.instances(s.studyUid(), s.seriesUid(), null);
        for (int k = 0; k < all.size() && seen + k < to; k++) {
          if (seen + k >= from) {
            page.add(all.get(k));
          }
        }
      }
      seen += s.instances();
    }
    String base = base(request);
    ArrayNode body = DicomJson.MAPPER.createArrayNode();
    page.forEach(i -> body.add(instance(i, base)));
    send(response, body, total - to);
    Map<String, Set<String>> studies = new TreeMap<>();
    page.forEach(i -> studies.computeIfAbsent(i.patientId(), p -> new TreeSet<>()).add(i.studyUid()));
    audit.test(PhiAccess.dicomWeb(request, false, base, studies));
  }

  private static ObjectNode instance(StudyIndex.Instance instance, String base) {
    ObjectNode json = DicomJson.dataSet();
    DicomJson.text(json, Tag.SOPClassUID, "UI", instance.sopClass());
    DicomJson.text(json, Tag.SOPInstanceUID, "UI", instance.sopUid());
    DicomJson.text(json, RETRIEVE_URL, "UR", base + "/studies/" + instance.studyUid() + "/series/"
        + instance.seriesUid() + "/instances/" + instance.sopUid());
    DicomJson.text(json, QidoQuery.STUDY_UID, "UI", instance.studyUid());
    DicomJson.text(json, QidoQuery.SERIES_UID, "UI", instance.seriesUid());
    if (instance.instanceNumber() != null) {
      DicomJson.number(json, Tag.InstanceNumber, "IS", instance.instanceNumber());
    }
    return json;
  }

  private static boolean studyMatches(QidoQuery query, StudyIndex.Series first) {
    return query.matches(QidoQuery.STUDY_UID, first.studyUid())
        && query.matches(QidoQuery.PATIENT_ID, first.patientId())
        && query.matches(QidoQuery.ACCESSION_NUMBER, first.accession())
        && (!query.has(QidoQuery.STUDY_DATE) || query.matches(QidoQuery.STUDY_DATE, first.studyDate()));
  }

  private static Map<String, Set<String>> byPatient(List<StudyIndex.Series> series) {
    Map<String, Set<String>> studies = new TreeMap<>();
    series.forEach(s -> studies.computeIfAbsent(s.patientId(), p -> new TreeSet<>()).add(s.studyUid()));
    return studies;
  }

  /** The query, or null after answering 406 or 400. */
  private QidoQuery query(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (!acceptsJson(request.getHeader("Accept"))) {
      OperationOutcomes.send(response, 406, "QIDO-RS answers in application/dicom+json only");
      return null;
    }
    try {
      return QidoQuery.parse(request.getParameterMap(), maxResults);
    } catch (IllegalArgumentException e) {
      OperationOutcomes.send(response, 400, e.getMessage());
      return null;
    }
  }

  static boolean acceptsJson(String accept) {
    if (accept == null || accept.isBlank()) {
      return true;
    }
    return org.springframework.http.MediaType.parseMediaTypes(accept).stream().anyMatch(t ->
        t.includes(org.springframework.http.MediaType.parseMediaType(DicomJson.MEDIA_TYPE))
            || t.isCompatibleWith(org.springframework.http.MediaType.APPLICATION_JSON) && !t.isWildcardType());
  }

  /** Sends the page of {@code matches} the query asks for, and returns it. */
  private static <T> List<T> answer(HttpServletResponse response, QidoQuery query, List<T> matches,
      Function<T, ObjectNode> toJson) throws IOException {
    ArrayNode body = DicomJson.MAPPER.createArrayNode();
    int end = (int) Math.min(matches.size(), (long) query.offset() + query.limit());
    for (int i = query.offset(); i < end; i++) {
      body.add(toJson.apply(matches.get(i)));
    }
    send(response, body, matches.size() - end);
    return query.offset() >= end ? List.of() : matches.subList(query.offset(), end);
  }

  private static void send(HttpServletResponse response, ArrayNode body, long remaining) throws IOException {
    if (remaining > 0) {
      response.addHeader("Warning", "299 SeedTrace \"There are " + remaining
          + " additional results that can be requested\"");
    }
    response.setStatus(200);
    response.setContentType(DicomJson.MEDIA_TYPE);
    DicomJson.MAPPER.writeValue(response.getOutputStream(), body);
  }

  private static ObjectNode study(StudyIndex.Study study, String base) {
    StudyIndex.Series h = study.first();
    ObjectNode json = DicomJson.dataSet();
    DicomJson.text(json, Tag.StudyDate, "DA", h.studyDate());
    DicomJson.text(json, Tag.StudyTime, "TM", h.studyTime());
    DicomJson.text(json, QidoQuery.ACCESSION_NUMBER, "SH", h.accession());
    DicomJson.texts(json, QidoQuery.MODALITIES_IN_STUDY, "CS", study.modalities());
    DicomJson.personName(json, Tag.ReferringPhysicianName, h.referringPhysician());
    DicomJson.text(json, Tag.StudyDescription, "LO", h.studyDescription());
    DicomJson.text(json, RETRIEVE_URL, "UR", base + "/studies/" + study.studyUid());
    DicomJson.personName(json, Tag.PatientName, h.patientName());
    DicomJson.text(json, QidoQuery.PATIENT_ID, "LO", h.patientId());
    DicomJson.text(json, QidoQuery.STUDY_UID, "UI", study.studyUid());
    DicomJson.text(json, Tag.StudyID, "SH", h.studyId());
    DicomJson.number(json, STUDY_RELATED_SERIES, "IS", study.series().size());
    DicomJson.number(json, STUDY_RELATED_INSTANCES, "IS", study.instanceCount());
    return json;
  }

  private static ObjectNode series(StudyIndex.Series series, String base) {
    ObjectNode json = DicomJson.dataSet();
    DicomJson.text(json, QidoQuery.MODALITY, "CS", series.modality());
    DicomJson.text(json, Tag.SeriesDescription, "LO", series.seriesDescription());
    DicomJson.text(json, RETRIEVE_URL, "UR", base + "/studies/" + series.studyUid() + "/series/" + series.seriesUid());
    DicomJson.text(json, QidoQuery.PATIENT_ID, "LO", series.patientId());
    DicomJson.text(json, QidoQuery.STUDY_UID, "UI", series.studyUid());
    DicomJson.text(json, QidoQuery.SERIES_UID, "UI", series.seriesUid());
    DicomJson.integerString(json, Tag.SeriesNumber, series.seriesNumber());
    DicomJson.number(json, SERIES_RELATED_INSTANCES, "IS", series.instances());
    return json;
  }

  /** The public {@code .../dicomweb} base for Retrieve URLs: never taken from the {@code Host} header. */
  static String base(HttpServletRequest request) {
    return new io.seedtrace.server.fhir.PublicBaseAddress().determineServerBase(null, request);
  }
}
