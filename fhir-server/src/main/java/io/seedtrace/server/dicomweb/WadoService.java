package io.seedtrace.server.dicomweb;

import com.fasterxml.jackson.core.JsonGenerator;
import io.seedtrace.dicom.codec.CodecException;
import io.seedtrace.dicom.codec.Transcoder;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.DicomFormatException;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.Vr;
import io.seedtrace.dicom.web.BulkData;
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
 * a {@code multipart/related; type="application/dicom"} answer, streamed from disk. PS3.18's
 * default applies: without a {@code transfer-syntax} in {@code Accept} every file is given in
 * Explicit VR Little Endian (those stored otherwise decoded or re-encoded by {@link Transcoder}, the
 * node's own decoders); {@code transfer-syntax=*} gives them as stored; 406 when a file can be given
 * neither as stored nor in a syntax asked for; which files,
 * the database's study index says ({@link StudyIndex}), so no other file is looked at. Each
 * retrieval is recorded in the PHI access audit (who, the DICOM patients and studies, when).
 */
final class WadoService {

  /** The longest header read for metadata (an RT Structure Set's contours can take megabytes). */
  static final int MAX_METADATA_HEADER = 16 * 1024 * 1024;

  private static final MediaType MULTIPART_RELATED = MediaType.parseMediaType("multipart/related");
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WadoService.class);
  /** The {@code transfer-syntax} value that takes the files as stored. */
  static final String ANY = "*";
  static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";

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
    Set<String> wanted = requestedSyntaxes(request.getHeader("Accept"));
    if (wanted == null) {
      OperationOutcomes.send(response, 406, "WADO-RS answers multipart/related; type=\"application/dicom\" only");
      return;
    }
    List<StudyIndex.Instance> files = storedOr404(response, study, series, sop);
    if (files.isEmpty()) {
      return;
    }
    List<String> syntaxes = new java.util.ArrayList<>();
    for (StudyIndex.Instance file : files) {
      String stored = storedSyntax(file);
      boolean convertible = Transcoder.canMakeExplicitLittleEndian(stored) && size(file) <= Transcoder.MAX_FILE_BYTES;
      String given = wanted.contains(ANY) || wanted.contains(stored) ? stored
          : wanted.contains(EXPLICIT_LE) && convertible ? EXPLICIT_LE : null;
      if (given == null) {
        OperationOutcomes.send(response, 406, "instance " + file.sopUid() + " is stored in transfer syntax " + stored
            + (convertible ? "; it can be given as stored or in " + EXPLICIT_LE + " (Explicit VR Little Endian)"
                : "; it can be given only as stored") + ", not in " + wanted);
        return;
      }
      syntaxes.add(given);
    }
    send(request, response, files, syntaxes);
  }

  private void send(HttpServletRequest request, HttpServletResponse response, List<StudyIndex.Instance> files,
      List<String> syntaxes) throws IOException {
    byte[] first = null;
    if (converted(files.get(0), syntaxes.get(0))) {
      try {
        first = Transcoder.toExplicitLittleEndian(files.get(0).path()); // before the status is sent: a 406 is still possible
      } catch (CodecException | DicomFormatException e) {
        OperationOutcomes.send(response, 406, "instance " + files.get(0).sopUid() + " is stored in transfer syntax "
            + storedSyntax(files.get(0)) + " and cannot be given in " + EXPLICIT_LE + " (Explicit VR Little Endian): "
            + e.getMessage() + "; ask with transfer-syntax=* for the files as stored");
        return;
      }
    }
    String boundary = MultipartWriter.newBoundary();
    boolean one = syntaxes.stream().distinct().count() == 1 && !syntaxes.get(0).isEmpty();
    response.setStatus(200);
    response.setContentType("multipart/related; type=\"application/dicom\"; boundary=" + boundary
        + (one ? "; transfer-syntax=" + syntaxes.get(0) : ""));
    try {
      MultipartWriter parts = new MultipartWriter(response.getOutputStream(), boundary);
      for (int i = 0; i < files.size(); i++) {
        StudyIndex.Instance file = files.get(i);
        String partType = syntaxes.get(i).isEmpty() ? "application/dicom"
            : "application/dicom; transfer-syntax=" + syntaxes.get(i);
        if (i == 0 && first != null) {
          parts.part(partType, first);
        } else if (converted(file, syntaxes.get(i))) {
          parts.part(partType, new java.io.ByteArrayInputStream(transcoded(file)));
        } else {
          try (InputStream in = Files.newInputStream(file.path())) {
            parts.part(partType, in);
          }
        }
      }
      parts.finish();
    } finally {
      // recorded once sending began, also when the client went away part way
      audit.test(PhiAccess.dicomWeb(request, true, QidoService.base(request), studiesByPatient(files)));
    }
  }

  private static boolean converted(StudyIndex.Instance file, String given) {
    return given.equals(EXPLICIT_LE) && !EXPLICIT_LE.equals(storedSyntax(file));
  }

  /**
   * The instance decoded to Explicit VR Little Endian (the first one is decoded before the answer
   * begins, so that it can still be refused with 406). A later stored instance that cannot be decoded
   * after the answer began cannot become an error status any more: the answer is cut off (no
   * closing boundary), which a client sees as an incomplete multipart body.
   */
  private static byte[] transcoded(StudyIndex.Instance file) throws IOException {
    try {
      return Transcoder.toExplicitLittleEndian(file.path());
    } catch (CodecException | DicomFormatException e) {
      LOG.warn("WADO-RS: instance {} cannot be decoded to Explicit VR Little Endian ({}); answer cut off",
          file.sopUid(), e.getMessage());
      throw new IOException("instance " + file.sopUid() + " cannot be transcoded: " + e.getMessage(), e);
    }
  }

  private static long size(StudyIndex.Instance file) {
    try {
      return Files.size(file.path());
    } catch (IOException gone) {
      return Long.MAX_VALUE;
    }
  }

  /** The stored file's transfer syntax; "" when its meta group cannot be read (it is then sent as it is). */
  private static String storedSyntax(StudyIndex.Instance file) {
    try {
      return Transcoder.storedSyntax(file.path());
    } catch (IOException | DicomFormatException | RuntimeException unreadable) {
      return "";
    }
  }

  /**
   * WADO-RS Retrieve Metadata (PS3.18 10.4.1.1.2): the attributes of every stored instance of the
   * study, series or instance as an {@code application/dicom+json} array, bulk data as URIs of the
   * instance's bulkdata resource ({@link DicomJsonWriter}, answered by {@link #bulkData}). Streamed: one instance's header is in memory at a time, read from its
   * file up to Pixel Data (at most {@value #MAX_METADATA_HEADER} bytes; an instance whose header is
   * longer, or whose file cannot be read, is given with the attributes the study index holds).
   */
  void metadata(HttpServletRequest request, HttpServletResponse response, String study, String series, String sop)
      throws IOException {
    if (!QidoService.acceptsJson(request.getHeader("Accept"))) {
      OperationOutcomes.send(response, 406, "WADO-RS metadata is answered in application/dicom+json only");
      return;
    }
    List<StudyIndex.Instance> files = storedOr404(response, study, series, sop);
    if (files.isEmpty()) {
      return;
    }
    response.setStatus(200);
    response.setContentType(DicomJson.MEDIA_TYPE);
    response.setCharacterEncoding("UTF-8");
    try (JsonGenerator json = DicomJson.MAPPER.getFactory().createGenerator(response.getOutputStream())) {
      json.writeStartArray();
      String base = QidoService.base(request);
      for (StudyIndex.Instance file : files) {
        DicomJsonWriter.write(json, header(file), base + "/studies/" + file.studyUid() + "/series/" + file.seriesUid()
            + "/instances/" + file.sopUid() + "/bulkdata");
        json.flush();
      }
      json.writeEndArray();
    } finally {
      audit.test(PhiAccess.dicomWeb(request, true, QidoService.base(request), studiesByPatient(files)));
    }
  }

  /**
   * WADO-RS Retrieve Bulkdata (PS3.18 10.4.1.1.3): one binary value of a stored instance, named by a
   * {@link BulkData} path as the metadata's {@code BulkDataURI} gives it, as a one-part
   * {@code multipart/related; type="application/octet-stream"} answer, in Explicit VR Little Endian
   * (compressed Pixel Data decoded). 404 when the instance or the value is not there, 406 when the
   * value cannot be given so (or another media type or transfer syntax is asked for), 400 for a
   * malformed path.
   */
  void bulkData(HttpServletRequest request, HttpServletResponse response, String study, String series, String sop,
      String path) throws IOException {
    if (!acceptsOctetStream(request.getHeader("Accept"))) {
      OperationOutcomes.send(response, 406, "WADO-RS bulk data is answered as multipart/related;"
          + " type=\"application/octet-stream\" in transfer syntax " + EXPLICIT_LE + " (or *) only");
      return;
    }
    List<StudyIndex.Instance> files = storedOr404(response, study, series, sop);
    if (files.isEmpty()) {
      return;
    }
    StudyIndex.Instance file = files.get(0);
    java.util.Optional<byte[]> value;
    try {
      value = BulkData.value(file.path(), path);
    } catch (IllegalArgumentException badPath) {
      OperationOutcomes.send(response, 400, badPath.getMessage());
      return;
    } catch (CodecException | DicomFormatException e) {
      OperationOutcomes.send(response, 406, "bulk data " + path + " of instance " + sop
          + " cannot be given in Explicit VR Little Endian: " + e.getMessage());
      return;
    }
    if (value.isEmpty()) {
      OperationOutcomes.send(response, 404, "instance " + sop + " has no binary value at " + path);
      return;
    }
    String boundary = MultipartWriter.newBoundary();
    response.setStatus(200);
    response.setContentType("multipart/related; type=\"application/octet-stream\"; boundary=" + boundary);
    try {
      MultipartWriter parts = new MultipartWriter(response.getOutputStream(), boundary);
      parts.part("application/octet-stream; transfer-syntax=" + EXPLICIT_LE, value.get());
      parts.finish();
    } finally {
      audit.test(PhiAccess.dicomWeb(request, true, QidoService.base(request), studiesByPatient(files)));
    }
  }

  /** Whether Accept allows a multipart/related answer of application/octet-stream in Explicit VR Little Endian. */
  static boolean acceptsOctetStream(String accept) {
    if (accept == null || accept.isBlank()) {
      return true;
    }
    try {
      for (MediaType t : MediaType.parseMediaTypes(accept)) {
        String type = t.getParameter("type") == null ? null : t.getParameter("type").replace("\"", "");
        String ts = t.getParameter("transfer-syntax") == null ? null : t.getParameter("transfer-syntax").replace("\"", "");
        boolean related = t.isCompatibleWith(MULTIPART_RELATED) && !t.isWildcardSubtype()
            && (type == null || type.equalsIgnoreCase("application/octet-stream"));
        if (t.isWildcardType() || related && (ts == null || ts.equals(ANY) || ts.equals(EXPLICIT_LE))) {
          return true;
        }
      }
    } catch (InvalidMediaTypeException e) {
      return false;
    }
    return false;
  }

  /** The data set before Pixel Data; the index's attributes when the file cannot be read or is too long. */
  private static DataSet header(StudyIndex.Instance file) {
    for (int limit : new int[] {256 * 1024, MAX_METADATA_HEADER}) {
      try {
        return Part10.readHeader(file.path(), limit);
      } catch (IOException | DicomFormatException | RuntimeException tooLongOrUnreadable) {
        // try the larger limit, then fall back to the index
      }
    }
    DataSet known = new DataSet();
    known.putString(Tag.SOPClassUID, Vr.UI, file.sopClass() == null ? "" : file.sopClass());
    known.putString(Tag.SOPInstanceUID, Vr.UI, file.sopUid());
    known.putString(Tag.StudyInstanceUID, Vr.UI, file.studyUid());
    known.putString(Tag.SeriesInstanceUID, Vr.UI, file.seriesUid());
    known.putString(Tag.PatientID, Vr.LO, file.patientId());
    return known;
  }

  /** The studies of these instances by their DICOM Patient ID. */
  private static Map<String, Set<String>> studiesByPatient(List<StudyIndex.Instance> instances) {
    Map<String, Set<String>> studies = new TreeMap<>();
    instances.forEach(i -> studies.computeIfAbsent(i.patientId(), p -> new TreeSet<>()).add(i.studyUid()));
    return studies;
  }

  /**
   * The transfer syntaxes an Accept header asks for in its acceptable media ranges
   * ({@code multipart/related} of {@code application/dicom}, or a wildcard): {@link #EXPLICIT_LE} for
   * a range that names no {@code transfer-syntax}, for a wildcard and for no Accept at all (PS3.18
   * 8.7.3: Explicit VR Little Endian is the default for {@code application/dicom}); {@link #ANY} for
   * {@code transfer-syntax=*}, so the files go as stored; null when no media range is acceptable (406).
   */
  static Set<String> requestedSyntaxes(String accept) {
    if (accept == null || accept.isBlank()) {
      return Set.of(EXPLICIT_LE);
    }
    List<MediaType> types;
    try {
      types = MediaType.parseMediaTypes(accept);
    } catch (InvalidMediaTypeException e) {
      return null;
    }
    Set<String> wanted = new TreeSet<>();
    boolean acceptable = false;
    for (MediaType t : types) {
      boolean dicom = t.isCompatibleWith(MULTIPART_RELATED) && !t.isWildcardSubtype() && (t.getParameter("type") == null
          || t.getParameter("type").replace("\"", "").equalsIgnoreCase("application/dicom"));
      if (t.isWildcardType() || dicom) {
        acceptable = true;
        String ts = t.getParameter("transfer-syntax");
        wanted.add(ts == null || t.isWildcardType() ? EXPLICIT_LE : ts.replace("\"", "").trim());
      }
    }
    return acceptable ? wanted : null;
  }

  /** The stored instances asked for; none, with a 404 already sent, when nothing is stored. */
  private List<StudyIndex.Instance> storedOr404(HttpServletResponse response, String study, String series, String sop)
      throws IOException {
    List<StudyIndex.Instance> files = index.instances(study, series, sop);
    if (files.isEmpty()) {
      OperationOutcomes.send(response, 404, "no stored instance of " + (sop != null ? "instance " + sop
          : series != null ? "series " + series : "study " + study));
    }
    return files;
  }
}
