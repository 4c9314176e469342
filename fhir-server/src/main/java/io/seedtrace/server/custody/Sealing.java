package io.seedtrace.server.custody;

import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seedtrace.core.assembly.Decay;
import io.seedtrace.core.chip.ChipPayloadCodec;
import io.seedtrace.core.chip.ChipPayloadException;
import io.seedtrace.core.chip.CoseSign1;
import io.seedtrace.core.chip.InitialBlock;
import io.seedtrace.core.chip.PatientFields;
import io.seedtrace.core.chip.SealingBlock;
import io.seedtrace.core.sealing.SealedRecord;
import io.seedtrace.core.sealing.SealingVault;
import io.seedtrace.core.sealing.TraceKey;
import io.seedtrace.server.alerts.AdminChannel;
import io.seedtrace.server.alerts.Alerts;
import io.seedtrace.server.audit.AuditTrail;
import io.seedtrace.server.security.Caller;
import io.seedtrace.server.store.FhirStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.SupplyDelivery;
import org.hl7.fhir.r4.model.SupplyRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * Sealing and tracing (MISSION.md stage 4). {@code $seal} stores the sealing record encrypted
 * (AES-256-GCM with its own data key, wrapped under the master key and a fresh trace key), records
 * the remaining count (SeedCount L2), signs the sealing block for the chip and hands out the trace
 * key once. {@code $trace} asks the {@link TraceGuard} about the caller and its path, opens the record
 * with the presented key and returns the cartridge's whole chain.
 */
public final class Sealing {

  /** The sealing parameters of MISSION.md stage 4. */
  public record SealingRequest(String hospital, String department, String doctor, String inpatientNumber,
      String patientName, String surgicalDepartment, Instant surgeryTime, int remainingCount) {}

  /** What $seal answers: the key is shown here and never again. */
  public record Sealed(TraceKey traceKey, byte[] sealedChip, String remainingObservationId, long remainingActivityKbq) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final FhirStore store;
  private final CustodyTables tables;
  private final SealingVault vault;
  private final CustodyKeys keys;
  private final String hospitalKid;
  private final ManufacturerKeys manufacturers;
  private final TraceGuard guard;
  private final AuditTrail audit;
  private final AdminChannel admin;
  private final PendingTraceKeys pendingKeys;

  public Sealing(FhirStore store, CustodyTables tables, SealingVault vault, CustodyKeys keys, String hospitalKid,
      ManufacturerKeys manufacturers, TraceGuard guard, AuditTrail audit, AdminChannel admin) {
    this.store = store;
    this.tables = tables;
    this.vault = vault;
    this.keys = keys;
    this.hospitalKid = hospitalKid;
    this.manufacturers = manufacturers;
    this.guard = guard;
    this.audit = audit;
    this.admin = admin;
    this.pendingKeys = new PendingTraceKeys(tables, keys.master());
  }

  /** Resolves the hospital's own key id, for reading sealed chips. */
  public CoseSign1.KeyResolver hospitalKeys() {
    byte[] kid = hospitalKid.getBytes(StandardCharsets.UTF_8);
    return k -> java.util.Arrays.equals(k, kid) ? Optional.of(keys.hospitalPublicKey()) : Optional.empty();
  }

  public synchronized Sealed seal(String deviceId, SealingRequest req, Caller caller) {
    Device device = store.read(Device.class, deviceId);
    Cartridges.requireCartridge(device);
    CustodyTables.ChipRow chip = tables.chipOfDevice(deviceId).orElseThrow(() -> new UnprocessableEntityException(
        "no chip was read for " + deviceId + ": read it with $chip-read before sealing"));
    InitialBlock initial = unsealedInitialBlock(deviceId, chip);
    if (req.remainingCount() < 0 || req.remainingCount() > initial.seedCount()) {
      throw new UnprocessableEntityException("remainingCount " + req.remainingCount() + " is outside 0.."
          + initial.seedCount());
    }
    long remainingKbq = Math.round(Decay.activityAt(initial.seedActivityKbq(), initial.calibrationTime(),
        req.surgeryTime()) * req.remainingCount());
    PatientFields patient = validatedFields(initial, req, remainingKbq);
    SealingVault.Sealed sealed = vault.seal(deviceId, recordJson(deviceId, initial, req, remainingKbq, caller));
    byte[] sealedChip = sealedChip(chip, initial, req, remainingKbq, patient, sealed);
    if (!tables.insertSealingRecord(sealed.record())) {
      throw new ResourceVersionConflictException("cartridge " + chip.serial() + " is already sealed");
    }
    tables.saveChip(new CustodyTables.ChipRow(chip.serial(), deviceId, ChipReceipt.sha256(sealedChip), sealedChip));

    Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    Observation remaining = ChipReceipt.count("seed-count-remaining", req.remainingCount(), deviceId);
    String remainingUrl = FhirStore.addCreate(tx, remaining, null);
    FhirStore.addCreate(tx, Provenances.of(List.of(remainingUrl, deviceId), caller.actor(), "seal", null), null);
    String remainingId = FhirStore.locations(store.transaction(tx)).get(0);
    audit.record(caller.actor(), caller.peer(), "seal", AuditEvent.AuditEventAction.C, deviceId,
        AuditTrail.Outcome.SUCCESS, "sealed with " + req.remainingCount() + " seeds remaining; chip " + sealedChip.length
            + " bytes");
    return new Sealed(sealed.traceKey(), sealedChip, remainingId, remainingKbq);
  }

  /** The stored chip's initial block; 409 when the cartridge is already sealed, 422 when the chip no longer verifies. */
  private InitialBlock unsealedInitialBlock(String deviceId, CustodyTables.ChipRow chip) {
    InitialBlock initial;
    try {
      ChipPayloadCodec.Decoded decoded = ChipPayloadCodec.decode(chip.payload(), manufacturers, hospitalKeys());
      if (decoded.sealing().isPresent()) {
        throw new ResourceVersionConflictException("cartridge " + chip.serial() + " is already sealed");
      }
      initial = decoded.initial();
    } catch (ChipPayloadException e) {
      throw new UnprocessableEntityException("the stored chip of " + chip.serial() + " no longer verifies: " + e.getMessage());
    }
    if (tables.sealingRecord(deviceId).isPresent()) {
      throw new ResourceVersionConflictException("cartridge " + chip.serial() + " is already sealed");
    }
    return initial;
  }

  /** The protected patient fields, after every clear field was checked: nothing is stored before this. */
  private static PatientFields validatedFields(InitialBlock initial, SealingRequest req, long remainingKbq) {
    try {
      PatientFields patient = new PatientFields(req.inpatientNumber(), req.patientName());
      new SealingBlock(initial.cartridgeSerial(), req.hospital(), req.department(), req.doctor(),
          req.surgicalDepartment(), req.surgeryTime(), req.remainingCount(), remainingKbq, new byte[28]);
      return patient;
    } catch (IllegalArgumentException bad) {
      throw new UnprocessableEntityException("sealing parameters refused: " + bad.getMessage());
    }
  }

  /** The chip payload with its sealing block, signed with the hospital's key; 422 when it does not fit. */
  private byte[] sealedChip(CustodyTables.ChipRow chip, InitialBlock initial, SealingRequest req, long remainingKbq,
      PatientFields patient, SealingVault.Sealed sealed) {
    SealingBlock block;
    try {
      byte[] protectedFields = vault.encryptForChip(sealed.record(), sealed.traceKey(), patient.encode());
      block = new SealingBlock(initial.cartridgeSerial(), req.hospital(), req.department(), req.doctor(),
          req.surgicalDepartment(), req.surgeryTime(), req.remainingCount(), remainingKbq, protectedFields);
    } catch (SealingVault.RefusedException impossible) {
      throw new IllegalStateException(impossible);
    }
    try {
      return ChipPayloadCodec.seal(chip.payload(), block, hospitalKid.getBytes(StandardCharsets.UTF_8),
          keys.hospitalPrivateKey());
    } catch (IllegalArgumentException tooLarge) {
      throw new UnprocessableEntityException("the sealing block does not fit on the chip: " + tooLarge.getMessage());
    }
  }

  private static byte[] recordJson(String deviceId, InitialBlock initial, SealingRequest req, long remainingKbq,
      Caller caller) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("device", deviceId);
    m.put("cartridgeSerial", initial.cartridgeSerial());
    m.put("hospital", req.hospital());
    m.put("department", req.department());
    m.put("doctor", req.doctor());
    m.put("inpatientNumber", req.inpatientNumber());
    m.put("patientName", req.patientName());
    m.put("surgicalDepartment", req.surgicalDepartment());
    m.put("surgeryTime", req.surgeryTime().toString());
    m.put("remainingCount", req.remainingCount());
    m.put("remainingActivityKbq", remainingKbq);
    m.put("sealedBy", caller.actor());
    m.put("sealedAt", Instant.now().toString());
    try {
      return JSON.writeValueAsBytes(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The whole chain of the cartridge, with the sealing record decrypted.
   *
   * <p>A caller without the key learns nothing else: an unsealed cartridge, an unknown device and a
   * wrong key get the same refusal, and each counts as a failed try ({@link TraceGuard}).
   *
   * @throws ForbiddenOperationException (403) when the caller is quarantined, a hop is confirmed as
   *     malicious (a valid key is then rotated) or the key does not open a sealing record
   */
  public Bundle trace(String deviceId, String typedKey, Optional<byte[]> chipPayload, Caller caller) {
    String entity = auditEntity(deviceId);
    TraceKey key = parseKey(entity, typedKey, caller);
    TraceGuard.Verdict verdict = guard.check(caller);
    if (!verdict.open() && !verdict.confirmed()) {
      audit.record(caller.actor(), caller.peer(), "trace", AuditEvent.AuditEventAction.R, entity,
          AuditTrail.Outcome.REFUSED, "caller quarantined (" + verdict.node() + "); no key rotated");
      throw forbidden("QUARANTINED", "trace calls from " + verdict.node() + " are quarantined after repeated failures;"
          + " an administrator has been told");
    }
    Optional<SealedRecord> record;
    synchronized (this) {
      record = tables.sealingRecord(deviceId);
    }
    if (verdict.confirmed()) {
      refuseMaliciousHop(entity, record, key, verdict.node(), caller);
    }
    byte[] plain = open(entity, record, key, caller);
    Bundle chain = chainOf(deviceId);
    Parameters sealing = sealingParameters(plain);
    chipPayload.ifPresent(payload -> addChipReading(sealing, payload, record.get(), key));
    chain.addEntry().setResource(sealing);
    audit.record(caller.actor(), caller.peer(), "trace", AuditEvent.AuditEventAction.R, deviceId,
        AuditTrail.Outcome.SUCCESS, "chain of " + deviceId + " returned (" + chain.getEntry().size() + " entries)");
    return chain;
  }

  /** The device's reference when it exists; else a plain name (an audit entry cannot point at nothing). */
  private String auditEntity(String deviceId) {
    return store.readOptional(Device.class, deviceId).isPresent() ? deviceId : "unknown " + deviceId;
  }

  private TraceKey parseKey(String entity, String typedKey, Caller caller) {
    try {
      return TraceKey.parse(typedKey);
    } catch (IllegalArgumentException mistyped) {
      // a mistyped key (bad check character) is not an attack; it does not count as a failure
      audit.record(caller.actor(), caller.peer(), "trace", AuditEvent.AuditEventAction.R, entity,
          AuditTrail.Outcome.REFUSED, "malformed trace key: " + mistyped.getMessage());
      throw ChipReceipt.refusal("MALFORMED_KEY", mistyped.getMessage());
    }
  }

  /** Opens the record with the key; no record and a wrong key are one and the same refusal. */
  private byte[] open(String entity, Optional<SealedRecord> record, TraceKey key, Caller caller) {
    if (record.isPresent()) {
      try {
        return vault.open(record.get(), key);
      } catch (SealingVault.RefusedException wrongKey) {
        // answered below exactly as for a device without a sealing record
      }
    }
    List<String> quarantined = guard.recordFailure(caller, entity);
    audit.record(caller.actor(), caller.peer(), "trace", AuditEvent.AuditEventAction.R, entity,
        AuditTrail.Outcome.REFUSED, (record.isPresent() ? "trace key refused" : "no sealing record")
            + (quarantined.isEmpty() ? "" : "; " + quarantined + " quarantined"));
    throw forbidden("TRACE_KEY_REFUSED", KEY_REFUSED);
  }

  static final String KEY_REFUSED = "the trace key does not open a sealing record of this device";

  private synchronized void refuseMaliciousHop(String entity, Optional<SealedRecord> record, TraceKey key, String hop,
      Caller caller) {
    String rotated = record.isEmpty() ? "the presented key was not valid; nothing to rotate"
        : rotate(record.get().cartridgeId(), record.get(), key, hop);
    audit.record(caller.actor(), caller.peer(), "trace", AuditEvent.AuditEventAction.R, entity,
        AuditTrail.Outcome.REFUSED, "request through malicious node " + hop + "; " + rotated);
    throw forbidden("MALICIOUS_HOP", "the request passed through a node listed as malicious (" + hop + ")");
  }

  private String rotate(String deviceId, SealedRecord record, TraceKey key, String hop) {
    try {
      SealingVault.Sealed fresh = vault.rotate(record, key);
      tables.rewrap(fresh.record());
      int version = tables.keyVersion(deviceId);
      String alert = store.create(Alerts.alert("trace-key-rotated", DetectedIssue.DetectedIssueSeverity.HIGH,
          "A trace request for " + deviceId + " passed through the listed node " + hop
              + "; the trace key was replaced (version " + version + ") and the old key no longer opens the record.",
          List.of(deviceId))).getId().toUnqualifiedVersionless().getValue();
      pendingKeys.hold(deviceId, version, fresh.traceKey());
      // the new key itself goes to no message, log or resource: an administrator collects it once
      admin.tell("trace-key-rotated", "Trace key of " + deviceId + " rotated after a request through malicious node "
          + hop + ". The new trace key (version " + version + ") is held encrypted until an administrator collects"
          + " it, once: POST /fhir/" + deviceId + "/$rotated-trace-key ; see " + alert, deviceId);
      return "valid key presented; rotated to version " + version;
    } catch (SealingVault.RefusedException notTheKey) {
      return "the presented key was not valid; nothing to rotate";
    }
  }

  /**
   * Hands a rotated trace key to the administrator who asks for it, once, and audits that.
   *
   * @throws ResourceNotFoundException (404) when no rotated key is waiting (none made, or collected)
   */
  public PendingTraceKeys.Collected collectRotatedKey(String deviceId, Caller caller) {
    Optional<PendingTraceKeys.Collected> collected = pendingKeys.collect(deviceId);
    audit.record(caller.actor(), caller.peer(), "rotated-trace-key", AuditEvent.AuditEventAction.R, deviceId,
        collected.isPresent() ? AuditTrail.Outcome.SUCCESS : AuditTrail.Outcome.REFUSED,
        collected.map(c -> "rotated trace key version " + c.version() + " collected").orElse("no rotated trace key waiting"));
    return collected.orElseThrow(() -> new ResourceNotFoundException("no rotated trace key is waiting for " + deviceId
        + " (none was made, or it was collected already)"));
  }

  /**
   * A cartridge's custody chain as the trace answers it, without the sealing record: order,
   * shipment, the Device, implant procedures, every SeedCount, verification reports, alerts,
   * return Tasks and the Provenance of all of them.
   */
  public Bundle chainOf(String deviceId) {
    Map<String, Resource> chain = new LinkedHashMap<>();
    Device device = store.read(Device.class, deviceId);
    List<SupplyDelivery> shipments = store.byReference(SupplyDelivery.class, "item", deviceId).stream()
        .filter(s -> s.getSuppliedItem().hasItemReference()
            && deviceId.equals(s.getSuppliedItem().getItemReference().getReference())).toList();
    for (SupplyDelivery s : shipments) {
      for (Reference based : s.getBasedOn()) {
        store.readOptional(SupplyRequest.class, based.getReference()).ifPresent(o -> put(chain, o));
      }
    }
    shipments.forEach(s -> put(chain, s));
    put(chain, device);
    store.byReference(Procedure.class, "focal-device", deviceId).stream()
        .filter(p -> p.getFocalDevice().stream().anyMatch(f -> deviceId.equals(f.getManipulated().getReference())))
        .forEach(p -> put(chain, p));
    store.byReference(Observation.class, "device", deviceId).forEach(o -> put(chain, o));
    List<String> observations = chain.keySet().stream().filter(k -> k.startsWith("Observation/")).toList();
    Stream.concat(store.byReference(DiagnosticReport.class, "extension-reference", deviceId).stream(),
            store.byAnyReference(DiagnosticReport.class, "result", observations).stream())
        .filter(r -> r.getExtension().stream().anyMatch(e -> e.getValue() instanceof Reference ref
            && deviceId.equals(ref.getReference())) || r.getResult().stream().anyMatch(ref -> chain.containsKey(
                ref.getReference())))
        .forEach(r -> put(chain, r));
    store.byReference(DetectedIssue.class, "implicated", deviceId).stream()
        .filter(i -> i.getImplicated().stream().anyMatch(ref -> deviceId.equals(ref.getReference())))
        .forEach(i -> put(chain, i));
    store.byReference(Task.class, "focus", deviceId).stream().filter(t -> deviceId.equals(t.getFocus().getReference())).forEach(t -> put(chain, t));
    List<String> members = List.copyOf(chain.keySet());
    store.byAnyReference(Provenance.class, "target", members).stream()
        .filter(p -> p.getTarget().stream().anyMatch(t -> members.contains(t.getReference())))
        .forEach(p -> put(chain, p));
    Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
    bundle.setTimestamp(new java.util.Date());
    chain.values().forEach(r -> bundle.addEntry().setFullUrl(r.getIdElement().toUnqualifiedVersionless().getValue())
        .setResource(r));
    return bundle;
  }

  private static void put(Map<String, Resource> chain, Resource r) {
    chain.putIfAbsent(r.getIdElement().toUnqualifiedVersionless().getValue(), r);
  }

  private static Parameters sealingParameters(byte[] plain) {
    Parameters p = new Parameters();
    p.setId("sealing-record");
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = JSON.readValue(plain, Map.class);
      m.forEach((k, v) -> p.addParameter(k, String.valueOf(v)));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("the sealing record does not parse", e);
    }
    return p;
  }

  private void addChipReading(Parameters sealing, byte[] payload, SealedRecord record, TraceKey key) {
    try {
      ChipPayloadCodec.Decoded d = ChipPayloadCodec.decode(payload, manufacturers, hospitalKeys());
      SealingBlock block = d.sealing().orElseThrow(() -> ChipReceipt.refusal("NOT_SEALED", "the chip given is not sealed"));
      PatientFields f = PatientFields.decode(vault.decryptFromChip(record, key, block.protectedPatientFields()));
      sealing.addParameter("chipInpatientNumber", f.inpatientNumber());
      sealing.addParameter("chipPatientName", f.patientName());
      sealing.addParameter("chipRemainingCount", block.remainingCount());
    } catch (ChipPayloadException | SealingVault.RefusedException e) {
      throw ChipReceipt.refusal("CHIP_REFUSED", "the chip given does not verify against this sealing: " + e.getMessage());
    }
  }

  static ForbiddenOperationException forbidden(String code, String message) {
    OperationOutcome outcome = new OperationOutcome();
    outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(OperationOutcome.IssueType.SECURITY)
        .setDiagnostics(message).getDetails().setText(code);
    return new ForbiddenOperationException(message, outcome);
  }
}
