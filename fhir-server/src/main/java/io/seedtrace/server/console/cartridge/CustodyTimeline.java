package io.seedtrace.server.console.cartridge;

import io.seedtrace.core.assembly.Decay;
import io.seedtrace.server.custody.Cartridges;
import io.seedtrace.server.custody.CustodyCodes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.SupplyDelivery;
import org.hl7.fhir.r4.model.SupplyRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * Reads a cartridge's custody chain (the trace's collection Bundle, see {@code Sealing#chainOf})
 * into the steps people read: ordered, shipped, received (chip read), assembled, implanted, sealed,
 * verified, with alarms and return Tasks in their place. Who did a step comes from its Provenance
 * when the chain holds it (the caller may read Provenance, or traced with the key), else from the
 * resource itself where it names someone. Activities are decayed to {@code now} (I-125).
 */
public final class CustodyTimeline {

  /** The SeedCounts in custody order from the receipt (stage 2) on, and what each step is called. */
  private static final List<String> COUNT_STAGES = List.of("seed-count-shipped", "seed-count-removed", "",
      "seed-count-remaining", "seed-count-imaged");
  private static final Map<String, String> COUNT_STEPS = Map.of(
      "seed-count-shipped", "Received: chip read (L0)",
      "seed-count-removed", "Assembled: seeds removed (L3)",
      "seed-count-remaining", "Sealed: seeds remaining (L2)",
      "seed-count-imaged", "Imaged on the CT (L1)");

  private final Bundle chain;
  private final Instant now;
  private final Map<String, String> whoDid = new HashMap<>();
  private Device device;

  private CustodyTimeline(Bundle chain, Instant now) {
    this.chain = chain;
    this.now = now;
  }

  /** The page's view of a chain; the device must be in it. */
  public static CartridgeView of(Bundle chain, Instant now) {
    return new CustodyTimeline(chain, now).read();
  }

  private CartridgeView read() {
    List<Resource> resources = chain.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).toList();
    for (Resource r : resources) {
      if (r instanceof Provenance p) {
        String who = p.getAgent().stream().map(a -> a.getWho().getDisplay()).filter(d -> d != null)
            .reduce((a, b) -> a + ", " + b).orElse("");
        p.getTarget().forEach(t -> whoDid.putIfAbsent(t.getReference(), who));
      } else if (r instanceof Device d && device == null) {
        device = d;
      }
    }
    if (device == null) {
      throw new IllegalArgumentException("the chain holds no Device");
    }
    List<CartridgeView.Step> steps = new ArrayList<>();
    List<String[]> sealing = new ArrayList<>();
    for (Resource r : resources) {
      if (r instanceof Parameters p && "sealing-record".equals(p.getIdElement().getIdPart())) {
        p.getParameter().forEach(e -> sealing.add(new String[] {e.getName(), e.getValue().primitiveValue()}));
      } else {
        step(r).ifPresent(steps::add);
      }
    }
    steps.sort(Comparator.comparingInt(CartridgeView.Step::stage).thenComparing(CartridgeView.Step::when,
        Comparator.nullsLast(Comparator.naturalOrder())));
    return new CartridgeView(device.getIdElement().getIdPart(), device.getSerialNumber(), device.getLotNumber(),
        device.getModelNumber(), device.getManufacturer(), display(device.getLocation()), Cartridges.seedCount(device),
        Date.from(Cartridges.calibration(device)), seedActivityNow(), storage(resources), steps, sealing);
  }

  private Optional<CartridgeView.Step> step(Resource r) {
    String ref = r.getIdElement().toUnqualifiedVersionless().getValue();
    if (r instanceof SupplyRequest o) {
      Quantity requested = o.getExtensionByUrl(CustodyCodes.EXT_REQUESTED_ACTIVITY) == null ? null
          : (Quantity) o.getExtensionByUrl(CustodyCodes.EXT_REQUESTED_ACTIVITY).getValue();
      return step(0, o.getAuthoredOn(), "Ordered", who(ref, display(o.getRequester())), display(o.getDeliverTo()),
          o.getQuantity().getValue().intValue() + " seeds ordered",
          requested == null ? "" : requested.getValue().toPlainString() + " MBq requested", ref);
    }
    if (r instanceof SupplyDelivery s) {
      return step(1, s.hasOccurrenceDateTimeType() ? s.getOccurrenceDateTimeType().getValue() : null, "Shipped",
          who(ref, display(s.getSupplier())), display(s.getDestination()), "1 cartridge " + device.getSerialNumber(),
          "", ref);
    }
    if (r instanceof Observation o && o.hasValueQuantity()) {
      int n = o.getValueQuantity().getValue().intValue();
      String code = o.getCode().getCodingFirstRep().getCode();
      int stage = COUNT_STAGES.indexOf(code) + 2;
      String what = COUNT_STEPS.get(code);
      return what == null ? Optional.empty() : step(stage, o.hasEffectiveDateTimeType()
          ? o.getEffectiveDateTimeType().getValue() : o.getMeta().getLastUpdated(), what, who(ref, null),
          display(device.getLocation()), n + " seeds", activity(n), ref);
    }
    if (r instanceof Procedure p) {
      Integer loaded = p.getExtensionByUrl(CustodyCodes.EXT_SEEDS_LOADED) == null ? null
          : ((PositiveIntType) p.getExtensionByUrl(CustodyCodes.EXT_SEEDS_LOADED)
              .getValue()).getValue();
      return step(4, p.hasPerformedDateTimeType() ? p.getPerformedDateTimeType().getValue() : null, "Implanted",
          who(ref, p.hasPerformer() ? display(p.getPerformerFirstRep().getActor()) : null), display(p.getLocation()),
          loaded == null ? "" : loaded + " seeds loaded", loaded == null ? "" : activity(loaded), ref);
    }
    return otherStep(r, ref);
  }

  private Optional<CartridgeView.Step> otherStep(Resource r, String ref) {
    if (r instanceof DiagnosticReport d) {
      return step(6, d.hasEffectiveDateTimeType() ? d.getEffectiveDateTimeType().getValue() : d.getIssued(),
          "Verified on the post-operative CT", who(ref, null), "", d.getConclusion(), "", ref);
    }
    if (r instanceof DetectedIssue i) {
      return step(6, i.hasIdentifiedDateTimeType() ? i.getIdentifiedDateTimeType().getValue() : i.getMeta().getLastUpdated(),
          "Alarm: " + i.getCode().getCodingFirstRep().getCode(), who(ref, null), "", i.getDetail(), "", ref);
    }
    if (r instanceof Task t) {
      return step(7, t.getAuthoredOn(), "Return to the manufacturer requested (" + (t.hasStatus()
          ? t.getStatus().toCode() : "no status") + ")",
          who(ref, null), t.getOwner().getDisplay(), t.getCode().getText(), "", ref);
    }
    return Optional.empty();
  }

  private static Optional<CartridgeView.Step> step(int stage, Date when, String what, String who, String where,
      String counts, String activity, String ref) {
    return Optional.of(new CartridgeView.Step(stage, when, what, who, where, counts, activity, ref));
  }

  private CartridgeView.Storage storage(List<Resource> resources) {
    Observation removed = resources.stream().filter(r -> r instanceof Observation o
        && Cartridges.isCount(o, "seed-count-removed")).map(r -> (Observation) r).findFirst().orElse(null);
    if (removed == null) {
      return new CartridgeView.Storage("not assembled yet", null, "", null);
    }
    int n = removed.getValueQuantity().getValue().intValue();
    String why = removed.hasNote() ? removed.getNoteFirstRep().getText() : "";
    Task task = resources.stream().filter(r -> r instanceof Task).map(r -> (Task) r).findFirst().orElse(null);
    if (task != null) {
      return new CartridgeView.Storage("return to manufacturer", n, why, task.getIdElement().toUnqualifiedVersionless()
          .getValue());
    }
    return new CartridgeView.Storage(n == 0 ? "none removed" : "retain at hospital", n, why, null);
  }

  private String who(String ref, String fromResource) {
    String fromProvenance = whoDid.get(ref);
    return fromProvenance != null ? fromProvenance : fromResource;
  }

  private double seedActivityNow() {
    return Decay.activityAt(Cartridges.seedActivityMbq(device), Cartridges.calibration(device), now);
  }

  private String activity(int seeds) {
    return String.format(Locale.ROOT, "%.1f MBq now", seeds * seedActivityNow());
  }

  private static String display(Reference r) {
    if (r == null || r.isEmpty()) {
      return "";
    }
    return r.hasDisplay() ? r.getDisplay() : r.getReference();
  }
}
