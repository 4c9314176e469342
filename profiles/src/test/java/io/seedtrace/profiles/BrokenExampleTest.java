package io.seedtrace.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One broken variant per profile (more where a profile carries a rule of its own): each must be
 * refused with an error that names the broken element or rule, so a client knows what to fix.
 */
class BrokenExampleTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static Arguments broken(String example, String what, Consumer<ObjectNode> breakIt, String named) {
    return Arguments.of(example, what, breakIt, named);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        broken("DeviceDefinition-seed-product-example.json", "no model number",
            r -> r.remove("modelNumber"), "modelNumber"),
        broken("DeviceDefinition-seed-product-example.json", "not a seed product type",
            r -> ((ObjectNode) r.at("/type/coding/0")).put("code", "303490004"), "DeviceDefinition.type"),
        broken("Device-seed-cartridge-example.json", "no lot number",
            r -> r.remove("lotNumber"), "lotNumber"),
        broken("Device-seed-cartridge-example.json", "negative seed count",
            r -> ((ObjectNode) r.at("/property/0/valueQuantity/0")).put("value", -1), "st-cart-2"),
        broken("Device-seed-cartridge-example.json", "no calibration time",
            r -> ((com.fasterxml.jackson.databind.node.ArrayNode) r.get("extension")).remove(0), "calibrationTime"),
        broken("SupplyRequest-seed-order-example.json", "fractional seed quantity",
            r -> ((ObjectNode) r.get("quantity")).put("value", 2.5), "st-ord-1"),
        broken("SupplyRequest-seed-order-example.json", "the item a reference to a DeviceDefinition (R4 allows Device, Medication, Substance)",
            r -> {
              r.remove("itemCodeableConcept");
              r.putObject("itemReference").put("reference", "DeviceDefinition/seed-product-example");
            }, "SupplyRequest.item"),
        broken("SupplyRequest-seed-order-example.json", "an item that is not a seed product type",
            r -> ((ObjectNode) r.at("/itemCodeableConcept/coding/0")).put("code", "303490004"), "SupplyRequest.item"),
        broken("SupplyRequest-seed-order-example.json", "no delivery location",
            r -> r.remove("deliverTo"), "deliverTo"),
        broken("SupplyDelivery-seed-shipment-example.json", "no destination",
            r -> r.remove("destination"), "destination"),
        broken("Procedure-seed-implant-procedure-example.json", "not a permanent seed implant",
            r -> ((ObjectNode) r.at("/code/coding/0")).put("code", "394902000"), "Procedure.code"),
        broken("Procedure-seed-implant-procedure-example.json", "no accession number",
            r -> ((ObjectNode) r.at("/identifier/0/type/coding/0")).put("code", "MR"), "st-proc-1"),
        broken("Observation-seed-count-imaged-example.json", "unknown count kind",
            r -> ((ObjectNode) r.at("/code/coding/0")).put("code", "seed-count-lost"), "Observation.code"),
        broken("Observation-seed-count-imaged-example.json", "negative count",
            r -> ((ObjectNode) r.get("valueQuantity")).put("value", -3), "st-cnt-2"),
        broken("Observation-seed-count-shipped-example.json", "wrong unit",
            r -> ((ObjectNode) r.get("valueQuantity")).put("code", "mg"), "code"),
        broken("Observation-seed-position-verification-example.json", "score above 1",
            r -> ((ObjectNode) r.at("/component/0/valueQuantity")).put("value", 1.5), "st-pos-1"),
        broken("Observation-seed-position-verification-example.json", "no missing-seed count",
            r -> ((com.fasterxml.jackson.databind.node.ArrayNode) r.get("component")).remove(2), "missingSeeds"),
        broken("DiagnosticReport-seed-verification-report-example.json", "no conclusion",
            r -> r.remove("conclusion"), "conclusion"),
        broken("DetectedIssue-seed-alert-example.json", "unknown alert kind",
            r -> ((ObjectNode) r.at("/code/coding/0")).put("code", "coffee-spilled"), "DetectedIssue.code"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("cases")
  void brokenVariantIsRefusedNamingWhatIsWrong(String example, String what, Consumer<ObjectNode> breakIt,
      String named) throws Exception {
    ObjectNode json = (ObjectNode) JSON.readTree(PackageFiles.text(PackageFiles.ROOT + "example/" + example));
    IBaseResource original = ProfilePackageTest.FHIR.newJsonParser().parseResource(json.toString());
    assertThat(ProfilePackageTest.errors(validator().validateWithResult(original))).as("control: the example is valid").isEmpty();

    breakIt.accept(json);
    IBaseResource broken = ProfilePackageTest.FHIR.newJsonParser().parseResource(json.toString());
    List<String> errors = ProfilePackageTest.errors(validator().validateWithResult(broken));

    assertThat(errors).as(what).isNotEmpty();
    assertThat(errors).as(what).anySatisfy(e -> assertThat(e).contains(named));
  }

  private static ca.uhn.fhir.validation.FhirValidator validator() {
    if (ProfilePackageTest.validator == null) {
      ProfilePackageTest.validator();
    }
    return ProfilePackageTest.validator;
  }
}
