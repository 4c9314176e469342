package io.seedtrace.server.console.cartridge;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import io.seedtrace.server.custody.FhirStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
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
 * found by indexed searches (the counts by device, reports by result, alarms by implicated, tasks
 * by focus, provenance by target) and, where R4 has no search parameter, through
 * {@link CustodyLinks}; so the page reads the cartridge's own resources, not the store.
 */
public final class CartridgeChain {

  private static final int CHUNK = 100;

  private final FhirStore store;
  private final CustodyLinks links;

  public CartridgeChain(FhirStore store, CustodyLinks links) {
    this.store = store;
    this.links = links;
  }

  /** The chain of an existing cartridge ({@code Device/id}) as a collection Bundle. */
  public Bundle of(String deviceId) {
    Map<String, Resource> chain = new LinkedHashMap<>();
    Device device = store.read(Device.class, deviceId);
    List<String> linked = links.refs(deviceId);
    List<SupplyDelivery> shipments = linkedOf(SupplyDelivery.class, linked, s -> s.getSuppliedItem().hasItemReference()
        && deviceId.equals(s.getSuppliedItem().getItemReference().getReference()));
    for (SupplyDelivery s : shipments) {
      for (Reference based : s.getBasedOn()) {
        store.readOptional(SupplyRequest.class, based.getReference()).ifPresent(o -> put(chain, o));
      }
    }
    shipments.forEach(s -> put(chain, s));
    put(chain, device);
    linkedOf(Procedure.class, linked, p -> p.getFocalDevice().stream()
        .anyMatch(f -> deviceId.equals(f.getManipulated().getReference()))).forEach(p -> put(chain, p));
    List<Observation> counts = store.byReference(Observation.class, "device", deviceId);
    counts.forEach(o -> put(chain, o));
    reports(deviceId, linked, counts).forEach(r -> put(chain, r));
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
  private List<DiagnosticReport> reports(String deviceId, List<String> linked, List<Observation> counts) {
    Map<String, DiagnosticReport> found = new LinkedHashMap<>();
    linkedOf(DiagnosticReport.class, linked, r -> r.getExtension().stream()
        .anyMatch(e -> e.getValue() instanceof Reference ref && deviceId.equals(ref.getReference())))
        .forEach(r -> found.putIfAbsent(r.getIdElement().getIdPart(), r));
    List<String> countRefs = counts.stream().map(o -> "Observation/" + o.getIdElement().getIdPart()).toList();
    byReferences(DiagnosticReport.class, "result", countRefs).forEach(r -> found.putIfAbsent(r.getIdElement().getIdPart(), r));
    return List.copyOf(found.values());
  }

  /** The linked resources of one type that still name the device. */
  private <T extends Resource> List<T> linkedOf(Class<T> type, List<String> linked, Predicate<T> namesDevice) {
    String prefix = type.getSimpleName() + "/";
    List<String> ids = linked.stream().filter(r -> r.startsWith(prefix)).map(r -> r.substring(prefix.length())).toList();
    List<T> found = new ArrayList<>();
    for (int i = 0; i < ids.size(); i += CHUNK) {
      TokenOrListParam wanted = new TokenOrListParam();
      ids.subList(i, Math.min(ids.size(), i + CHUNK)).forEach(id -> wanted.addOr(new TokenParam(id)));
      store.search(type, new SearchParameterMap().add("_id", wanted)).stream().filter(namesDevice).forEach(found::add);
    }
    return found;
  }

  private <T extends IBaseResource> List<T> byReferences(Class<T> type, String param, Collection<String> refs) {
    List<String> list = List.copyOf(refs);
    List<T> found = new ArrayList<>();
    for (int i = 0; i < list.size(); i += CHUNK) {
      ReferenceOrListParam wanted = new ReferenceOrListParam();
      list.subList(i, Math.min(list.size(), i + CHUNK)).forEach(r -> wanted.addOr(new ReferenceParam(r)));
      found.addAll(store.search(type, new SearchParameterMap().add(param, wanted)));
    }
    return found;
  }

  private static void put(Map<String, Resource> chain, Resource r) {
    chain.putIfAbsent(r.getIdElement().toUnqualifiedVersionless().getValue(), r);
  }
}
