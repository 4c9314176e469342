package io.seedtrace.server.verification;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Element;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.rt.StructureSetContourReader;
import io.seedtrace.dicom.rt.StructureSetContours;
import io.seedtrace.dicom.spool.SeriesStableEvent;
import io.seedtrace.routes.verification.CustodyCounts;
import io.seedtrace.routes.verification.Implant;
import io.seedtrace.routes.verification.ImplantRecords;
import io.seedtrace.routes.verification.MrOutlines;
import io.seedtrace.routes.verification.Plan;
import io.seedtrace.routes.verification.SeedSource;
import io.seedtrace.server.custody.Cartridges;
import io.seedtrace.server.store.FhirStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Procedure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The implant records of the verification pipeline in the FHIR store: the SeedImplantProcedure a
 * study belongs to, the SeedCounts of its cartridge, its plan, the patient's outlines and the
 * cartridge's seeds for the dose; RT objects in {@code st_rt_object}.
 */
public final class FhirImplantRecords implements ImplantRecords {

  private static final Logger LOG = LoggerFactory.getLogger(FhirImplantRecords.class);

  private final FhirStore store;
  private final VerificationTables tables;
  private final StudyMatcher matcher;
  private final PlanSource plans;

  public FhirImplantRecords(FhirStore store, VerificationTables tables, StudyMatcher matcher, PlanSource plans) {
    this.store = store;
    this.tables = tables;
    this.matcher = matcher;
    this.plans = plans;
  }

  @Override
  public Optional<Implant> match(SeriesStableEvent event, Instant studyTime) {
    return matcher.match(event.accessionNumber(), event.patientId(), studyTime).map(m -> {
      Procedure procedure = m.procedure();
      Optional<String> cartridge = procedure.getFocalDevice().stream().map(f -> f.getManipulated().getReference())
          .filter(r -> r != null && r.startsWith("Device/")).findFirst();
      return new Implant(procedure.getSubject().getReference(),
          procedure.getIdElement().toUnqualifiedVersionless().getValue(), cartridge, m.how());
    });
  }

  @Override
  public CustodyCounts counts(String cartridge) {
    List<Observation> observations = store.byReference(Observation.class, "device", cartridge);
    return new CustodyCounts(count(observations, "seed-count-shipped"), count(observations, "seed-count-remaining"),
        count(observations, "seed-count-removed"));
  }

  @Override
  public Optional<Plan> plan(Implant implant, String dicomPatientId, String ctFrameOfReferenceUid) {
    return plans.find(implant.procedure(), dicomPatientId, ctFrameOfReferenceUid);
  }

  /** The newest RT Structure Set of the patient with closed outlines in the CT's frame of reference. */
  @Override
  public Optional<StructureSetContours> structures(String dicomPatientId, String ctFrameOfReferenceUid) {
    if (dicomPatientId == null || dicomPatientId.isBlank() || ctFrameOfReferenceUid == null) {
      return Optional.empty();
    }
    for (VerificationTables.RtObject o : tables.rtObjectsOf(dicomPatientId)) {
      // planning systems name the frame only inside the structure set (kept as empty): the reader decides
      boolean otherFrame = o.frameOfReference() != null && !o.frameOfReference().isBlank()
          && !ctFrameOfReferenceUid.equals(o.frameOfReference());
      if (!o.kind().equals("RTSTRUCT") || otherFrame) {
        continue;
      }
      try {
        StructureSetContours contours = StructureSetContourReader.read(Part10.read(Files.readAllBytes(
            Path.of(o.path()))).dataSet());
        if (contours.frameOfReferenceUid().equals(ctFrameOfReferenceUid)) {
          return Optional.of(contours);
        }
      } catch (Exception unusable) {
        LOG.info("RT Structure Set {} has no usable outlines for the dose: {}", o.sopUid(), unusable.getMessage());
      }
    }
    return Optional.empty();
  }

  /**
   * The newest RT Structure Set of the patient outlined in the frame of one of its MR series (not
   * the CT's: that one is the dose step's), with that MR series: the one the structure set
   * references, else the MR series of that frame with the most instances. Series are told apart by
   * the spool's layout ({@code <study>/<series>/<instance>.dcm}).
   */
  @Override
  public Optional<MrOutlines> mrOutlines(String dicomPatientId, String ctFrameOfReferenceUid) {
    if (dicomPatientId == null || dicomPatientId.isBlank()) {
      return Optional.empty();
    }
    List<VerificationTables.RtObject> objects = tables.rtObjectsOf(dicomPatientId);
    for (VerificationTables.RtObject o : objects) {
      boolean onMr = o.frameOfReference() == null || o.frameOfReference().isBlank()
          || objects.stream().anyMatch(m -> m.kind().equals("MR") && o.frameOfReference().equals(m.frameOfReference()));
      if (!o.kind().equals("RTSTRUCT") || !onMr) {
        continue;
      }
      try {
        DataSet ds = Part10.read(Files.readAllBytes(Path.of(o.path()))).dataSet();
        StructureSetContours contours = StructureSetContourReader.read(ds);
        Map<String, List<Path>> series = new LinkedHashMap<>();
        for (VerificationTables.RtObject m : objects) {
          if (m.kind().equals("MR") && contours.frameOfReferenceUid().equals(m.frameOfReference())
              && !contours.frameOfReferenceUid().equals(ctFrameOfReferenceUid)) {
            Path file = Path.of(m.path());
            series.computeIfAbsent(file.getParent().getFileName().toString(), k -> new ArrayList<>()).add(file);
          }
        }
        Optional<String> chosen = referencedSeries(ds).stream().filter(series::containsKey).findFirst()
            .or(() -> series.entrySet().stream().max(Comparator.comparingInt(e -> e.getValue().size()))
                .map(Map.Entry::getKey));
        if (chosen.isPresent()) {
          return Optional.of(new MrOutlines(chosen.get(), series.get(chosen.get()), contours));
        }
      } catch (Exception unusable) {
        LOG.info("RT Structure Set {} has no usable outlines for fusion: {}", o.sopUid(), unusable.getMessage());
      }
    }
    return Optional.empty();
  }

  /** The series UIDs a structure set names under its referenced frames and studies. */
  private static List<String> referencedSeries(DataSet structureSet) {
    List<String> out = new ArrayList<>();
    for (DataSet frame : items(structureSet, Tag.ReferencedFrameOfReferenceSequence)) {
      for (DataSet study : items(frame, Tag.RTReferencedStudySequence)) {
        for (DataSet series : items(study, Tag.RTReferencedSeriesSequence)) {
          String uid = series.getString(Tag.SeriesInstanceUID, "");
          if (!uid.isBlank()) {
            out.add(uid);
          }
        }
      }
    }
    return out;
  }

  private static List<DataSet> items(DataSet ds, int tag) {
    return ds.get(tag).filter(Element::isSequence).map(Element::items).orElse(List.of());
  }

  /** The cartridge's model (model number and product name), nominal seed activity and calibration time. */
  @Override
  public Optional<SeedSource> seedSource(Implant implant) {
    if (implant.cartridge().isEmpty()) {
      return Optional.empty();
    }
    try {
      Device device = store.read(Device.class, implant.cartridge().get());
      Procedure procedure = store.read(Procedure.class, implant.procedure());
      Optional<Instant> performed = procedure.hasPerformedDateTimeType()
          ? Optional.of(procedure.getPerformedDateTimeType().getValue().toInstant()) : Optional.empty();
      String model = (device.hasModelNumber() ? device.getModelNumber() + " " : "")
          + (device.hasDeviceName() ? device.getDeviceNameFirstRep().getName() : "");
      return Optional.of(new SeedSource(model.strip(), Cartridges.seedActivityMbq(device), Cartridges.calibration(device),
          performed));
    } catch (RuntimeException unreadable) {
      LOG.info("Cartridge {} gives no seed activity for the dose: {}", implant.cartridge().get(),
          unreadable.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public void keepPlanObjects(SeriesStableEvent event, String modality) {
    for (Path path : event.paths()) {
      String sop = path.getFileName().toString().replaceFirst("\\.dcm$", "");
      tables.saveRtObject(new VerificationTables.RtObject(sop, modality, event.patientId(), event.studyUid(),
          event.frameOfReferenceUid(), path.toAbsolutePath().toString(), Instant.now()));
    }
    LOG.info("Kept {} {} object(s) of patient {} as plan source(s) or for fusion", event.paths().size(), modality,
        event.patientId());
  }

  /** The newest final SeedCount of a kind among the cartridge's observations. */
  private static OptionalInt count(List<Observation> observations, String kind) {
    return observations.stream()
        .filter(o -> o.getCode().getCoding().stream().anyMatch(c -> kind.equals(c.getCode())))
        .filter(o -> o.getStatus() == Observation.ObservationStatus.FINAL)
        .max(Comparator.comparing(o -> o.getMeta().getLastUpdated()))
        .map(o -> OptionalInt.of(o.getValueQuantity().getValue().intValue())).orElse(OptionalInt.empty());
  }
}
