package io.seedtrace.server.dicomweb;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seedtrace.dicom.NodeConfig;
import io.seedtrace.dicom.web.MalformedMultipartException;
import io.seedtrace.dicom.web.StowReceiver;
import io.seedtrace.server.dicom.DicomNodeService;
import io.seedtrace.server.security.http.OperationOutcomes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * STOW-RS (PS3.18 10.5): a {@code multipart/related; type="application/dicom"} body streamed part
 * by part into the DICOM node's spool ({@link StowReceiver}); each instance is acknowledged only
 * once durable, as for a C-STORE. Answer: the Store Instances response in DICOM JSON, 200 when all
 * were stored, 202 when some were, 409 when none was, 413 when the first part was already over the
 * limit; 415 for another media type, 400 for a body that is not multipart at all.
 */
final class StowService {

  private static final Logger LOG = LoggerFactory.getLogger(StowService.class);
  private static final int RETRIEVE_URL = 0x00081190;
  private static final int FAILED_SOP_SEQUENCE = 0x00081198;
  private static final int REFERENCED_SOP_SEQUENCE = 0x00081199;
  private static final int REFERENCED_SOP_CLASS = 0x00081150;
  private static final int REFERENCED_SOP_INSTANCE = 0x00081155;
  private static final int FAILURE_REASON = 0x00081197;
  /** Warning headers naming failed instances, at most. */
  private static final int MAX_WARNINGS = 20;

  private final DicomNodeService node;
  private final StowReceiver.Limits limits;

  StowService(DicomNodeService node, StowReceiver.Limits limits) {
    this.node = node;
    this.limits = limits;
  }

  void store(HttpServletRequest request, HttpServletResponse response, String study) throws IOException {
    Optional<String> boundary = boundary(request, response);
    if (boundary.isEmpty()) {
      return;
    }
    NodeConfig config = node.config();
    StowReceiver receiver = new StowReceiver(node.store(), config::acceptsSopClass, config::acceptsTransferSyntax, limits);
    StowReceiver.Result result;
    try {
      result = receiver.receive(request.getInputStream(), boundary.get(), Optional.ofNullable(study),
          request.getRemoteAddr());
    } catch (MalformedMultipartException e) {
      response.setHeader("Connection", "close");
      OperationOutcomes.send(response, 400, "not a readable multipart body: " + e.getMessage());
      return;
    }
    if (result.storedCount() > 0) {
      node.awaitStored(); // the Retrieve URLs of the answer find the files and the index rows at once
    }
    answer(request, response, withSeries(result));
  }

  /**
   * The result with every stored instance's study and series, looked up in the spool for those
   * whose header could not be read while streaming (a deflated data set, a header over 256 KiB).
   */
  private StowReceiver.Result withSeries(StowReceiver.Result result) throws IOException {
    if (result.instances().stream().noneMatch(i -> i.stored() && i.seriesUid().isEmpty())) {
      return result;
    }
    java.util.Map<String, io.seedtrace.dicom.spool.InstanceRecord> bySop = new java.util.HashMap<>();
    node.instances().forEach(r -> bySop.put(r.sopInstanceUid(), r));
    return new StowReceiver.Result(result.instances().stream().map(i -> {
      io.seedtrace.dicom.spool.InstanceRecord r = bySop.get(i.sopInstanceUid());
      return !i.stored() || !i.seriesUid().isEmpty() || r == null ? i : new StowReceiver.Instance(i.sopClassUid(),
          i.sopInstanceUid(), r.studyUid(), r.seriesUid(), i.status(), i.comment());
    }).toList(), result.stoppedBecause(), result.overLimit());
  }

  /** The boundary of a {@code multipart/related; type="application/dicom"} body, or empty after answering 415/400. */
  private static Optional<String> boundary(HttpServletRequest request, HttpServletResponse response) throws IOException {
    MediaType type;
    try {
      type = MediaType.parseMediaType(String.valueOf(request.getContentType()));
    } catch (InvalidMediaTypeException e) {
      type = MediaType.APPLICATION_OCTET_STREAM;
    }
    String partType = type.getParameter("type");
    boolean dicom = partType == null || unquote(partType).equalsIgnoreCase("application/dicom");
    if (!type.isCompatibleWith(MediaType.parseMediaType("multipart/related")) || type.isWildcardSubtype() || !dicom) {
      response.setHeader("Connection", "close");
      OperationOutcomes.send(response, 415, "STOW-RS takes multipart/related; type=\"application/dicom\" (Part 10"
          + " files), not " + request.getContentType());
      return Optional.empty();
    }
    String boundary = type.getParameter("boundary");
    if (boundary == null || unquote(boundary).isEmpty() || unquote(boundary).length() > 70) {
      response.setHeader("Connection", "close");
      OperationOutcomes.send(response, 400, "the multipart/related media type has no valid boundary parameter");
      return Optional.empty();
    }
    return Optional.of(unquote(boundary));
  }

  private static String unquote(String s) {
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
  }

  private static void answer(HttpServletRequest request, HttpServletResponse response, StowReceiver.Result result)
      throws IOException {
    long stored = result.storedCount();
    int total = result.instances().size();
    int status = stored == total && result.stoppedBecause().isEmpty() && total > 0 ? 200
        : stored > 0 ? 202
        : result.overLimit() ? 413
        : total == 0 ? 400 : 409;
    if (total == 0) {
      OperationOutcomes.send(response, status, result.stoppedBecause().orElse("the body holds no instance"));
      return;
    }
    String base = QidoService.base(request);
    warn(response, result);
    if (result.stoppedBecause().isPresent()) {
      response.setHeader("Connection", "close");
      LOG.warn("STOW-RS from {}: {} of {} instances stored, then stopped: {}", request.getRemoteAddr(), stored, total,
          result.stoppedBecause().get());
    }
    response.setStatus(status);
    response.setContentType(DicomJson.MEDIA_TYPE);
    DicomJson.MAPPER.writeValue(response.getOutputStream(), body(result, base));
  }

  /** A Warning header per failed instance (the JSON model has no place for the reason's text). */
  private static void warn(HttpServletResponse response, StowReceiver.Result result) {
    result.instances().stream().filter(i -> !i.stored()).limit(MAX_WARNINGS).forEach(i -> response.addHeader(
        "Warning", "299 SeedTrace \"" + (i.sopInstanceUid().isEmpty() ? "a part" : i.sopInstanceUid()) + ": "
            + i.comment().replace('"', '\'') + "\""));
    result.stoppedBecause().ifPresent(s -> response.addHeader("Warning", "299 SeedTrace \"" + s.replace('"', '\'')
        + "\""));
  }

  static ObjectNode body(StowReceiver.Result result, String base) {
    ObjectNode body = DicomJson.dataSet();
    java.util.TreeSet<String> studies = new java.util.TreeSet<>();
    result.instances().stream().filter(StowReceiver.Instance::stored).forEach(i -> studies.add(i.studyUid()));
    if (studies.size() == 1 && !studies.first().isEmpty()) {
      DicomJson.text(body, RETRIEVE_URL, "UR", base + "/studies/" + studies.first());
    }
    ArrayNode failed = null;
    ArrayNode referenced = null;
    for (StowReceiver.Instance i : result.instances()) {
      ObjectNode item;
      if (i.stored()) {
        referenced = referenced != null ? referenced : DicomJson.sequence(body, REFERENCED_SOP_SEQUENCE);
        item = referenced.addObject();
      } else {
        failed = failed != null ? failed : DicomJson.sequence(body, FAILED_SOP_SEQUENCE);
        item = failed.addObject();
      }
      DicomJson.text(item, REFERENCED_SOP_CLASS, "UI", i.sopClassUid());
      DicomJson.text(item, REFERENCED_SOP_INSTANCE, "UI", i.sopInstanceUid());
      if (!i.stored()) {
        DicomJson.number(item, FAILURE_REASON, "US", i.status());
      } else if (!i.studyUid().isEmpty() && !i.seriesUid().isEmpty()) {
        DicomJson.text(item, RETRIEVE_URL, "UR", base + "/studies/" + i.studyUid() + "/series/" + i.seriesUid()
            + "/instances/" + i.sopInstanceUid());
      }
    }
    return body;
  }
}
