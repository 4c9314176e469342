package io.seedtrace.server.dicomweb;

import io.seedtrace.dicom.web.MultipartWriter;
import io.seedtrace.server.audit.PhiAccess;
import io.seedtrace.server.security.http.OperationOutcomes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * WADO-RS (PS3.18 10.4) of a study, series or instance the node holds: the stored Part 10 files as
 * they are in the spool (the data set exactly as received, our file meta group), one part each of
 * a {@code multipart/related; type="application/dicom"} answer, streamed from disk; which files,
 * the database's study index says ({@link StudyIndex}), so no other file is looked at. Each
 * retrieval is recorded in the PHI access audit (who, the DICOM patients and studies, when).
 */
final class WadoService {

  private static final MediaType MULTIPART_RELATED = MediaType.parseMediaType("multipart/related");

  private final StudyIndex index;
  private final Predicate<PhiAccess> audit;

  /** @param audit takes the record of each retrieval (the PHI access audit's queue; never blocks) */
  WadoService(StudyIndex index, Predicate<PhiAccess> audit) {
    this.index = index;
    this.audit = audit;
  }

  /**
   * @param series null for the whole study
   * @param sop null for the whole series (or study)
   */
  void retrieve(HttpServletRequest request, HttpServletResponse response, String study, String series, String sop)
      throws IOException {
    if (!acceptsDicom(request.getHeader("Accept"))) {
      OperationOutcomes.send(response, 406, "WADO-RS answers multipart/related; type=\"application/dicom\" only"
          + " (the stored files, in their stored transfer syntax)");
      return;
    }
    List<StudyIndex.Instance> files = index.instances(study, series, sop);
    if (files.isEmpty()) {
      OperationOutcomes.send(response, 404, "no stored instance of " + (sop != null ? "instance " + sop
          : series != null ? "series " + series : "study " + study));
      return;
    }
    String boundary = MultipartWriter.newBoundary();
    response.setStatus(200);
    response.setContentType("multipart/related; type=\"application/dicom\"; boundary=" + boundary);
    try {
      MultipartWriter parts = new MultipartWriter(response.getOutputStream(), boundary);
      for (StudyIndex.Instance file : files) {
        try (InputStream in = Files.newInputStream(file.path())) {
          parts.part("application/dicom", in);
        }
      }
      parts.finish();
    } finally {
      // recorded once sending began, also when the client went away part way
      audit.test(PhiAccess.dicomWeb(request, true, QidoService.base(request), studiesByPatient(files)));
    }
  }

  /** The studies of these instances by their DICOM Patient ID. */
  private static Map<String, Set<String>> studiesByPatient(List<StudyIndex.Instance> instances) {
    Map<String, Set<String>> studies = new TreeMap<>();
    instances.forEach(i -> studies.computeIfAbsent(i.patientId(), p -> new TreeSet<>()).add(i.studyUid()));
    return studies;
  }

  /** An Accept that allows multipart/related of application/dicom (or anything). */
  static boolean acceptsDicom(String accept) {
    if (accept == null || accept.isBlank()) {
      return true;
    }
    List<MediaType> types;
    try {
      types = MediaType.parseMediaTypes(accept);
    } catch (InvalidMediaTypeException e) {
      return false;
    }
    return types.stream().anyMatch(t -> t.isWildcardType() || t.isCompatibleWith(MULTIPART_RELATED)
        && !t.isWildcardSubtype() && (t.getParameter("type") == null
            || t.getParameter("type").replace("\"", "").equalsIgnoreCase("application/dicom")));
  }
}
