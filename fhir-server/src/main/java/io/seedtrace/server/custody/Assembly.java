package io.seedtrace.server.custody;

import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import io.seedtrace.core.assembly.ConformityCheck;
import io.seedtrace.core.assembly.SeedRequirement;
import io.seedtrace.core.storage.Batch;
import io.seedtrace.core.storage.StorageModel;
import io.seedtrace.core.storage.StorageModelSettings;
import io.seedtrace.server.audit.AuditTrail;
import io.seedtrace.server.security.Caller;
import io.seedtrace.server.store.FhirStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;

/**
 * Pre-operative assembly: {@code POST /fhir/Device/{id}/$assemble}. Checks the cartridge against
 * the procedure's requirement with I-125 decay to the implant time; the seeds taken out
 * (non-conforming or surplus) go through the storage model, which decides whether they stay at the
 * hospital or go back to the manufacturer. Records the removed count (SeedCount L3, also when it is
 * zero, so the count model always has its four numbers) and, for a return, a Task for the
 * manufacturer. A cartridge is assembled once.
 */
public final class Assembly {

  /** The answer, with the storage model's explanation when seeds were removed. */
  public record Result(ConformityCheck.Result check, Optional<StorageModel.Decision> decision, String removedObservationId,
      Optional<String> returnTaskId, String explanation) {}

  private final FhirStore store;
  private final AuditTrail audit;
  private final StorageModelSettings settings;

  public Assembly(FhirStore store, AuditTrail audit, StorageModelSettings settings) {
    this.store = store;
    this.audit = audit;
    this.settings = settings;
  }

  public synchronized Result assemble(String deviceId, SeedRequirement need, Optional<String> procedure, Caller caller) {
    Device device = store.read(Device.class, deviceId);
    Cartridges.requireCartridge(device);
    List<Observation> earlier = store.byReference(Observation.class, "device", deviceId).stream()
        .filter(o -> Cartridges.isCount(o, "seed-count-removed")).toList();
    if (!earlier.isEmpty()) {
      throw new ResourceVersionConflictException("cartridge " + device.getSerialNumber() + " was already assembled ("
          + earlier.get(0).getIdElement().toUnqualifiedVersionless().getValue() + ")");
    }
    int seeds = Cartridges.seedCount(device);
    double seedMbq = Cartridges.seedActivityMbq(device);
    Instant calibration = Cartridges.calibration(device);
    ConformityCheck.Result check = ConformityCheck.check(device.getModelNumber(), seeds, seedMbq, calibration, need);

    Optional<StorageModel.Decision> decision = Optional.empty();
    String explanation;
    if (check.removed() > 0) {
      Batch removed = new Batch(device.getManufacturer(), Cartridges.productName(device), device.getModelNumber(),
          check.removed(), check.removed() * seedMbq, false);
      decision = Optional.of(new StorageModel(settings).decide(removed, history(deviceId)));
      explanation = decision.get().explanation();
    } else {
      explanation = "all " + check.conforming() + " seeds conform; none removed";
    }

    Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    Observation removedCount = ChipReceipt.count("seed-count-removed", check.removed(), deviceId);
    removedCount.addNote(new Annotation().setText(String.join("; ", check.reasons())
        + (check.reasons().isEmpty() ? "" : ". ") + explanation));
    procedure.ifPresent(p -> removedCount.addPartOf(new Reference(p)));
    String removedUrl = FhirStore.addCreate(tx, removedCount, null);
    List<String> targets = new ArrayList<>(List.of(removedUrl));
    boolean returning = decision.isPresent() && !decision.get().retain();
    if (returning) {
      Task task = new Task();
      task.addIdentifier().setSystem(CustodyCodes.SID_RETURN).setValue("RET-" + device.getSerialNumber());
      task.setStatus(Task.TaskStatus.REQUESTED);
      task.setIntent(Task.TaskIntent.ORDER);
      task.setPriority(Task.TaskPriority.ROUTINE);
      task.getCode().setText("Return " + check.removed() + " seeds of cartridge " + device.getSerialNumber()
          + " to the manufacturer");
      task.setFocus(new Reference(deviceId));
      task.setAuthoredOn(new Date());
      task.setDescription(explanation);
      task.getOwner().setDisplay(device.getManufacturer());
      task.addInput().setValue(CustodyCodes.seeds(check.removed())).getType().setText("seeds to return");
      targets.add(FhirStore.addCreate(tx, task, null));
    }
    FhirStore.addCreate(tx, Provenances.of(targets, caller.actor(), "assemble", null), null);
    List<String> ids = FhirStore.locations(store.transaction(tx));
    Optional<String> taskId = returning ? Optional.of(ids.get(1)) : Optional.empty();
    audit.record(caller.actor(), caller.peer(), "assemble", AuditEvent.AuditEventAction.C, deviceId,
        AuditTrail.Outcome.SUCCESS, check.conforming() + " conforming, " + check.removed() + " removed"
            + decision.map(d -> d.retain() ? ", retained at hospital" : ", returned to manufacturer").orElse(""));
    return new Result(check, decision, ids.get(0), taskId, explanation);
  }

  /**
   * Earlier cartridges as storage-model batches; used = some Procedure names it as its focal device.
   * The history is bounded: the {@link #historyWindow} Devices updated last (one indexed query), of
   * which the cartridges other than this one count, and one indexed search for the Procedures naming
   * them, so the cost does not grow with the store. The model then draws N batches, K used, from it.
   */
  private List<Batch> history(String exceptDeviceId) {
    List<Device> cartridges = new ArrayList<>();
    for (Device d : store.newest(Device.class, historyWindow() + 1)) {
      String id = d.getIdElement().toUnqualifiedVersionless().getValue();
      if (!id.equals(exceptDeviceId) && Cartridges.isCartridge(d) && cartridges.size() < historyWindow()) {
        cartridges.add(d);
      }
    }
    List<String> ids = cartridges.stream().map(d -> d.getIdElement().toUnqualifiedVersionless().getValue()).toList();
    Set<String> used = store.byAnyReference(Procedure.class, "focal-device", ids).stream()
        .flatMap(p -> p.getFocalDevice().stream())
        .map(f -> f.getManipulated().getReference())
        .filter(r -> r != null)
        .collect(Collectors.toSet());
    List<Batch> batches = new ArrayList<>();
    for (Device d : cartridges) {
      String id = d.getIdElement().toUnqualifiedVersionless().getValue();
      batches.add(new Batch(d.getManufacturer(), Cartridges.productName(d), d.getModelNumber(), Cartridges.seedCount(d),
          Cartridges.totalActivityMbq(d), used.contains(id)));
    }
    return batches;
  }

  /** How many of the newest cartridges form the history: twice the population size N. */
  int historyWindow() {
    return 2 * settings.populationSize();
  }
}
