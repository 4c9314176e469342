package io.seedtrace.server.custody;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import io.seedtrace.core.assembly.SeedRequirement;
import io.seedtrace.core.storage.StorageModel;
import io.seedtrace.core.storage.SubElement;
import io.seedtrace.core.trace.MaliciousNodeLibrary;
import io.seedtrace.server.audit.AuditTrail;
import io.seedtrace.server.security.Caller;
import java.time.Instant;
import java.util.Optional;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Base64BinaryType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * The chain-of-custody operations of the FHIR endpoint. Who may call which is in
 * {@code FhirAccessMatrix}; the work is done by {@link ChipReceipt}, {@link Assembly} and
 * {@link Sealing}.
 */
public class CustodyOperations {

  private final ChipReceipt receipt;
  private final Assembly assembly;
  private final Sealing sealing;
  private final AuditTrail audit;
  private final MaliciousNodeLibrary library;
  private final CustodyTables tables;
  private final CustodyKeys keys;
  private final String hospitalKid;

  public CustodyOperations(ChipReceipt receipt, Assembly assembly, Sealing sealing, AuditTrail audit,
      MaliciousNodeLibrary library, CustodyTables tables, CustodyKeys keys, String hospitalKid) {
    this.receipt = receipt;
    this.assembly = assembly;
    this.sealing = sealing;
    this.audit = audit;
    this.library = library;
    this.tables = tables;
    this.keys = keys;
    this.hospitalKid = hospitalKid;
  }

  @Operation(name = "$chip-read", type = Device.class)
  public Parameters chipRead(@OperationParam(name = "payload", min = 1) Base64BinaryType payload,
      @OperationParam(name = "reader", min = 1) StringType reader, RequestDetails request) {
    byte[] bytes = required(payload, "payload").getValue();
    if (bytes == null || bytes.length == 0) {
      throw new InvalidRequestException("payload is empty");
    }
    ChipReceipt.Receipt r = receipt.read(bytes, required(reader, "reader").getValue(), Caller.of(request));
    Parameters out = new Parameters();
    out.addParameter().setName("device").setValue(new Reference(r.deviceId()));
    out.addParameter("replay", r.replay());
    out.addParameter("cartridgeSerial", r.initial().cartridgeSerial());
    out.addParameter("seedCount", r.initial().seedCount());
    out.addParameter().setName("totalActivity").setValue(CustodyCodes.mbq(r.initial().totalActivityMbq()));
    r.shipmentId().ifPresent(s -> out.addParameter().setName("shipment").setValue(new Reference(s)));
    r.orderId().ifPresent(o -> out.addParameter().setName("order").setValue(new Reference(o)));
    r.alertIds().forEach(a -> out.addParameter().setName("alert").setValue(new Reference(a)));
    r.findings().forEach(f -> out.addParameter("finding", f));
    return out;
  }

  @Operation(name = "$assemble", type = Device.class)
  public Parameters assemble(@IdParam IdType id,
      @OperationParam(name = "model", min = 1) StringType model,
      @OperationParam(name = "activityPerSeed", min = 1) Quantity activityPerSeed,
      @OperationParam(name = "tolerance", min = 1) DecimalType tolerance,
      @OperationParam(name = "seeds", min = 1) IntegerType seeds,
      @OperationParam(name = "implantTime", min = 1) DateTimeType implantTime,
      @OperationParam(name = "procedure") Reference procedure,
      RequestDetails request) {
    SeedRequirement need;
    try {
      need = new SeedRequirement(required(model, "model").getValue(), mbq(required(activityPerSeed, "activityPerSeed")),
          required(tolerance, "tolerance").getValue().doubleValue(), required(seeds, "seeds").getValue(),
          required(implantTime, "implantTime").getValue().toInstant());
    } catch (IllegalArgumentException bad) {
      throw new InvalidRequestException("requirement refused: " + bad.getMessage());
    }
    Assembly.Result r = assembly.assemble(deviceId(id), need,
        Optional.ofNullable(procedure).map(Reference::getReference), Caller.of(request));
    Parameters out = new Parameters();
    out.addParameter("conforming", r.check().conforming());
    out.addParameter("nonConforming", r.check().nonConforming());
    out.addParameter("surplus", r.check().surplus());
    out.addParameter("removed", r.check().removed());
    out.addParameter().setName("activityPerSeedAtImplant").setValue(CustodyCodes.mbq(r.check().activityPerSeedAtImplantMbq()));
    r.check().reasons().forEach(reason -> out.addParameter("reason", reason));
    r.decision().ifPresent(d -> addDecision(out, d));
    out.addParameter("explanation", r.explanation());
    out.addParameter().setName("removedCount").setValue(new Reference(r.removedObservationId()));
    r.returnTaskId().ifPresent(t -> out.addParameter().setName("returnTask").setValue(new Reference(t)));
    return out;
  }

  private static void addDecision(Parameters out, StorageModel.Decision d) {
    out.addParameter("decision", d.retain() ? "retain-at-hospital" : "return-to-manufacturer");
    out.addParameter("p", d.p());
    out.addParameter("retentionThreshold", d.retentionThreshold());
    out.addParameter("populationSize", d.populationSize());
    out.addParameter("usedInPopulation", d.usedInPopulation());
    for (SubElement s : d.retentionRanges()) {
      out.addParameter("retentionRange", s.toString());
    }
    for (StorageModel.Iteration it : d.iterations()) {
      Parameters.ParametersParameterComponent p = out.addParameter().setName("iteration");
      p.addPart().setName("g").setValue(new IntegerType(it.g()));
      p.addPart().setName("averageT").setValue(new DecimalType(it.averageT()));
      p.addPart().setName("coveredBatches").setValue(new IntegerType(it.coveredBatches()));
      it.deleted().forEach(s -> p.addPart().setName("deleted").setValue(new StringType(s.toString())));
    }
  }

  @Operation(name = "$seal", type = Device.class)
  public Parameters seal(@IdParam IdType id,
      @OperationParam(name = "hospital", min = 1) StringType hospital,
      @OperationParam(name = "department", min = 1) StringType department,
      @OperationParam(name = "doctor", min = 1) StringType doctor,
      @OperationParam(name = "inpatientNumber", min = 1) StringType inpatientNumber,
      @OperationParam(name = "patientName", min = 1) StringType patientName,
      @OperationParam(name = "surgicalDepartment", min = 1) StringType surgicalDepartment,
      @OperationParam(name = "surgeryTime", min = 1) DateTimeType surgeryTime,
      @OperationParam(name = "remainingCount", min = 1) IntegerType remainingCount,
      RequestDetails request) {
    Sealing.SealingRequest req = new Sealing.SealingRequest(text(hospital, "hospital"), text(department, "department"),
        text(doctor, "doctor"), text(inpatientNumber, "inpatientNumber"), text(patientName, "patientName"),
        text(surgicalDepartment, "surgicalDepartment"), required(surgeryTime, "surgeryTime").getValue().toInstant(),
        required(remainingCount, "remainingCount").getValue());
    Sealing.Sealed s = sealing.seal(deviceId(id), req, Caller.of(request));
    Parameters out = new Parameters();
    out.addParameter("traceKey", s.traceKey().toString());
    out.addParameter().setName("sealedPayload").setValue(new Base64BinaryType(s.sealedChip()));
    out.addParameter("payloadBytes", s.sealedChip().length);
    out.addParameter().setName("remainingCount").setValue(new Reference(s.remainingObservationId()));
    out.addParameter().setName("remainingActivity").setValue(CustodyCodes.mbq(s.remainingActivityKbq() / 1000.0));
    out.addParameter("hospitalKeyId", hospitalKid);
    out.addParameter().setName("hospitalPublicKey").setValue(new Base64BinaryType(keys.hospitalPublicKey().getEncoded()));
    return out;
  }

  @Operation(name = "$trace", type = Device.class)
  public Bundle trace(@IdParam IdType id,
      @OperationParam(name = "traceKey", min = 1) StringType traceKey,
      @OperationParam(name = "payload") Base64BinaryType payload,
      RequestDetails request) {
    return sealing.trace(deviceId(id), text(traceKey, "traceKey"),
        Optional.ofNullable(payload).map(Base64BinaryType::getValue), Caller.of(request));
  }

  /**
   * The trace key a rotation made, for the administrator, once: it is then deleted, so it exists
   * only in this answer and wherever the administrator puts it. 404 when none is waiting.
   */
  @Operation(name = "$rotated-trace-key", type = Device.class)
  public Parameters rotatedTraceKey(@IdParam IdType id, RequestDetails request) {
    PendingTraceKeys.Collected collected = sealing.collectRotatedKey(deviceId(id), Caller.of(request));
    Parameters out = new Parameters();
    out.addParameter("traceKey", collected.key().toString());
    out.addParameter("version", collected.version());
    return out;
  }

  /** Checks the audit hash chain; answers intact or the first broken entry and why. */
  @Operation(name = "$verify-audit-chain", idempotent = true)
  public Parameters verifyAuditChain(RequestDetails request) {
    AuditTrail.Check check = audit.verify();
    Parameters out = new Parameters();
    out.addParameter("intact", check.intact());
    out.addParameter("entries", (int) check.entries());
    check.firstBreak().ifPresent(b -> {
      out.addParameter("brokenAt", (int) b.sequence());
      out.addParameter("reason", b.reason());
    });
    return out;
  }

  /**
   * The malicious node library: list it (each entry confirmed or quarantined), add an address, CIDR
   * range, node id or {@code client:<id>} (an administrator's listing, which also confirms a
   * quarantine), or remove one (which also releases a quarantine and forgets its failures).
   */
  @Operation(name = "$malicious-nodes")
  public Parameters maliciousNodes(@OperationParam(name = "add") StringType add,
      @OperationParam(name = "remove") StringType remove, @OperationParam(name = "reason") StringType reason,
      RequestDetails request) {
    Caller caller = Caller.of(request);
    checkLength("add", add, MAX_NODE_ENTRY);
    checkLength("remove", remove, MAX_NODE_ENTRY);
    checkLength("reason", reason, MAX_NODE_REASON);
    if (add != null && add.hasValue()) {
      library.add(add.getValue().trim());
      tables.addMaliciousNode(add.getValue().trim(), reason == null ? "listed by " + caller.actor() : reason.getValue());
      audit.record(caller.actor(), caller.peer(), "malicious-node-add", AuditEvent.AuditEventAction.C,
          add.getValue().trim(), AuditTrail.Outcome.SUCCESS, "listed as malicious");
    }
    if (remove != null && remove.hasValue()) {
      library.remove(remove.getValue().trim());
      tables.removeMaliciousNode(remove.getValue().trim());
      audit.record(caller.actor(), caller.peer(), "malicious-node-remove", AuditEvent.AuditEventAction.D,
          remove.getValue().trim(), AuditTrail.Outcome.SUCCESS, "removed from the library");
    }
    Parameters out = new Parameters();
    for (CustodyTables.NodeRow row : tables.maliciousNodes()) {
      Parameters.ParametersParameterComponent p = out.addParameter().setName("node");
      p.addPart().setName("entry").setValue(new StringType(row.entry()));
      p.addPart().setName("reason").setValue(new StringType(row.reason()));
      p.addPart().setName("added").setValue(new DateTimeType(java.util.Date.from(row.addedAt())));
      p.addPart().setName("listing").setValue(new StringType(row.listing().name().toLowerCase(java.util.Locale.ROOT)));
    }
    return out;
  }

  /** Longest node entry (address, CIDR range or node id) and reason the library stores. */
  static final int MAX_NODE_ENTRY = 128;
  static final int MAX_NODE_REASON = 256;

  private static void checkLength(String name, StringType value, int max) {
    if (value != null && value.hasValue() && (value.getValue().isBlank() || value.getValue().trim().length() > max)) {
      throw new InvalidRequestException(name + " must be 1 to " + max + " characters");
    }
  }

  private static String deviceId(IdType id) {
    return "Device/" + id.getIdPart();
  }

  private static double mbq(Quantity q) {
    if (!q.hasValue()) {
      throw new InvalidRequestException("activityPerSeed needs a value");
    }
    String code = q.hasCode() ? q.getCode() : "MBq";
    double v = q.getValue().doubleValue();
    return switch (code) {
      case "MBq" -> v;
      case "kBq" -> v / 1000.0;
      case "GBq" -> v * 1000.0;
      case "mCi" -> v * 37.0;
      default -> throw new InvalidRequestException("activityPerSeed unit " + code + " is not MBq, kBq, GBq or mCi");
    };
  }

  private static <T> T required(T value, String name) {
    if (value == null) {
      throw new InvalidRequestException("parameter " + name + " is required");
    }
    return value;
  }

  private static String text(StringType value, String name) {
    String s = required(value, name).getValue();
    if (s == null || s.isBlank()) {
      throw new InvalidRequestException("parameter " + name + " is required");
    }
    return s;
  }

}
