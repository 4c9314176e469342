package io.seedtrace.server.custody;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Quantity;

/** Systems, profiles and codes of the SeedTrace package used by the custody operations. */
public final class CustodyCodes {

  public static final String BASE = "https://seedtrace.io/fhir/";
  public static final String CS = BASE + "CodeSystem/seedtrace";
  public static final String SD = BASE + "StructureDefinition/";
  public static final String SID_SERIAL = BASE + "sid/cartridge-serial";
  public static final String SID_ORDER = BASE + "sid/order";
  public static final String SID_SHIPMENT = BASE + "sid/shipment";
  public static final String SID_ALERT = BASE + "sid/alert";
  public static final String SID_SIGNING_KEY = BASE + "sid/chip-signing-key";
  public static final String SID_RETURN = BASE + "sid/seed-return";

  public static final String PROFILE_CARTRIDGE = SD + "seed-cartridge";
  public static final String PROFILE_COUNT = SD + "seed-count";
  public static final String PROFILE_ORDER = SD + "seed-order";
  public static final String PROFILE_SHIPMENT = SD + "seed-shipment";
  public static final String PROFILE_ALERT = SD + "seed-alert";
  public static final String PROFILE_IMPLANT = SD + "seed-implant-procedure";

  /** Organization extension: a radioactive-material licence (number, period, maxActivity, maxSeeds). */
  public static final String EXT_LICENCE = SD + "radioactive-material-licence";
  /** Organization extension: a registered chip-signing key (kid, publicKey as base64 X.509 SPKI). */
  public static final String EXT_SIGNING_KEY = SD + "chip-signing-key";
  public static final String EXT_CALIBRATION = SD + "activity-calibration-time";
  public static final String EXT_SEED_ACTIVITY = SD + "nominal-seed-activity";
  public static final String EXT_PAYLOAD_HASH = SD + "chip-payload-hash";
  public static final String EXT_REQUESTED_ACTIVITY = SD + "requested-total-activity";
  public static final String EXT_SEEDS_LOADED = SD + "seeds-loaded";

  public static final String UCUM = "http://unitsofmeasure.org";

  private CustodyCodes() {}

  public static CodeableConcept concept(String code) {
    return new CodeableConcept(new Coding(CS, code, null));
  }

  public static Quantity seeds(int n) {
    return new Quantity().setValue(n).setUnit("seeds").setSystem(UCUM).setCode("{seeds}");
  }

  public static Quantity mbq(double v) {
    return new Quantity().setValue(new java.math.BigDecimal(v).setScale(3, java.math.RoundingMode.HALF_UP)
        .stripTrailingZeros()).setUnit("MBq").setSystem(UCUM).setCode("MBq");
  }
}
