package io.seedtrace.server.verification;

import io.seedtrace.routes.verification.Plan;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.param.ReferenceParam;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seedtrace.detection.plan.RigidTransform;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.rt.BrachyPlanReader;
import io.seedtrace.dicom.rt.PlannedPositions;
import io.seedtrace.dicom.rt.SpatialRegistration;
import io.seedtrace.dicom.rt.SpatialRegistrationReader;
import io.seedtrace.dicom.rt.StructureSetPointReader;
import io.seedtrace.server.store.FhirStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.DocumentReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the planned positions come from, in this order: (c) a plan document attached to the
 * procedure (DocumentReference whose {@code context.related} is the Procedure, JSON or CSV, format
 * in docs/verification.md); (a) a DICOM RT Plan or (b) an RT Structure Set with POINT ROIs that
 * the PACS sent for this patient (preferring one in the CT's frame of reference, then the newest).
 * A Spatial Registration object of the patient that links the plan's frame to the CT's gives the
 * transform.
 */
public final class PlanSource {

  private static final Logger LOG = LoggerFactory.getLogger(PlanSource.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How a plan read from a DICOM RT Plan names its source: this, then the plan's SOP Instance UID. */
  static final String RT_PLAN = "RT Plan ";

  private final FhirStore store;
  private final VerificationTables tables;

  /** The SOP Instance UID of the DICOM RT Plan a plan was read from; empty for other sources. */
  public static Optional<String> rtPlanUid(Plan plan) {
    if (!plan.source().startsWith(RT_PLAN)) {
      return Optional.empty();
    }
    String uid = plan.source().substring(RT_PLAN.length()).split(" ", 2)[0];
    return uid.matches("[0-9.]{1,64}") ? Optional.of(uid) : Optional.empty();
  }

  public PlanSource(FhirStore store, VerificationTables tables) {
    this.store = store;
    this.tables = tables;
  }

  public Optional<Plan> find(String procedureId, String patientId, String ctFrameOfReference) {
    Optional<Plan> uploaded = fromDocument(procedureId);
    if (uploaded.isPresent()) {
      return uploaded.map(p -> withTransform(p, patientId, ctFrameOfReference));
    }
    if (patientId == null || patientId.isBlank()) {
      return Optional.empty();
    }
    List<VerificationTables.RtObject> objects = tables.rtObjectsOf(patientId);
    List<VerificationTables.RtObject> plans = new ArrayList<>(objects.stream()
        .filter(o -> o.kind().equals("RTPLAN") || o.kind().equals("RTSTRUCT")).toList());
    plans.sort((a, b) -> Boolean.compare(ctFrameOfReference.equals(b.frameOfReference()),
        ctFrameOfReference.equals(a.frameOfReference())));
    for (VerificationTables.RtObject o : plans) {
      try {
        DataSet ds = Part10.read(Files.readAllBytes(Path.of(o.path()))).dataSet();
        PlannedPositions p = o.kind().equals("RTPLAN") ? BrachyPlanReader.read(ds) : StructureSetPointReader.read(ds);
        Plan plan = new Plan(p.positions(), p.frameOfReferenceUid(),
            (o.kind().equals("RTPLAN") ? RT_PLAN : "RT Structure Set ") + o.sopUid(), Optional.empty());
        return Optional.of(withTransform(plan, patientId, ctFrameOfReference));
      } catch (Exception unreadable) {
        LOG.warn("plan source {} ({}) is not usable: {}", o.sopUid(), o.kind(), unreadable.getMessage());
      }
    }
    return Optional.empty();
  }

  private Plan withTransform(Plan plan, String patientId, String ctFrame) {
    if (plan.frameOfReferenceUid() == null || plan.frameOfReferenceUid().isBlank()
        || plan.frameOfReferenceUid().equals(ctFrame)) {
      return plan.frameOfReferenceUid() != null && plan.frameOfReferenceUid().equals(ctFrame)
          ? new Plan(plan.positions(), plan.frameOfReferenceUid(), plan.source(), Optional.of(RigidTransform.identity()))
          : plan;
    }
    if (patientId != null) {
      for (VerificationTables.RtObject o : tables.rtObjectsOf(patientId)) {
        if (!o.kind().equals("REG")) {
          continue;
        }
        try {
          SpatialRegistration reg = SpatialRegistrationReader.read(Part10.read(Files.readAllBytes(Path.of(o.path())))
              .dataSet());
          Optional<double[]> m = reg.matrixBetween(plan.frameOfReferenceUid(), ctFrame);
          if (m.isPresent()) {
            return new Plan(plan.positions(), plan.frameOfReferenceUid(), plan.source() + " via registration "
                + o.sopUid(), Optional.of(RigidTransform.fromDicomMatrix(m.get())));
          }
        } catch (Exception unreadable) {
          LOG.warn("spatial registration {} is not usable: {}", o.sopUid(), unreadable.getMessage());
        }
      }
    }
    return plan;
  }

  private Optional<Plan> fromDocument(String procedureId) {
    List<DocumentReference> docs = store.search(DocumentReference.class, new SearchParameterMap().add("related",
        new ReferenceParam(procedureId)));
    for (DocumentReference doc : docs) {
      if (doc.getStatus() != org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus.CURRENT) {
        continue;
      }
      for (DocumentReference.DocumentReferenceContentComponent c : doc.getContent()) {
        Attachment a = c.getAttachment();
        if (!a.hasData()) {
          continue;
        }
        String text = new String(a.getData(), StandardCharsets.UTF_8);
        String id = doc.getIdElement().toUnqualifiedVersionless().getValue();
        try {
          return Optional.of(parse(text, a.getContentType(), id));
        } catch (IllegalArgumentException bad) {
          LOG.warn("plan document {} is not usable: {}", id, bad.getMessage());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * A plan document: JSON {@code {"frameOfReferenceUid": "...", "seeds": [[x, y, z], ...]}} (or
   * seeds as objects with x, y, z) or CSV lines {@code x,y,z} (mm, patient LPS; an optional header
   * line and {@code # frameOfReferenceUid=...} comment).
   */
  static Plan parse(String text, String contentType, String source) {
    List<double[]> positions = new ArrayList<>();
    String frame = null;
    String trimmed = text.trim();
    if ((contentType != null && contentType.contains("json")) || trimmed.startsWith("{")) {
      try {
        JsonNode root = JSON.readTree(trimmed);
        frame = root.path("frameOfReferenceUid").asText(null);
        for (JsonNode s : root.path("seeds")) {
          double[] p = s.isArray() ? new double[] {s.path(0).asDouble(Double.NaN), s.path(1).asDouble(Double.NaN),
              s.path(2).asDouble(Double.NaN)}
              : new double[] {s.path("x").asDouble(Double.NaN), s.path("y").asDouble(Double.NaN),
                  s.path("z").asDouble(Double.NaN)};
          positions.add(checked(p));
        }
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("not JSON: " + e.getMessage());
      }
    } else {
      for (String line : trimmed.split("\\R")) {
        String l = line.trim();
        if (l.startsWith("#")) {
          if (l.contains("frameOfReferenceUid=")) {
            frame = l.substring(l.indexOf('=') + 1).trim();
          }
          continue;
        }
        if (l.isEmpty() || Character.isLetter(l.charAt(0))) {
          continue;
        }
        String[] f = l.split("[,;\\s]+");
        if (f.length < 3) {
          throw new IllegalArgumentException("a CSV line needs x,y,z: " + l);
        }
        try {
          positions.add(checked(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]),
              Double.parseDouble(f[2])}));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("not a number in: " + l);
        }
      }
    }
    if (positions.isEmpty()) {
      throw new IllegalArgumentException("no seed positions");
    }
    return new Plan(positions, frame, "plan document " + source, Optional.empty());
  }

  private static double[] checked(double[] p) {
    for (double v : p) {
      if (!Double.isFinite(v) || Math.abs(v) > 10_000) {
        throw new IllegalArgumentException("a seed position needs three finite coordinates in mm");
      }
    }
    return p;
  }
}
