package io.seedtrace.server.custody;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.time.Instant;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;

/** Reading the SeedCartridge profile's values off a Device. */
public final class Cartridges {

  private Cartridges() {}

  public static boolean isCartridge(Device d) {
    return d.getMeta().hasProfile(CustodyCodes.PROFILE_CARTRIDGE);
  }

  static void requireCartridge(Device d) {
    if (!isCartridge(d)) {
      throw new UnprocessableEntityException(d.getIdElement().toUnqualifiedVersionless().getValue()
          + " is not a SeedCartridge");
    }
  }

  public static boolean isCount(Observation o, String kind) {
    return o.getCode().getCoding().stream().anyMatch(c -> CustodyCodes.CS.equals(c.getSystem()) && kind.equals(c.getCode()));
  }

  public static int seedCount(Device d) {
    return (int) property(d, "seed-count");
  }

  public static double totalActivityMbq(Device d) {
    return property(d, "total-activity");
  }

  public static double seedActivityMbq(Device d) {
    Extension e = d.getExtensionByUrl(CustodyCodes.EXT_SEED_ACTIVITY);
    if (e != null && e.getValue() instanceof Quantity q) {
      return q.getValue().doubleValue();
    }
    return totalActivityMbq(d) / seedCount(d);
  }

  public static Instant calibration(Device d) {
    Extension e = d.getExtensionByUrl(CustodyCodes.EXT_CALIBRATION);
    return ((DateTimeType) e.getValue()).getValue().toInstant();
  }

  static String productName(Device d) {
    return d.hasDeviceName() ? d.getDeviceNameFirstRep().getName() : "";
  }

  private static double property(Device d, String code) {
    for (Device.DevicePropertyComponent p : d.getProperty()) {
      if (p.getType().getCoding().stream().anyMatch(c -> code.equals(c.getCode())) && p.hasValueQuantity()) {
        return p.getValueQuantityFirstRep().getValue().doubleValue();
      }
    }
    throw new UnprocessableEntityException("cartridge " + d.getSerialNumber() + " has no " + code + " property");
  }
}
