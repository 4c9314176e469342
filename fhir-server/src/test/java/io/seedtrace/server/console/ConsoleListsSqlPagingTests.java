package io.seedtrace.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.IPreResourceAccessDetails;
import io.seedtrace.server.alerts.Alerts;
import io.seedtrace.server.console.alarms.AlarmInbox;
import io.seedtrace.server.console.alarms.AlarmRow;
import io.seedtrace.server.console.cartridge.CartridgeList;
import io.seedtrace.server.custody.CustodyCodes;
import io.seedtrace.server.store.FhirStore;
import io.seedtrace.server.support.ConsoleBrowser;
import io.seedtrace.server.support.ServerTestBase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Device;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The cartridge list and the alarm inbox page in SQL: a page reads the page's resources and no
 * more, however deep it is and however many match (counted with a storage hook on the resources
 * the store hands out), and the pages hold exactly the rows at their places. Each database path
 * (H2, PostgreSQL) runs the same tests through a subclass.
 */
abstract class ConsoleListsSqlPagingTests extends ServerTestBase {

  @Autowired
  FhirStore store;
  @Autowired
  CartridgeList cartridges;
  @Autowired
  AlarmInbox alarms;
  @Autowired
  IInterceptorService storage;

  private final ResourcesRead read = new ResourcesRead();

  @BeforeEach
  void countReads() {
    storage.registerInterceptor(read);
  }

  @AfterEach
  void stopCounting() {
    storage.unregisterInterceptor(read);
  }

  @Test
  void aCartridgePageReadsOnlyItsOwnCartridges() {
    String run = Long.toString(System.nanoTime(), 36);
    List<String> newestFirst = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      newestFirst.add(0, store.create(cartridge("SQL-" + run + "-" + i)).getId().getIdPart());
    }
    for (int offset : List.of(0, 25, 50)) {
      CartridgeList.Page page = read.during(() -> cartridges.page(null, null, null, offset, 25));
      // the store may hold other tests' older cartridges after this test's 60 (newest first)
      List<String> ids = page.rows().stream().map(CartridgeList.Row::id).toList();
      List<String> own = newestFirst.subList(offset, Math.min(60, offset + 25));
      assertThat(ids.subList(0, Math.min(ids.size(), own.size()))).as("offset " + offset).isEqualTo(own);
      assertThat(page.total()).isGreaterThanOrEqualTo(60);
      assertThat(read.count("Device")).as("Devices read for the page at " + offset).isEqualTo(page.rows().size());
    }
    CartridgeList.Page one = read.during(() -> cartridges.page("SQL-" + run + "-7", "active", null, 0, 25));
    assertThat(one.rows()).extracting(CartridgeList.Row::id).containsExactly(newestFirst.get(52));
    assertThat(one.total()).isEqualTo(1);
    assertThat(one.nextOffset()).isEqualTo(-1);
    assertThat(read.count("Device")).isEqualTo(1);
    assertThat(cartridges.page("SQL-" + run + "-7", "inactive", null, 0, 25).total()).isZero();

    // admin: the other development users are not there with the postgres profile
    ConsoleBrowser admin = new ConsoleBrowser(baseUrl());
    admin.signIn("admin", "admin");
    String html = admin.get("/console/cartridges?offset=25").body();
    assertThat(html).contains("SQL-" + run + "-34<", "SQL-" + run + "-10<").doesNotContain("SQL-" + run + "-35<");
    assertThat(html).containsPattern("26</span> to <span>50</span> of\\s*<span id=\"cartridge-total\">\\d+</span>");
  }

  /**
   * Each cartridge is listed under the latest custody stage it reached (worked out in SQL from its
   * SeedCounts and implant), and the stage stays in the paging links.
   */
  @Test
  void theCartridgeListFiltersByCustodyStage() {
    String run = Long.toString(System.nanoTime(), 36);
    String patient = "Patient/" + store.create(new org.hl7.fhir.r4.model.Patient()).getId().getIdPart();
    List<String> steps = List.of("seed-count-shipped", "seed-count-removed", "implant", "seed-count-remaining",
        "seed-count-imaged");
    for (int reached = 0; reached < CartridgeList.STAGES.size(); reached++) {
      String device = "Device/" + store.create(cartridge("STAGE-" + run + "-" + reached)).getId().getIdPart();
      for (String step : steps.subList(0, reached + 1)) {
        store.create(step.equals("implant") ? implant(device, patient) : count(step, device));
      }
    }
    for (int reached = 0; reached < CartridgeList.STAGES.size(); reached++) {
      for (String stage : CartridgeList.STAGES) {
        CartridgeList.Page page = cartridges.page("STAGE-" + run + "-" + reached, null, stage, 0, 25);
        assertThat(page.total()).as("cartridge at step " + reached + " listed as " + stage)
            .isEqualTo(stage.equals(CartridgeList.STAGES.get(reached)) ? 1 : 0);
      }
      String expected = CartridgeList.STAGES.get(reached);
      assertThat(cartridges.page("STAGE-" + run + "-" + reached, null, null, 0, 25).rows()).singleElement()
          .satisfies(r -> assertThat(r.stage()).isEqualTo(expected));
    }

    for (int i = 0; i < 27; i++) {
      String device = "Device/" + store.create(cartridge("SEALED-" + run + "-" + i)).getId().getIdPart();
      steps.stream().filter(s -> !s.equals("seed-count-imaged"))
          .forEach(step -> store.create(step.equals("implant") ? implant(device, patient) : count(step, device)));
    }
    // admin: the other development users are not there with the postgres profile
    ConsoleBrowser admin = new ConsoleBrowser(baseUrl());
    admin.signIn("admin", "admin");
    String first = admin.get("/console/cartridges?stage=sealed").body();
    assertThat(first).contains("<option value=\"sealed\" selected=\"selected\">sealed</option>");
    assertThat(first.split("<td>sealed</td>", -1)).as("25 sealed rows").hasSize(26);
    assertThat(first).doesNotContain("<td>verified</td>", "<td>implanted</td>");
    java.util.regex.Matcher next = java.util.regex.Pattern.compile("href=\"([^\"]*)\">Next page").matcher(first);
    assertThat(next.find()).isTrue();
    String link = next.group(1).replace("&amp;", "&");
    assertThat(link).contains("stage=sealed", "offset=25");
    String second = admin.get(link).body();
    assertThat(second).contains("SEALED-" + run + "-1<", "SEALED-" + run + "-0<").doesNotContain("<td>verified</td>");
    assertThat(admin.get("/console/cartridges?stage=lost").status()).isEqualTo(400);
  }

  /**
   * Acknowledged low alarms dated 1901, so they are the last of their list and push no other
   * test's alarm off a first page; read from the end of the list.
   */
  @Test
  void anAlarmPageReadsOnlyItsOwnAlarms() {
    String run = Long.toString(System.nanoTime(), 36);
    List<String> newestFirst = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      DetectedIssue alarm = Alerts.alert("count-mismatch", DetectedIssue.DetectedIssueSeverity.LOW,
          "paging-" + run + "-" + i, List.of());
      alarm.setIdentified(new DateTimeType("1901-01-01T10:" + String.format("%02d", i) + ":00Z"));
      alarm.getMeta().addTag(AlarmInbox.TAG_SYSTEM, AlarmInbox.ACKNOWLEDGED, "acknowledged");
      newestFirst.add(0, store.create(alarm).getId().getIdPart());
    }
    long total = alarms.page(false, "low", 0, 25).total();
    assertThat(total).isGreaterThanOrEqualTo(40);
    for (int fromEnd : List.of(40, 15)) {
      int offset = (int) total - fromEnd;
      AlarmInbox.Page page = read.during(() -> alarms.page(false, "low", offset, 25));
      assertThat(page.rows().stream().map(AlarmRow::id).toList()).as("offset " + offset)
          .isEqualTo(newestFirst.subList(40 - fromEnd, Math.min(40, 40 - fromEnd + 25)));
      assertThat(read.count("DetectedIssue")).as("alarms read for the page at " + offset)
          .isEqualTo(page.rows().size());
      assertThat(page.nextOffset()).isEqualTo(fromEnd > 25 ? offset + 25 : -1);
    }
    assertThat(alarms.page(true, "low", 0, 25).rows()).extracting(AlarmRow::id)
        .doesNotContainAnyElementsOf(newestFirst);
  }

  private static Device cartridge(String serial) {
    Device cartridge = new Device();
    cartridge.setType(CustodyCodes.concept("seed-cartridge"));
    cartridge.addIdentifier().setSystem(CustodyCodes.SID_SERIAL).setValue(serial);
    cartridge.setSerialNumber(serial);
    cartridge.setStatus(Device.FHIRDeviceStatus.ACTIVE);
    cartridge.addProperty().setType(CustodyCodes.concept("seed-count")).addValueQuantity(CustodyCodes.seeds(20));
    return cartridge;
  }

  private static org.hl7.fhir.r4.model.Observation count(String code, String device) {
    org.hl7.fhir.r4.model.Observation count = new org.hl7.fhir.r4.model.Observation();
    count.setStatus(org.hl7.fhir.r4.model.Observation.ObservationStatus.FINAL);
    count.setCode(CustodyCodes.concept(code));
    count.setDevice(new org.hl7.fhir.r4.model.Reference(device));
    count.setValue(CustodyCodes.seeds(20));
    return count;
  }

  private static org.hl7.fhir.r4.model.Procedure implant(String device, String patient) {
    org.hl7.fhir.r4.model.Procedure implant = new org.hl7.fhir.r4.model.Procedure();
    implant.setStatus(org.hl7.fhir.r4.model.Procedure.ProcedureStatus.COMPLETED);
    implant.setSubject(new org.hl7.fhir.r4.model.Reference(patient));
    implant.setCode(new org.hl7.fhir.r4.model.CodeableConcept(new org.hl7.fhir.r4.model.Coding("http://snomed.info/sct",
        "169359004", "Internal radiotherapy - permanent seeds")));
    implant.addFocalDevice().setManipulated(new org.hl7.fhir.r4.model.Reference(device));
    return implant;
  }

  /** Counts, by type, the resources the store hands out on the test's own thread. */
  public static final class ResourcesRead {
    private final Map<String, Integer> counts = new HashMap<>();
    private volatile Thread counting;

    @Hook(Pointcut.STORAGE_PREACCESS_RESOURCES)
    public void accessed(IPreResourceAccessDetails details) {
      if (Thread.currentThread() != counting) {
        return;
      }
      for (int i = 0; i < details.size(); i++) {
        counts.merge(details.getResource(i).fhirType(), 1, Integer::sum);
      }
    }

    <T> T during(Supplier<T> work) {
      counts.clear();
      counting = Thread.currentThread();
      try {
        return work.get();
      } finally {
        counting = null;
      }
    }

    int count(String type) {
      return counts.getOrDefault(type, 0);
    }
  }
}
