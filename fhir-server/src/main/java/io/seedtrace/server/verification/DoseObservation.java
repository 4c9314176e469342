package io.seedtrace.server.verification;

import io.seedtrace.dosimetry.dvh.DoseMetric;
import io.seedtrace.routes.verification.DoseOutcome;
import io.seedtrace.server.custody.CustodyCodes;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Date;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;

/**
 * The dose of an implant as one Observation of the SeedVerificationReport ({@code implant-dose}):
 * one component per dose-volume metric, coded in the SeedTrace CodeSystem ({@code dose-d90},
 * {@code dose-v100}, ..., docs/dosimetry.md), values in UCUM Gy, % or cm3; the component's text
 * names the structure it was computed on. The method and the approximations are in its notes.
 */
final class DoseObservation {

  static final String CODE = "implant-dose";

  private DoseObservation() {}

  static Observation of(String verificationId, VerificationResults.Refs refs, VerificationResults.Study study,
      DoseOutcome dose) {
    Observation o = new Observation();
    o.addIdentifier().setSystem(VerificationResults.SID_VERIFICATION).setValue(verificationId + "#dose");
    o.setStatus(Observation.ObservationStatus.FINAL);
    o.setCode(new CodeableConcept(new Coding(CustodyCodes.CS, CODE, "Post-implant dose")));
    o.setSubject(new Reference(refs.patient()));
    o.addPartOf(new Reference(refs.procedure()));
    o.setDevice(new Reference(refs.device()));
    o.setEffective(new DateTimeType(Date.from(study.time())));
    o.addDerivedFrom(new Reference(refs.study()));
    o.setMethod(new CodeableConcept().setText("AAPM TG-43U1 line-source formalism, " + dose.seedModel()
        + " consensus data, S_K " + round(dose.airKermaStrengthU(), 3) + " U per seed at implant, dose to infinity;"
        + " " + dose.result().doseGy().spacingMm() + " mm grid, partial-volume rasterisation of RT Structure Set "
        + dose.structures().sopInstanceUid()));
    for (DoseMetric m : dose.result().metrics().metrics()) {
      Observation.ObservationComponentComponent c = o.addComponent();
      c.setCode(new CodeableConcept(new Coding(CustodyCodes.CS, m.code(), m.display())).setText(m.display() + " ("
          + m.structure() + ")"));
      c.setValue(new Quantity().setValue(round(m.value(), 2)).setUnit(m.unit()).setSystem(CustodyCodes.UCUM)
          .setCode(m.unit()));
    }
    o.addNote(new Annotation().setText("Water (TG-43) assumption: no tissue heterogeneity, no inter-seed "
        + "attenuation; seeds fixed at their CT positions."));
    dose.notes().forEach(n -> o.addNote(new Annotation().setText(n)));
    return o;
  }

  private static BigDecimal round(double v, int places) {
    return BigDecimal.valueOf(v).setScale(places, RoundingMode.HALF_UP);
  }
}
