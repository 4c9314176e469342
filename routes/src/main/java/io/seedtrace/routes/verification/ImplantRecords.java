package io.seedtrace.routes.verification;

import io.seedtrace.dicom.rt.StructureSetContours;
import io.seedtrace.dicom.spool.SeriesStableEvent;
import java.time.Instant;
import java.util.Optional;

/**
 * What the pipeline reads from the record system (the server's FHIR store): the implant a study
 * belongs to, the counts of its cartridge and its plan; and where RT objects from the PACS are
 * kept as plan sources. Implementations must be safe for concurrent use.
 */
public interface ImplantRecords {

  /** The implant a CT study belongs to (by accession number, else by patient and date). */
  Optional<Implant> match(SeriesStableEvent event, Instant studyTime);

  /** The counts recorded for the cartridge along its chain of custody. */
  CustodyCounts counts(String cartridge);

  /** The plan of an implant, if one was recorded or received (RT objects by DICOM patient ID), for a CT in this frame. */
  Optional<Plan> plan(Implant implant, String dicomPatientId, String ctFrameOfReferenceUid);

  /**
   * The organ and target outlines of the patient in the CT's frame of reference (an RT Structure Set
   * the PACS sent), for the dose; none by default.
   */
  default Optional<StructureSetContours> structures(String dicomPatientId, String ctFrameOfReferenceUid) {
    return Optional.empty();
  }

  /**
   * An MR series of the patient with an RT Structure Set outlined on it (the structure set in the
   * MR's frame of reference, not the CT's), for fusion; none by default.
   */
  default Optional<MrOutlines> mrOutlines(String dicomPatientId, String ctFrameOfReferenceUid) {
    return Optional.empty();
  }

  /** The seeds' model and activity from the implant's cartridge, for the dose; none by default. */
  default Optional<SeedSource> seedSource(Implant implant) {
    return Optional.empty();
  }

  /**
   * Keeps the objects of an RT Plan, RT Structure Set or Spatial Registration series as plan
   * sources, and those of an MR series (modality "MR") for fusion.
   */
  void keepPlanObjects(SeriesStableEvent event, String modality);
}
