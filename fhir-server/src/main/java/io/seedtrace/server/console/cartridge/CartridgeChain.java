package io.seedtrace.server.console.cartridge;

import io.seedtrace.server.custody.FhirStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.SupplyDelivery;
import org.hl7.fhir.r4.model.SupplyRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * A cartridge's custody chain for its page: the same resources {@code $trace} collects (order,
 * shipment, the Device, implants, counts, reports, alarms, return Task and their Provenance),
 * found by indexed searches (shipments by item, implants by focal device, counts by device, reports
 * by an extension's reference or by result, alarms by implicated, tasks by focus, provenance by
 * target; the package adds the search parameters R4 lacks), so the page reads the cartridge's own
 * resources, not the store.
 */
public final class CartridgeChain {

  private static final int CHUNK = 100;

  private final FhirStore store;

  public CartridgeChain(FhirStore store) {
    this.store = store;
  }

  /** The chain of an existing cartridge ({@code Device/id}) as a collection Bundle. */
  public Bundle of(String deviceId) {
    Map<String, Resource> chain = new LinkedHashMap<>();
    Device device = store.read(Device.class, deviceId);
    List<SupplyDelivery> shipments = store.byReference(SupplyDelivery.class, "item", deviceId);
    for (SupplyDelivery s : shipments) {
      for (Reference based : s.getBasedOn()) {
        store.readOptional(SupplyRequest.class, based.getReference()).ifPresent(o -> put(chain, o));
      }
    }
    shipments.forEach(s -> put(chain, s));
    put(chain, device);
    store.byReference(Procedure.class, "focal-device", deviceId).forEach(p -> put(chain, p));
    List<Observation> counts = store.byReference(Observation.class, "device", deviceId);
    counts.forEach(o -> put(chain, o));
    reports(deviceId, counts).forEach(r -> put(chain, r));
    store.byReference(DetectedIssue.class, "implicated", deviceId).forEach(i -> put(chain, i));
    store.byReference(Task.class, "focus", deviceId).forEach(t -> put(chain, t));
    byReferences(Provenance.class, "target", List.copyOf(chain.keySet())).forEach(p -> put(chain, p));
    Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
    bundle.setTimestamp(new Date());
    chain.values().forEach(r -> bundle.addEntry().setFullUrl(r.getIdElement().toUnqualifiedVersionless().getValue())
        .setResource(r));
    return bundle;
  }

  /** Reports that name the device in an extension or have one of its counts as a result. */
  private List<DiagnosticReport> reports(String deviceId, List<Observation> counts) {
    Map<String, DiagnosticReport> found = new LinkedHashMap<>();
    store.byReference(DiagnosticReport.class, "extension-reference", deviceId)
        .forEach(r -> found.putIfAbsent(r.getIdElement().getIdPart(), r));
    List<String> countRefs = counts.stream().map(o -> "Observation/" + o.getIdElement().getIdPart()).toList();
    byReferences(DiagnosticReport.class, "result", countRefs).forEach(r -> found.putIfAbsent(r.getIdElement().getIdPart(), r));
    return List.copyOf(found.values());
  }

  /** {@link FhirStore#byAnyReference} in chunks, so a long chain never makes one huge OR search. */
  private <T extends IBaseResource> List<T> byReferences(Class<T> type, String param, Collection<String> refs) {
    List<String> list = List.copyOf(refs);
    List<T> found = new ArrayList<>();
    for (int i = 0; i < list.size(); i += CHUNK) {
      found.addAll(store.byAnyReference(type, param, list.subList(i, Math.min(list.size(), i + CHUNK))));
    }
    return found;
  }

  private static void put(Map<String, Resource> chain, Resource r) {
    chain.putIfAbsent(r.getIdElement().toUnqualifiedVersionless().getValue(), r);
  }
}
