package io.seedtrace.server.support;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Reference;

/** Attaches a seed plan to an implant procedure as the physicist would: a DocumentReference (JSON or CSV). */
public final class PlanDocument {

  private PlanDocument() {}

  public static void attachJson(IGenericClient physicist, String patientId, String procedureId,
      List<double[]> positions, String frameOfReference) {
    StringBuilder json = new StringBuilder("{\"frameOfReferenceUid\": \"" + frameOfReference + "\", \"seeds\": [");
    for (int i = 0; i < positions.size(); i++) {
      double[] p = positions.get(i);
      json.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "[%.2f,%.2f,%.2f]", p[0], p[1], p[2]));
    }
    attach(physicist, patientId, procedureId, "application/json", json.append("]}").toString());
  }

  public static void attachCsv(IGenericClient physicist, String patientId, String procedureId,
      List<double[]> positions, String frameOfReference) {
    StringBuilder csv = new StringBuilder("# frameOfReferenceUid=" + frameOfReference + "\nx,y,z\n");
    positions.forEach(p -> csv.append(String.format(Locale.ROOT, "%.2f,%.2f,%.2f%n", p[0], p[1], p[2])));
    attach(physicist, patientId, procedureId, "text/csv", csv.toString());
  }

  private static void attach(IGenericClient physicist, String patientId, String procedureId, String contentType,
      String text) {
    DocumentReference doc = new DocumentReference();
    doc.setStatus(Enumerations.DocumentReferenceStatus.CURRENT);
    doc.getType().setText("brachytherapy seed plan");
    doc.setSubject(new Reference(patientId));
    doc.getContext().addRelated(new Reference(procedureId));
    doc.addContent().getAttachment().setContentType(contentType).setData(text.getBytes(StandardCharsets.UTF_8));
    physicist.create().resource(doc).execute();
  }
}
