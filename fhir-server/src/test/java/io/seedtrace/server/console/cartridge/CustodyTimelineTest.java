package io.seedtrace.server.console.cartridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.seedtrace.server.custody.CustodyCodes;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.SupplyRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

class CustodyTimelineTest {

  private static final Instant CALIBRATED = Instant.parse("2026-11-01T00:00:00Z");

  private static Device cartridge() {
    Device d = new Device();
    d.setId("Device/7");
    d.getMeta().addProfile(CustodyCodes.PROFILE_CARTRIDGE);
    d.setSerialNumber("CART-7");
    d.addProperty().setType(CustodyCodes.concept("seed-count")).addValueQuantity(CustodyCodes.seeds(20));
    d.addProperty().setType(CustodyCodes.concept("total-activity")).addValueQuantity(new Quantity(296).setUnit("MBq"));
    d.addExtension(CustodyCodes.EXT_CALIBRATION, new DateTimeType(Date.from(CALIBRATED)));
    return d;
  }

  private static Observation count(String id, String kind, int seeds, Instant when) {
    Observation o = new Observation();
    o.setId(id);
    o.setStatus(Observation.ObservationStatus.FINAL);
    o.setCode(CustodyCodes.concept(kind));
    o.setEffective(new DateTimeType(Date.from(when)));
    o.setValue(CustodyCodes.seeds(seeds));
    return o;
  }

  private static Bundle chain(Resource... resources) {
    Bundle b = new Bundle().setType(Bundle.BundleType.COLLECTION);
    for (Resource r : resources) {
      b.addEntry().setResource(r);
    }
    return b;
  }

  @Test
  void stepsFollowTheCustodyOrderEvenWhenClocksDisagreeAndActivityIsDecayedToNow() {
    SupplyRequest order = new SupplyRequest();
    order.setId("SupplyRequest/1");
    order.setAuthoredOn(Date.from(CALIBRATED.plus(Duration.ofDays(3)))); // after the seal, by a wrong clock
    order.getQuantity().setValue(20);
    Observation sealed = count("Observation/3", "seed-count-remaining", 2, CALIBRATED.plus(Duration.ofDays(2)));
    Observation received = count("Observation/1", "seed-count-shipped", 20, CALIBRATED.plus(Duration.ofDays(1)));
    Provenance byNurse = new Provenance();
    byNurse.addTarget(new Reference("Observation/3"));
    byNurse.addAgent().getWho().setDisplay("nurse-on-ward");

    CartridgeView view = CustodyTimeline.of(chain(sealed, cartridge(), byNurse, received, order),
        CALIBRATED.plus(Duration.ofSeconds(Math.round(59.4 * 86400))));

    assertThat(view.timeline()).extracting(CartridgeView.Step::what)
        .containsExactly("Ordered", "Received: chip read (L0)", "Sealed: seeds remaining (L2)");
    assertThat(view.timeline().get(2).who()).isEqualTo("nurse-on-ward");
    assertThat(view.timeline().get(1).who()).as("no Provenance: not known").isNull();
    // one half-life after calibration: 14.8 MBq per seed became 7.4
    assertThat(view.seedActivityNowMbq()).isCloseTo(7.4, offset(1e-6));
    assertThat(view.timeline().get(2).activityNow()).isEqualTo("14.8 MBq now");
    assertThat(view.storage().decision()).isEqualTo("not assembled yet");
    assertThat(view.traced()).isFalse();
  }

  @Test
  void theStorageDecisionIsTheReturnTaskWhenThereIsOneElseRetentionOrNothingRemoved() {
    Observation removed = count("Observation/2", "seed-count-removed", 2, CALIBRATED);
    removed.addNote(new Annotation().setText("2 surplus. return to manufacturer: no history"));
    Task task = new Task();
    task.setId("Task/9");
    task.setStatus(Task.TaskStatus.REQUESTED);
    assertThat(CustodyTimeline.of(chain(cartridge(), removed, task), CALIBRATED).storage())
        .isEqualTo(new CartridgeView.Storage("return to manufacturer", 2, "2 surplus. return to manufacturer: no history",
            "Task/9"));
    assertThat(CustodyTimeline.of(chain(cartridge(), removed), CALIBRATED).storage().decision())
        .isEqualTo("retain at hospital");
    assertThat(CustodyTimeline.of(chain(cartridge(), count("Observation/4", "seed-count-removed", 0, CALIBRATED)),
        CALIBRATED).storage().decision()).isEqualTo("none removed");
  }
}
