package io.seedtrace.server.custody;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.seedtrace.core.chip.ChipPayloadCodec;
import io.seedtrace.core.chip.InitialBlock;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Base64BinaryType;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DeviceDefinition;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.SupplyDelivery;
import org.hl7.fhir.r4.model.SupplyRequest;

/**
 * The parties of a chain set up through the API as the people who would do it: the administrator
 * registers the manufacturer (with its chip-signing key) and the hospital (with its licence) and
 * the hot lab; the manufacturer's key pair stays in the test, as it would stay at the factory.
 */
public final class CustodyFixture {

  static final String SD = "https://seedtrace.io/fhir/StructureDefinition/";
  final String tag = UUID.randomUUID().toString().substring(0, 8);
  final KeyPair manufacturerKeys;
  final String kid = "MFR-" + tag;
  final String manufacturerId;
  final String hospitalId;
  final String locationId;
  final String productId;

  /**
   * @param licence how the hospital's licence looks: valid period and limits, or none
   */
  CustodyFixture(Function<String, IGenericClient> as, Optional<Period> licencePeriod, int maxSeeds, double maxMbq)
      throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    manufacturerKeys = g.generateKeyPair();
    IGenericClient admin = as.apply("admin");

    Organization maker = new Organization().setName("Isotope Works " + tag).setActive(true);
    maker.addIdentifier().setSystem("https://seedtrace.io/fhir/sid/chip-signing-key").setValue(kid);
    Extension key = maker.addExtension().setUrl(SD + "chip-signing-key");
    key.addExtension("kid", new StringType(kid));
    key.addExtension("publicKey", new Base64BinaryType(manufacturerKeys.getPublic().getEncoded()));
    manufacturerId = id(admin.create().resource(maker).execute().getId());

    Organization hospital = new Organization().setName("General Hospital " + tag).setActive(true);
    licencePeriod.ifPresent(period -> {
      Extension licence = hospital.addExtension().setUrl(SD + "radioactive-material-licence");
      licence.addExtension("number", new StringType("RML-" + tag));
      licence.addExtension("period", period);
      licence.addExtension("maxActivity", new Quantity().setValue(maxMbq).setUnit("MBq")
          .setSystem("http://unitsofmeasure.org").setCode("MBq"));
      licence.addExtension("maxSeeds", new IntegerType(maxSeeds));
    });
    hospitalId = id(admin.create().resource(hospital).execute().getId());

    Location lab = new Location().setName("Hot lab " + tag);
    lab.getAddress().addLine("1 Hospital Road").setCity("Example City").setCountry("CN");
    lab.setManagingOrganization(new Reference(hospitalId));
    locationId = id(admin.create().resource(lab).execute().getId());

    DeviceDefinition product = new DeviceDefinition();
    product.getMeta().addProfile(SD + "seed-product");
    product.addIdentifier().setSystem("https://seedtrace.io/fhir/sid/product").setValue("I125-6711-" + tag);
    product.setManufacturer(new Reference(manufacturerId));
    product.addDeviceName().setName("I-125 titanium seed").setType(
        org.hl7.fhir.r4.model.DeviceDefinition.DeviceNameType.MANUFACTURERNAME);
    product.setModelNumber("6711");
    product.getType().addCoding().setSystem("http://snomed.info/sct").setCode("1254766006")
        .setDisplay("Loose radioactive seed");
    product.addMaterial().getSubstance().setText("Iodine-125");
    productId = id(admin.create().resource(product).execute().getId());
  }

  static Period validNow() {
    return new Period().setStart(Date.from(Instant.now().minus(365, ChronoUnit.DAYS)))
        .setEnd(Date.from(Instant.now().plus(365, ChronoUnit.DAYS)));
  }

  SupplyRequest order(int seeds, double totalMbq, String deliverTo) {
    SupplyRequest order = new SupplyRequest();
    order.getMeta().addProfile(SD + "seed-order");
    order.addExtension(SD + "requested-total-activity", new Quantity().setValue(totalMbq).setUnit("MBq")
        .setSystem("http://unitsofmeasure.org").setCode("MBq"));
    order.addIdentifier().setSystem("https://seedtrace.io/fhir/sid/order").setValue("ORD-" + tag + "-" + seeds);
    order.setStatus(SupplyRequest.SupplyRequestStatus.DRAFT);
    // R4 SupplyRequest.item may reference only a Device, Medication or Substance: the product type as a
    // code, the product definition in the ordered-product extension
    order.setItem(new org.hl7.fhir.r4.model.CodeableConcept().setText("I-125 seed, model 6711")
        .addCoding(new org.hl7.fhir.r4.model.Coding("http://snomed.info/sct", "1254766006", "Loose radioactive seed")));
    order.addExtension(SD + "ordered-product", new Reference(productId));
    order.setQuantity(new Quantity().setValue(seeds).setUnit("seeds").setSystem("http://unitsofmeasure.org")
        .setCode("{seeds}"));
    order.setOccurrence(new DateTimeType(Date.from(Instant.now().plus(2, ChronoUnit.DAYS))));
    order.setAuthoredOn(new Date());
    order.setRequester(new Reference(hospitalId));
    order.addSupplier(new Reference(manufacturerId));
    order.setDeliverTo(new Reference(deliverTo));
    return order;
  }

  /** An initial block as the factory writes it: {@code seeds} seeds of 14.8 MBq at calibration. */
  InitialBlock cartridge(String serial, int seeds, Instant calibration) {
    return new InitialBlock(serial, Optional.empty(), "Isotope Works " + tag, "I-125 titanium seed", "6711", seeds,
        seeds * 14_800L, calibration, 14_800, "LOT-" + tag, LocalDate.now().plusDays(90));
  }

  byte[] chip(InitialBlock block) {
    return ChipPayloadCodec.encode(block, kid.getBytes(StandardCharsets.UTF_8), manufacturerKeys.getPrivate());
  }

  SupplyDelivery shipment(String orderId, String serial) {
    SupplyDelivery s = new SupplyDelivery();
    s.getMeta().addProfile(SD + "seed-shipment");
    s.addIdentifier().setSystem("https://seedtrace.io/fhir/sid/shipment").setValue("SHP-" + serial);
    s.addBasedOn(new Reference(orderId));
    s.setStatus(SupplyDelivery.SupplyDeliveryStatus.INPROGRESS);
    s.getSuppliedItem().setQuantity(new Quantity().setValue(1).setUnit("cartridge"));
    s.getSuppliedItem().setItem(new Reference().setIdentifier(new org.hl7.fhir.r4.model.Identifier()
        .setSystem("https://seedtrace.io/fhir/sid/cartridge-serial").setValue(serial)).setDisplay("cartridge " + serial));
    s.setOccurrence(new DateTimeType(new Date()));
    s.setSupplier(new Reference(manufacturerId));
    s.setDestination(new Reference(locationId));
    return s;
  }

  /** A SeedImplantProcedure at this hospital's lab: patient, cartridge, accession, seeds loaded. */
  public org.hl7.fhir.r4.model.Procedure implant(String patientId, String deviceId, String accession, int seedsLoaded,
      Date performed) {
    org.hl7.fhir.r4.model.Procedure implant = new org.hl7.fhir.r4.model.Procedure();
    implant.getMeta().addProfile(SD + "seed-implant-procedure");
    implant.addExtension(SD + "seeds-loaded", new org.hl7.fhir.r4.model.PositiveIntType(seedsLoaded));
    implant.addIdentifier().setSystem("https://seedtrace.io/fhir/sid/accession").setValue(accession)
        .getType().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/v2-0203").setCode("ACSN");
    implant.setStatus(org.hl7.fhir.r4.model.Procedure.ProcedureStatus.COMPLETED);
    implant.getCode().addCoding().setSystem("http://snomed.info/sct").setCode("169359004")
        .setDisplay("Internal radiotherapy - permanent seeds");
    implant.setSubject(new Reference(patientId));
    implant.setPerformed(new DateTimeType(performed));
    implant.addPerformer().getActor().setDisplay("Dr. Example");
    implant.setLocation(new Reference(locationId));
    implant.addFocalDevice().setManipulated(new Reference(deviceId)).getAction().setText("seeds loaded from cartridge");
    return implant;
  }

  static String id(org.hl7.fhir.instance.model.api.IIdType id) {
    return id.toUnqualifiedVersionless().getValue();
  }

}
