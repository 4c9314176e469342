package io.seedtrace.server.custody;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Optional;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;

/** The chain of custody up to sealing, through the API with each role's token, for other tests. */
public final class CustodyChainSteps {

  /** An implanted, sealed cartridge: what a verification test needs to know. */
  public record Implant(String patientId, String dicomPatientId, String procedureId, String deviceId, String accession,
      String traceKey) {}

  private final Function<String, IGenericClient> as;

  public CustodyChainSteps(Function<String, IGenericClient> as) {
    this.as = as;
  }

  /**
   * Ships {@code shipped} seeds, assembles {@code needed} of them (the rest are removed), implants
   * them and seals the cartridge with {@code remaining} seeds left.
   */
  public Implant implantAndSeal(int shipped, int needed, int remaining) throws Exception {
    CustodyFixture fx = new CustodyFixture(as, Optional.of(CustodyFixture.validNow()), 500, 100_000);
    String order = CustodyFixture.id(as.apply("physician").create().resource(fx.order(shipped, shipped * 14.8,
        fx.locationId)).execute().getId());
    String serial = "CART-" + fx.tag;
    as.apply("manufacturer").create().resource(fx.shipment(order, serial)).execute();
    String device = CustodyChainIT.ref(CustodyChainIT.chipRead(as.apply("nurse"),
        fx.chip(fx.cartridge(serial, shipped, Instant.now().minus(2, ChronoUnit.DAYS)))), "device");
    CustodyChainIT.assemble(as.apply("physicist"), device, needed, 14.2, 0.05);
    String dicomPatientId = "MRN-" + fx.tag;
    Patient patient = new Patient();
    patient.addIdentifier().setSystem("https://hospital.example/mrn").setValue(dicomPatientId);
    patient.addName().setFamily("Test").addGiven(fx.tag);
    String patientId = CustodyFixture.id(as.apply("physician").create().resource(patient).execute().getId());
    String accession = "ACC-" + fx.tag;
    Procedure implant = fx.implant(patientId, device, accession, needed,
        Date.from(Instant.now().minus(1, ChronoUnit.HOURS)));
    String procedureId = CustodyFixture.id(as.apply("physician").create().resource(implant).execute().getId());
    Parameters sealed = CustodyChainIT.seal(as.apply("nurse"), device, "Patient " + fx.tag, "IP-" + fx.tag, remaining);
    return new Implant(patientId, dicomPatientId, procedureId, device, accession,
        sealed.getParameterValue("traceKey").primitiveValue());
  }
}
