package io.seedtrace.server.network;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Base64BinaryType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * A cartridge's stay at the hospital through the hospital node's API, each step with the token of
 * the person who does it: receipt (chip read), assembly, implantation, the count of seeds on the
 * post-operative images, sealing.
 */
final class HospitalSteps {

  static final String SD = "https://seedtrace.io/fhir/StructureDefinition/";
  private final Function<String, IGenericClient> as;

  HospitalSteps(Function<String, IGenericClient> as) {
    this.as = as;
  }

  /** The nurse reads the chip at receipt; returns the cartridge Device's id. */
  String receive(byte[] chip) {
    Parameters p = new Parameters();
    p.addParameter().setName("payload").setValue(new Base64BinaryType(chip));
    p.addParameter().setName("reader").setValue(new StringType("NFC-READER-1"));
    Parameters answer = as.apply("nurse").operation().onType(Device.class).named("$chip-read").withParameters(p)
        .execute();
    return ((Reference) answer.getParameterValue("device")).getReference();
  }

  /** The physicist assembles {@code seeds} seeds; returns how many were removed (L3). */
  int assemble(String device, int seeds) {
    Parameters p = new Parameters();
    p.addParameter().setName("model").setValue(new StringType("6711"));
    p.addParameter().setName("activityPerSeed").setValue(new Quantity().setValue(14.2).setUnit("MBq")
        .setSystem("http://unitsofmeasure.org").setCode("MBq"));
    p.addParameter().setName("tolerance").setValue(new DecimalType(0.05));
    p.addParameter().setName("seeds").setValue(new IntegerType(seeds));
    p.addParameter().setName("implantTime").setValue(new DateTimeType(Date.from(Instant.now().plus(1, ChronoUnit.DAYS))));
    Parameters answer = as.apply("physicist").operation().onInstance(new IdType(device)).named("$assemble")
        .withParameters(p).execute();
    return ((IntegerType) answer.getParameterValue("removed")).getValue();
  }

  /** The physician registers the patient and records the implantation; returns patient and procedure ids. */
  String[] implant(String device, String family, String locationId, int seedsLoaded) {
    Patient patient = new Patient();
    patient.addIdentifier().setSystem("https://hospital.example/mrn").setValue("MRN-" + family);
    patient.addName().setFamily(family).addGiven("Test");
    String patientId = id(as.apply("physician").create().resource(patient).execute().getId());
    Procedure implant = new Procedure();
    implant.getMeta().addProfile(SD + "seed-implant-procedure");
    implant.addExtension(SD + "seeds-loaded", new PositiveIntType(seedsLoaded));
    implant.addIdentifier().setSystem("https://seedtrace.io/fhir/sid/accession").setValue("ACC-" + family)
        .getType().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/v2-0203").setCode("ACSN");
    implant.setStatus(Procedure.ProcedureStatus.COMPLETED);
    implant.getCode().addCoding().setSystem("http://snomed.info/sct").setCode("169359004")
        .setDisplay("Internal radiotherapy - permanent seeds");
    implant.setSubject(new Reference(patientId));
    implant.setPerformed(new DateTimeType(Date.from(Instant.now().minus(1, ChronoUnit.HOURS))));
    implant.addPerformer().getActor().setDisplay("Dr. Example");
    implant.setLocation(new Reference(locationId));
    implant.addFocalDevice().setManipulated(new Reference(device)).getAction().setText("seeds loaded from cartridge");
    return new String[] {patientId, id(as.apply("physician").create().resource(implant).execute().getId())};
  }

  /** The physicist records the seeds counted on the post-operative images (L1). */
  void imaged(String device, String patientId, String procedureId, int seeds) {
    Observation count = new Observation();
    count.getMeta().addProfile(SD + "seed-count");
    count.setStatus(Observation.ObservationStatus.FINAL);
    count.getCode().addCoding(new Coding("https://seedtrace.io/fhir/CodeSystem/seedtrace", "seed-count-imaged", null));
    count.setSubject(new Reference(patientId));
    count.addPartOf(new Reference(procedureId));
    count.setDevice(new Reference(device));
    count.setEffective(new DateTimeType(new Date()));
    count.setValue(new Quantity().setValue(seeds).setUnit("seeds").setSystem("http://unitsofmeasure.org")
        .setCode("{seeds}"));
    as.apply("physicist").create().resource(count).execute();
  }

  /** The nurse seals the cartridge with {@code remaining} seeds; returns the sealed chip payload. */
  byte[] seal(String device, String patientName, int remaining) {
    Parameters p = new Parameters();
    p.addParameter("hospital", "Example General Hospital");
    p.addParameter("department", "Nuclear Medicine");
    p.addParameter("doctor", "Dr. Example");
    p.addParameter("inpatientNumber", "IP-" + patientName);
    p.addParameter("patientName", patientName);
    p.addParameter("surgicalDepartment", "Urology");
    p.addParameter().setName("surgeryTime").setValue(new DateTimeType(new Date()));
    p.addParameter().setName("remainingCount").setValue(new IntegerType(remaining));
    Parameters answer = as.apply("nurse").operation().onInstance(new IdType(device)).named("$seal").withParameters(p)
        .execute();
    return ((Base64BinaryType) answer.getParameterValue("sealedPayload")).getValue();
  }

  static String id(org.hl7.fhir.instance.model.api.IIdType id) {
    return id.toUnqualifiedVersionless().getValue();
  }
}
