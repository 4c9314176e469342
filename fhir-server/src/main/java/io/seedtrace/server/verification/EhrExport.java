package io.seedtrace.server.verification;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.FhirTerser;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * The transaction Bundle the EHR receives for one verification. Every entry is a conditional
 * create on its identifier ({@code ifNoneExist}), so delivering it twice changes nothing; the
 * patient, the implant procedure and the cartridge travel as minimal copies, also created only
 * when the EHR does not know them by identifier, and all references point inside the bundle.
 */
public final class EhrExport {

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  private EhrExport() {}

  public static Bundle bundle(Patient patient, Procedure procedure, Device device, List<Resource> results) {
    Map<String, String> urls = new HashMap<>();
    Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    Patient p = new Patient();
    p.setIdentifier(patient.getIdentifier());
    p.setName(patient.getName());
    p.setGender(patient.getGender());
    p.setBirthDate(patient.getBirthDate());
    add(tx, urls, patient, p);
    Procedure proc = new Procedure();
    proc.setMeta(procedure.getMeta().copy().setVersionIdElement(null).setLastUpdatedElement(null));
    proc.setExtension(procedure.getExtension());
    proc.setIdentifier(procedure.getIdentifier());
    proc.setStatus(procedure.getStatus());
    proc.setCode(procedure.getCode());
    proc.setPerformed(procedure.getPerformed());
    for (Procedure.ProcedurePerformerComponent performer : procedure.getPerformer()) {
      proc.addPerformer().getActor().setDisplay(performer.getActor().hasDisplay() ? performer.getActor().getDisplay()
          : "implanting physician");
    }
    add(tx, urls, procedure, proc);
    Device d = new Device();
    d.setIdentifier(device.getIdentifier());
    d.setStatus(device.getStatus());
    d.setManufacturer(device.getManufacturer());
    d.setLotNumber(device.getLotNumber());
    d.setSerialNumber(device.getSerialNumber());
    d.setType(device.getType());
    add(tx, urls, device, d);
    for (Resource r : results) {
      add(tx, urls, r, r.copy());
    }
    // resolve references: subjects and parts point to the copies
    proc.setSubject(new Reference(urls.get(ref(patient))));
    proc.addFocalDevice().setManipulated(new Reference(urls.get(ref(device)))).getAction()
        .setText("seeds loaded from cartridge");
    FhirTerser terser = FHIR.newTerser();
    for (Bundle.BundleEntryComponent e : tx.getEntry()) {
      for (Reference reference : terser.getAllPopulatedChildElementsOfType(e.getResource(), Reference.class)) {
        String target = urls.get(reference.getReference());
        if (target != null) {
          reference.setReference(target);
        }
      }
    }
    return tx;
  }

  private static void add(Bundle tx, Map<String, String> urls, Resource original, Resource copy) {
    String url = "urn:uuid:" + UUID.randomUUID();
    String localRef = ref(original);
    if (localRef != null) {
      urls.put(localRef, url);
    }
    copy.setId((String) null);
    if (copy.getMeta() != null) {
      copy.getMeta().setVersionIdElement(null).setLastUpdatedElement(null).setSourceElement(null);
    }
    Bundle.BundleEntryComponent e = tx.addEntry().setFullUrl(url).setResource(copy);
    e.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl(copy.fhirType());
    Identifier id = firstIdentifier(copy);
    if (id != null && id.hasValue()) {
      e.getRequest().setIfNoneExist("identifier=" + (id.hasSystem() ? id.getSystem() + "|" : "") + id.getValue());
    }
  }

  /** The placeholder a result resource was registered under (its temporary id), for resolving. */
  static String ref(Resource r) {
    if (r.getIdElement() == null || r.getIdElement().isEmpty()) {
      return null;
    }
    String value = r.getIdElement().getValue();
    return value.startsWith("urn:") ? value : r.getIdElement().toUnqualifiedVersionless().getValue();
  }

  private static Identifier firstIdentifier(Resource r) {
    List<Identifier> ids = FHIR.newTerser().getValues(r, r.fhirType() + ".identifier", Identifier.class);
    for (Identifier id : ids) {
      if (id.hasValue() && id.hasSystem()) {
        return id;
      }
    }
    return ids.isEmpty() ? null : ids.get(0);
  }
}
