package io.seedtrace.server.network;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import io.seedtrace.server.custody.Cartridges;
import io.seedtrace.server.custody.CustodyCodes;
import io.seedtrace.server.store.FhirStore;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A hospital node tells the authority every seed count it records about a cartridge: whenever a
 * SeedCount (received L0 at the chip read, removed L3 at assembly, imaged L1 by the verification,
 * remaining L2 at sealing) is stored, by whatever path, a {@code custody-implant-summary} with all
 * the counts of that cartridge known so far and a pseudonymous patient key goes to the authority's
 * node through the outbox. The summary is built after the commit of the count, on a background
 * thread, so a request never waits for it and never sends a count that was rolled back.
 */
public final class CountReports implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CountReports.class);

  private final FhirStore store;
  private final CustodySender sender;
  private final PatientPseudonyms pseudonyms;
  private final String hospitalId;
  private final Clock clock;
  private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "authority-count-reports");
    t.setDaemon(true);
    return t;
  });

  public CountReports(FhirStore store, CustodySender sender, PatientPseudonyms pseudonyms, String hospitalId,
      Clock clock) {
    this.store = store;
    this.sender = sender;
    this.pseudonyms = pseudonyms;
    this.hospitalId = hospitalId;
    this.clock = clock;
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
  public void created(IBaseResource resource) {
    if (!(resource instanceof Observation count) || !count.getMeta().hasProfile(CustodyCodes.PROFILE_COUNT)
        || !count.hasDevice()) {
      return;
    }
    String device = count.getDevice().getReferenceElement().toUnqualifiedVersionless().getValue();
    if (device == null || !device.startsWith("Device/")) {
      return;
    }
    Runnable job = () -> report(device);
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
        @Override
        public void afterCommit() {
          background.execute(job);
        }
      });
    } else {
      background.execute(job);
    }
  }

  private void report(String deviceId) {
    try {
      Optional<String> authority = sender.peerFor(CustodyEvent.IMPLANT_SUMMARY, Optional.empty());
      if (authority.isEmpty()) {
        return;
      }
      CountSummary summary = summaryOf(deviceId, true);
      sender.send(CustodyEvent.IMPLANT_SUMMARY, authority.get(), "report:" + summary.serial(),
          List.of(summary.toParameters()), "node:" + hospitalId);
    } catch (RuntimeException e) {
      LOG.error("the count summary of {} could not be queued for the authority: {}", deviceId, e.toString());
    }
  }

  /**
   * The counts this hospital holds for a cartridge Device, the latest of each kind.
   *
   * @param withPatient true: with the patient key (for the authority), false: without (for the manufacturer)
   * @throws IllegalArgumentException when the Device carries no cartridge serial
   */
  public CountSummary summaryOf(String deviceId, boolean withPatient) {
    Device device = store.read(Device.class, deviceId);
    String serial = device.getIdentifier().stream().filter(i -> CustodyCodes.SID_SERIAL.equals(i.getSystem()))
        .map(Identifier::getValue).findFirst().orElseThrow(() -> new IllegalArgumentException(deviceId
            + " has no cartridge serial"));
    List<Observation> counts = store.byReference(Observation.class, "device", deviceId).stream()
        .filter(o -> o.getMeta().hasProfile(CustodyCodes.PROFILE_COUNT)).toList();
    String patientKey = withPatient ? patientOf(deviceId, counts).map(pseudonyms::of).orElse(null) : null;
    return new CountSummary(serial, null, hospitalId, null, latest(counts, "seed-count-shipped"),
        latest(counts, "seed-count-removed"), latest(counts, "seed-count-imaged"),
        latest(counts, "seed-count-remaining"), null, patientKey, clock.instant());
  }

  private static Integer latest(List<Observation> counts, String kind) {
    return counts.stream().filter(o -> Cartridges.isCount(o, kind) && o.getValue() instanceof Quantity)
        .max(Comparator.comparing(o -> o.getMeta().getLastUpdated() == null ? new java.util.Date(0)
            : o.getMeta().getLastUpdated()))
        .map(o -> ((Quantity) o.getValue()).getValue().intValueExact()).orElse(null);
  }

  /** The patient the cartridge was implanted in: the subject of its counts, else of its implant Procedure. */
  private Optional<String> patientOf(String deviceId, List<Observation> counts) {
    Optional<String> fromCounts = counts.stream().filter(Observation::hasSubject)
        .map(o -> o.getSubject().getReferenceElement().toUnqualifiedVersionless().getValue()).findFirst();
    if (fromCounts.isPresent()) {
      return fromCounts;
    }
    return store.byReference(Procedure.class, "focal-device", deviceId).stream()
        .filter(p -> p.getFocalDevice().stream().anyMatch(f -> deviceId.equals(f.getManipulated().getReference())))
        .filter(Procedure::hasSubject)
        .map(p -> p.getSubject().getReferenceElement().toUnqualifiedVersionless().getValue()).findFirst();
  }

  @Override
  public void close() {
    background.shutdown();
  }
}
