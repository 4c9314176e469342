package io.seedtrace.server.console.alarms;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.server.alerts.Alerts;
import io.seedtrace.server.store.FhirStore;
import io.seedtrace.server.support.ConsoleBrowser;
import io.seedtrace.server.support.ServerTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The alarm inbox filtered by severity over real HTTP: the page lists only alarms of that severity,
 * newest first, and an alarm escalated to high moves from its old severity to high; without the
 * filter the inbox lists the most severe first, newest first within a severity. The alarms are
 * dated in 2099 so they come first whatever other tests raised.
 */
class AlarmInboxSeverityIT extends ServerTestBase {

  private static final Pattern ROW = Pattern.compile("<tr>.*?class=\"severity-([a-z]+)\".*?alarm-(\\d+-[a-z0-9]+)", Pattern.DOTALL);

  @Autowired
  FhirStore store;
  @Autowired
  AlarmInbox inbox;

  @Test
  void theInboxListsOnlyTheAlarmsOfTheChosenSeverity() {
    String run = Long.toString(System.nanoTime(), 36);
    Map<String, DetectedIssue.DetectedIssueSeverity> severities = Map.of("high", DetectedIssue.DetectedIssueSeverity.HIGH,
        "moderate", DetectedIssue.DetectedIssueSeverity.MODERATE, "low", DetectedIssue.DetectedIssueSeverity.LOW);
    List<String> moderateIds = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      String severity = List.of("high", "moderate", "low").get(i % 3);
      DetectedIssue alarm = Alerts.alert("count-mismatch", severities.get(severity),
          "alarm-" + i + "-" + run + " " + severity, List.of());
      alarm.setIdentified(new DateTimeType("2099-05-" + String.format("%02d", 1 + i) + "T10:00:00Z"));
      String id = store.create(alarm).getId().getIdPart();
      if (severity.equals("moderate")) {
        moderateIds.add(0, id);
      }
    }
    ConsoleBrowser physician = new ConsoleBrowser(baseUrl());
    physician.signIn("physician", "physician");
    for (String severity : List.of("high", "moderate", "low")) {
      ConsoleBrowser.Page page = physician.get("/console/alarms?severity=" + severity);
      assertThat(page.status()).isEqualTo(200);
      List<String[]> rows = rows(page.body(), run);
      assertThat(rows).as(severity).hasSize(3);
      assertThat(rows).as(severity).allSatisfy(r -> assertThat(r[0]).isEqualTo(severity));
      assertThat(page.body()).doesNotContain(List.of("high", "moderate", "low").stream()
          .filter(s -> !s.equals(severity)).map(s -> "class=\"severity-" + s + "\"").toList().toArray(String[]::new));
    }
    List<String[]> moderate = rows(physician.get("/console/alarms?severity=moderate").body(), run);
    assertThat(moderate.stream().map(r -> r[1]).toList()).containsExactly("7-" + run, "4-" + run, "1-" + run);
    assertThat(physician.get("/console/alarms?severity=urgent").status()).isEqualTo(400);

    // every severity: most severe first, newest first within a severity
    List<String> order = inbox.page(true, null, 0, 5_000).rows().stream().map(AlarmRow::detail)
        .filter(d -> d != null && d.contains(run)).map(d -> d.replaceFirst("^alarm-(\\d+)-.*$", "$1")).toList();
    assertThat(order).containsExactly("6", "3", "0", "7", "4", "1", "8", "5", "2");
    ConsoleBrowser.Page all = physician.get("/console/alarms");
    assertThat(all.body()).contains("Most severe first (high, then moderate, then low)");
    List<Integer> ranks = new ArrayList<>();
    Matcher severity = Pattern.compile("class=\"severity-([a-z]+)\"").matcher(all.body());
    while (severity.find()) {
      ranks.add(AlarmInbox.SEVERITIES.indexOf(severity.group(1)));
    }
    assertThat(ranks).isNotEmpty().isSorted();

    String csrf = ConsoleBrowser.csrf(physician.get("/console/alarms?severity=moderate"));
    assertThat(physician.post("/console/alarms/" + moderateIds.get(0) + "/escalate",
        Map.of("comment", "seed outside the prostate", "_csrf", csrf), Map.of()).status()).isEqualTo(302);
    assertThat(rows(physician.get("/console/alarms?severity=moderate").body(), run)).hasSize(2);
    assertThat(rows(physician.get("/console/alarms?severity=high").body(), run)).hasSize(4);
  }

  /** The rows of this run's alarms: severity and "number-run" from their detail text. */
  private static List<String[]> rows(String html, String run) {
    List<String[]> rows = new ArrayList<>();
    String body = html.replaceAll("(?s).*<tbody>(.*?)</tbody>.*", "$1");
    for (String tr : body.split("<tr>")) {
      Matcher m = ROW.matcher("<tr>" + tr);
      if (m.find() && m.group(2).endsWith(run)) {
        rows.add(new String[] {m.group(1), m.group(2)});
      }
    }
    return rows;
  }
}
