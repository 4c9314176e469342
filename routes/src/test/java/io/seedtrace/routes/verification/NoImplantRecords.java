package io.seedtrace.routes.verification;

import io.seedtrace.dicom.spool.SeriesStableEvent;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Records that know nothing: no implant matches, no counts, no plan, nothing kept. A step's test
 * overrides the one or two answers its step reads.
 */
class NoImplantRecords implements ImplantRecords {

  @Override
  public Optional<Implant> match(SeriesStableEvent event, Instant studyTime) {
    return Optional.empty();
  }

  @Override
  public CustodyCounts counts(String cartridge) {
    return new CustodyCounts(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty());
  }

  @Override
  public Optional<Plan> plan(Implant implant, String dicomPatientId, String ctFrameOfReferenceUid) {
    return Optional.empty();
  }

  @Override
  public void keepPlanObjects(SeriesStableEvent event, String modality) {}
}
