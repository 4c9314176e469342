package io.seedtrace.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.seedtrace.server.console.alarms.AlarmInbox;
import io.seedtrace.server.console.report.SignedReportAtEhr;
import io.seedtrace.server.alerts.Alerts;
import io.seedtrace.server.custody.CustodyChainSteps;
import io.seedtrace.server.store.FhirStore;
import io.seedtrace.server.dicom.DicomNodeService;
import io.seedtrace.server.support.ConsoleBrowser;
import io.seedtrace.server.support.MissingSeedVerification;
import io.seedtrace.server.support.ServerTestBase;
import io.seedtrace.server.verification.SeedFigures;
import io.seedtrace.server.verification.VerificationResults;
import io.seedtrace.server.verification.VerificationTables;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 16 over real HTTP: people sign in to the console at {@code /} by OpenID Connect against the
 * embedded issuer (authorization code, PKCE S256, state, nonce), every page and action is
 * role-checked, forms need the CSRF token and the own origin, the report page shows the numbers of
 * a verification made in the test from a generated CT, a physicist signs it off, a physician
 * acknowledges its alarm, and the implant list pages through more implants than one page holds.
 */
class PeopleConsoleIT extends ServerTestBase {

  private final Map<String, IGenericClient> clients = new HashMap<>();

  @Autowired
  DicomNodeService dicom;

  @Autowired
  VerificationTables verifications;

  @Autowired
  FhirStore store;

  @Autowired
  javax.sql.DataSource dataSource;

  IGenericClient as(String role) {
    return clients.computeIfAbsent(role, this::fhirAs);
  }

  private static Map<String, String> query(String url) {
    return Arrays.stream(URI.create(url).getRawQuery().split("&")).map(p -> p.split("=", 2))
        .collect(Collectors.toMap(p -> p[0], p -> p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : ""));
  }

  @Test
  void anUnauthenticatedPersonIsSentToSignInByAnAuthorizationRequestWithPkce() {
    ConsoleBrowser browser = new ConsoleBrowser(baseUrl());
    ConsoleBrowser.Page start = browser.get("/console/implants");
    assertThat(start.status()).isEqualTo(302);
    assertThat(start.location()).endsWith("/oauth2/authorization/seedtrace");
    ConsoleBrowser.Page authorize = browser.get(start.location());
    assertThat(authorize.location()).startsWith(baseUrl() + "/oauth2/authorize?");
    Map<String, String> request = query(authorize.location());
    assertThat(request).containsEntry("response_type", "code").containsEntry("client_id", "seedtrace-console")
        .containsEntry("code_challenge_method", "S256").containsEntry("redirect_uri", baseUrl() + "/login/oauth2/code/seedtrace")
        .containsKeys("code_challenge", "state", "nonce");
    assertThat(request.get("scope")).contains("openid");
    ConsoleBrowser.Page atIssuer = browser.get(authorize.location());
    assertThat(atIssuer.location()).isEqualTo(baseUrl() + "/login");
    assertThat(browser.follow(atIssuer).body()).contains("name=\"username\"");
  }

  @Test
  void aSignedInNurseSeesTheStartPageWithHerRole() {
    ConsoleBrowser nurse = new ConsoleBrowser(baseUrl());
    ConsoleBrowser.Page start = nurse.signIn("nurse", "nurse");
    assertThat(start.status()).as("steps: %s", nurse.visited).isEqualTo(200);
    assertThat(start.url()).matches(java.util.regex.Pattern.quote(baseUrl()) + "/(\\?continue)?");
    assertThat(start.body()).contains("Signed in as <strong>nurse</strong>", "Implants and verifications", "Alarm inbox");
    assertThat(nurse.visited).anyMatch(u -> u.startsWith(baseUrl() + "/login/oauth2/code/seedtrace?code="));
    ConsoleBrowser stranger = new ConsoleBrowser(baseUrl());
    assertThat(stranger.signIn("nurse", "wrong").url()).as("a wrong password stays at the form").contains("/login");
  }

  @Test
  void theIssuerRefusesAnAuthorizationRequestWithoutPkceOrWithAnotherRedirect() {
    ConsoleBrowser browser = new ConsoleBrowser(baseUrl());
    browser.signIn("physician", "physician");
    String redirect = baseUrl() + "/login/oauth2/code/seedtrace";
    ConsoleBrowser.Page noPkce = browser.get("/oauth2/authorize?response_type=code&client_id=seedtrace-console"
        + "&scope=openid&state=s1&redirect_uri=" + redirect);
    assertThat(noPkce.location()).as("answered with an error, no code").contains("error=invalid_request")
        .doesNotContain("code=");
    ConsoleBrowser.Page plain = browser.get("/oauth2/authorize?response_type=code&client_id=seedtrace-console"
        + "&scope=openid&state=s2&code_challenge=abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq&code_challenge_method=plain"
        + "&redirect_uri=" + redirect);
    assertThat(plain.location()).contains("error=invalid_request").doesNotContain("code=");
    ConsoleBrowser.Page elsewhere = browser.get("/oauth2/authorize?response_type=code&client_id=seedtrace-console"
        + "&scope=openid&state=s3&code_challenge=abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq&code_challenge_method=S256"
        + "&redirect_uri=http://evil.example/cb");
    assertThat(elsewhere.status()).isEqualTo(400);
    assertThat(elsewhere.location()).isNull();
  }

  @Test
  void theFormSignInAloneOpensNoConsolePage() {
    ConsoleBrowser browser = new ConsoleBrowser(baseUrl());
    ConsoleBrowser.Page form = browser.open("/login");
    browser.post("/login", Map.of("username", "physicist", "password", "physicist", "_csrf", ConsoleBrowser.csrf(form)),
        Map.of());
    // signed in at the issuer, but the console still wants its ID token: the code flow runs
    ConsoleBrowser.Page page = browser.get("/console/alarms");
    assertThat(page.status()).isEqualTo(302);
    assertThat(page.location()).endsWith("/oauth2/authorization/seedtrace");
  }

  private DiagnosticReport verificationWithAMissingSeed() throws Exception {
    return MissingSeedVerification.run(this::as, dicom.port(), EHR);
  }

  @Test
  void theReportShowsTheCountsAPhysicistSignsItOffAndAPhysicianAcknowledgesItsAlarm() throws Exception {
    DiagnosticReport stored = verificationWithAMissingSeed();
    String id = stored.getIdElement().getIdPart();
    String reportPath = "/console/reports/" + id;

    ConsoleBrowser physicist = new ConsoleBrowser(baseUrl());
    physicist.signIn("physicist", "physicist");
    ConsoleBrowser.Page report = physicist.get(reportPath);
    assertThat(report.status()).isEqualTo(200);
    assertThat(report.body()).contains("L0 shipped</th><td class=\"num\">20<", "L1 imaged</th><td class=\"num\">17<",
        "L2 remaining</th><td class=\"num\">0<", "L3 removed</th><td class=\"num\">2<",
        "id=\"unaccounted\">1<", "id=\"missing\">1<", "<svg", "1 seed unaccounted for (hatched)", "count-mismatch",
        "id=\"sign-off\"");
    theReportDrawsTheSeedsOnTheCtAndListsTheirDisplacements(physicist, reportPath);
    theReportIsPrintedForTheEhrAndForDownload(stored, physicist, reportPath);

    ConsoleBrowser nurse = new ConsoleBrowser(baseUrl());
    nurse.signIn("nurse", "nurse");
    ConsoleBrowser.Page nurseView = nurse.get(reportPath);
    assertThat(nurseView.status()).isEqualTo(200);
    assertThat(nurseView.body()).doesNotContain("id=\"sign-off\"");
    ConsoleBrowser.Page nurseSignOff = nurse.post(reportPath + "/sign-off", Map.of("_csrf", ConsoleBrowser.csrf(nurseView)),
        Map.of());
    assertThat(nurseSignOff.status()).isEqualTo(403);
    assertThat(nurseSignOff.body()).contains("Only the role physicist may sign off");

    String token = ConsoleBrowser.csrf(report);
    assertThat(physicist.post(reportPath + "/sign-off", Map.of(), Map.of()).status()).as("no CSRF token").isEqualTo(403);
    assertThat(physicist.post(reportPath + "/sign-off", Map.of("_csrf", token), Map.of("Origin", "http://evil.example"))
        .status()).as("another origin").isEqualTo(403);
    assertThat(as("admin").read().resource(DiagnosticReport.class).withId(id).execute().hasResultsInterpreter()).isFalse();

    ConsoleBrowser.Page signed = physicist.post(reportPath + "/sign-off", Map.of("_csrf", token),
        Map.of("Origin", baseUrl()));
    assertThat(signed.status()).isEqualTo(302);
    assertThat(physicist.follow(signed).body()).contains("Signed off.", "physicist (physicist)");
    DiagnosticReport after = as("admin").read().resource(DiagnosticReport.class).withId(id).execute();
    assertThat(after.getResultsInterpreterFirstRep().getIdentifier().getValue()).isEqualTo("physicist");
    assertThat(auditEvents("report-sign-off")).anyMatch(e -> e.getEntityFirstRep().getWhat().getReference()
        .endsWith("DiagnosticReport/" + id));
    assertThat(physicist.post(reportPath + "/sign-off", Map.of("_csrf", token), Map.of()).status())
        .as("signed off once").isEqualTo(409);
    theSignedReportIsPrintedAgainWithWhoSignedAndWhen(after, physicist, reportPath);
    theEhrGetsTheSignedReportInPlaceOfTheUnsignedOne(after);

    acknowledgeTheAlarmOf(id, nurse);
    theReportSaysSoWhenTheCtHasLeftTheSpool(physicist, reportPath, stored);
  }

  /**
   * 18 planned, 17 found: the page lists 18 planned seeds, 17 matched and one missing with an
   * alarm; the three projections are PNGs with the matched (blue circles) and the missing (red
   * crossed square) marks drawn, and no extra (orange triangle) one; a role that may not read
   * reports gets neither the page nor the pictures.
   */
  private void theReportDrawsTheSeedsOnTheCtAndListsTheirDisplacements(ConsoleBrowser physicist, String reportPath)
      throws IOException {
    String page = physicist.get(reportPath).body();
    assertThat(page).contains("id=\"legend\"", "id=\"projection-axial\"", "id=\"projection-coronal\"",
        "id=\"projection-sagittal\"", "id=\"displacements\"", "id=\"count-range\"");
    String table = page.substring(page.indexOf("id=\"displacements\""), page.indexOf("</table>", page.indexOf("id=\"displacements\"")));
    assertThat(table.split("<td>matched</td>", -1)).hasSize(18);
    assertThat(table.split("<td>missing</td>", -1)).hasSize(2);
    assertThat(table).doesNotContain("<td>extra</td>");
    assertThat(table).containsPattern("<td>missing</td>\\s*<td>ALARM</td>");
    assertThat(page).containsPattern("Count (certain: 17 seeds|uncertain: between \\d+ and \\d+)");

    for (String plane : List.of("axial", "coronal", "sagittal")) {
      ConsoleBrowser.Image png = physicist.image(reportPath + "/projections/" + plane + ".png");
      assertThat(png.status()).as(plane).isEqualTo(200);
      assertThat(png.contentType()).isEqualTo("image/png");
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.bytes()));
      assertThat(Math.max(image.getWidth(), image.getHeight())).isEqualTo(420);
      assertThat(pixelsOf(image, 0x0b61a4)).as(plane + ": matched marks").isGreaterThan(17 * 4);
      assertThat(pixelsOf(image, 0xd7191c)).as(plane + ": the missing mark").isGreaterThan(8);
      assertThat(pixelsOf(image, 0xf48c06)).as(plane + ": no extra seed").isZero();
    }
    assertThat(physicist.image(reportPath + "/projections/oblique.png").status()).isEqualTo(400);

    ConsoleBrowser maker = new ConsoleBrowser(baseUrl());
    maker.signIn("maker", "maker");
    ConsoleBrowser.Page refused = maker.get(reportPath);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body()).contains("Your role may not read DiagnosticReport");
    assertThat(maker.image(reportPath + "/projections/axial.png").status()).isEqualTo(403);
  }

  /**
   * The report the EHR received carries a PDF of one or two pages as its presentedForm, naming the
   * patient and showing the counts, the alarm and that no one has signed it off yet; the report page
   * links the same PDF for download, and a role that may not read reports cannot download it.
   */
  private void theReportIsPrintedForTheEhrAndForDownload(DiagnosticReport stored, ConsoleBrowser physicist,
      String reportPath) throws IOException {
    String vid = stored.getIdentifierFirstRep().getValue();
    DiagnosticReport atEhr = EHR.created(DiagnosticReport.class).stream()
        .filter(r -> vid.equals(r.getIdentifierFirstRep().getValue())).findFirst().orElseThrow();
    assertThat(atEhr.getPresentedForm()).hasSize(1);
    assertThat(atEhr.getPresentedFormFirstRep().getContentType()).isEqualTo("application/pdf");
    byte[] pdf = atEhr.getPresentedFormFirstRep().getData();
    Patient patient = as("admin").read().resource(Patient.class).withId(stored.getSubject().getReference()).execute();
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      assertThat(doc.getNumberOfPages()).isBetween(1, 2);
      String text = new PDFTextStripper().getText(doc);
      assertThat(text).contains(patient.getIdentifierFirstRep().getValue(), patient.getNameFirstRep().getGivenAsSingleString(),
          "count-mismatch", "Not signed off", "ALARM");
      assertThat(text).containsPattern("L0 shipped\\s+20").containsPattern("L1 seen on the CT\\s+17")
          .containsPattern("L2 left in cartridge\\s+0").containsPattern("L3 removed\\s+2")
          .containsPattern("1 seed\\(s\\) unaccounted for");
      assertThat(doc.getPage(0).getResources().getXObjectNames()).as("the three projections").hasSize(3);
    }
    assertThat(physicist.get(reportPath).body()).contains("id=\"report-pdf\"", reportPath + "/report.pdf");
    ConsoleBrowser.Image download = physicist.image(reportPath + "/report.pdf");
    assertThat(download.status()).isEqualTo(200);
    assertThat(download.contentType()).isEqualTo("application/pdf");
    assertThat(download.bytes()).isEqualTo(pdf);
    ConsoleBrowser maker = new ConsoleBrowser(baseUrl());
    maker.signIn("maker", "maker");
    assertThat(maker.image(reportPath + "/report.pdf").status()).isEqualTo(403);
  }

  /** The PDF in the report's presentedForm, and the one the console offers, now name the signer and the time. */
  private void theSignedReportIsPrintedAgainWithWhoSignedAndWhen(DiagnosticReport after, ConsoleBrowser physicist,
      String reportPath) throws IOException {
    java.time.Instant signedAt = after.getPresentedFormFirstRep().getCreation().toInstant();
    assertThat(signedAt).isAfter(java.time.Instant.now().minusSeconds(300));
    String when = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
        .withZone(java.time.ZoneOffset.UTC).format(signedAt);
    ConsoleBrowser.Image download = physicist.image(reportPath + "/report.pdf");
    assertThat(download.status()).isEqualTo(200);
    assertThat(download.bytes()).isEqualTo(after.getPresentedFormFirstRep().getData());
    try (PDDocument doc = Loader.loadPDF(download.bytes())) {
      String text = new PDFTextStripper().getText(doc);
      assertThat(text).contains("Signed off by physicist (physicist) on " + when + ".", "count-mismatch")
          .doesNotContain("Not signed off");
      assertThat(doc.getPage(0).getResources().getXObjectNames()).as("the three projections").hasSize(3);
    }
  }

  /**
   * After the sign-off the EHR outbox delivers the signed report over HTTP: the EHR's one report
   * of this verification (no second one) now carries the signed PDF and the signer; the message is
   * queued once, and applying it again at the EHR changes nothing.
   */
  private void theEhrGetsTheSignedReportInPlaceOfTheUnsignedOne(DiagnosticReport after) throws Exception {
    String vid = after.getIdentifier().stream().filter(i -> VerificationResults.SID_VERIFICATION.equals(i.getSystem()))
        .findFirst().orElseThrow().getValue();
    byte[] signedPdf = after.getPresentedFormFirstRep().getData();
    java.util.function.Supplier<List<DiagnosticReport>> atEhr = () -> EHR.created(DiagnosticReport.class).stream()
        .filter(r -> r.getIdentifier().stream().anyMatch(i -> vid.equals(i.getValue()))).toList();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(atEhr.get().get(0).getPresentedFormFirstRep().getData()).isEqualTo(signedPdf));
    assertThat(atEhr.get()).as("the same report, not a second one").hasSize(1);
    DiagnosticReport ehrReport = atEhr.get().get(0);
    assertThat(ehrReport.getPresentedForm()).hasSize(1);
    assertThat(ehrReport.getResultsInterpreter()).singleElement()
        .satisfies(r -> assertThat(r.getDisplay()).isEqualTo("physicist (physicist)"));
    try (PDDocument doc = Loader.loadPDF(ehrReport.getPresentedFormFirstRep().getData())) {
      assertThat(new PDFTextStripper().getText(doc)).contains("Signed off by physicist (physicist)")
          .doesNotContain("Not signed off");
    }
    org.springframework.jdbc.core.JdbcTemplate jdbc = new org.springframework.jdbc.core.JdbcTemplate(dataSource);
    String key = vid + SignedReportAtEhr.KEY_SUFFIX;
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
        "SELECT status FROM st_outbox WHERE message_key = ?", String.class, key), "DELIVERED"::equals);
    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM st_outbox WHERE message_key = ?", Integer.class, key)).isEqualTo(1);

    String payload = jdbc.queryForObject("SELECT payload FROM st_outbox WHERE message_key = ?", String.class, key);
    java.net.http.HttpResponse<String> again = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(URI.create(EHR.baseUrl())).header("Authorization", "Bearer " + EHR_TOKEN)
            .header("Content-Type", "application/fhir+json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(payload))
            .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(again.statusCode()).as("the same message delivered twice").isEqualTo(200);
    assertThat(atEhr.get()).hasSize(1);
    assertThat(atEhr.get().get(0).getResultsInterpreter()).hasSize(1);
    assertThat(atEhr.get().get(0).getPresentedForm()).singleElement()
        .satisfies(a -> assertThat(a.getData()).isEqualTo(signedPdf));
  }

  private static int pixelsOf(BufferedImage image, int rgb) {
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        n += (image.getRGB(x, y) & 0xffffff) == rgb ? 1 : 0;
      }
    }
    return n;
  }

  /** The spool's files of the series are gone: the page says the CT is no longer available, the tables stay. */
  private void theReportSaysSoWhenTheCtHasLeftTheSpool(ConsoleBrowser physicist, String reportPath,
      DiagnosticReport stored) throws IOException {
    SeedFigures figures = verifications.figures(stored.getIdentifierFirstRep().getValue()).orElseThrow();
    for (String file : figures.seriesFiles()) {
      Files.delete(Path.of(file));
    }
    String page = physicist.get(reportPath).body();
    assertThat(page).contains("id=\"ct-gone\"", "The CT series is no longer available", "id=\"displacements\"");
    assertThat(page).doesNotContain("id=\"projection-axial\"");
  }

  private void acknowledgeTheAlarmOf(String reportId, ConsoleBrowser nurse) {
    DetectedIssue alarm = as("admin").search().forResource(DetectedIssue.class)
        .where(DetectedIssue.IMPLICATED.hasId("DiagnosticReport/" + reportId)).returnBundle(Bundle.class).execute()
        .getEntry().stream().map(e -> (DetectedIssue) e.getResource())
        .filter(i -> i.getCode().getCodingFirstRep().getCode().equals("count-mismatch")).findFirst().orElseThrow();
    String path = "/console/alarms/" + alarm.getIdElement().getIdPart() + "/acknowledge";
    ConsoleBrowser.Page nurseInbox = nurse.get("/console/alarms");
    assertThat(nurseInbox.body()).doesNotContain("action=\"" + path + "\"");
    assertThat(nurse.post(path, Map.of("comment", "seen", "_csrf", ConsoleBrowser.csrf(nurseInbox)), Map.of()).status())
        .isEqualTo(403);

    ConsoleBrowser physician = new ConsoleBrowser(baseUrl());
    physician.signIn("physician", "physician");
    assertThat(actOnAlarm(physician, path, "Called the ward; CT repeated tomorrow.").body())
        .contains("Alarm acknowledged.");
    DetectedIssue acknowledged = as("admin").read().resource(DetectedIssue.class).withId(alarm.getIdElement().getIdPart())
        .execute();
    assertThat(acknowledged.getMitigationFirstRep().getAction().getText()).contains("CT repeated tomorrow");
    String value = alarm.getIdentifierFirstRep().getValue();
    Flag flag = as("admin").search().forResource(Flag.class).where(Flag.IDENTIFIER.exactly().code(value))
        .returnBundle(Bundle.class).execute().getEntry().stream().map(e -> (Flag) e.getResource())
        .findFirst().orElseThrow();
    assertThat(flag.getStatus()).isEqualTo(Flag.FlagStatus.INACTIVE);
    assertThat(auditEvents("alarm-acknowledge")).anyMatch(e -> e.getEntityFirstRep().getWhat().getReference()
        .endsWith("DetectedIssue/" + alarm.getIdElement().getIdPart()));
    assertThat(physician.get("/console/alarms?show=acknowledged").body()).contains("CT repeated tomorrow");
  }

  /**
   * A nurse reaches a sealed cartridge in two clicks (implant list, cartridge), sees its custody
   * from order to seal with counts and activity now and the storage model's decision, but not who
   * did each step until she traces with the key, which shows them and the sealing record and is
   * audited; a physicist may see the page but not trace, a manufacturer neither.
   */
  @Test
  void aNurseOpensACartridgeFromTheImplantListAndTracesItWithTheKey() throws Exception {
    CustodyChainSteps.Implant implant = new CustodyChainSteps(this::as).implantAndSeal(20, 18, 0);
    String deviceId = implant.deviceId().replaceFirst("^Device/", "");
    String path = "/console/cartridges/" + deviceId;
    ConsoleBrowser nurse = new ConsoleBrowser(baseUrl());
    nurse.signIn("nurse", "nurse");
    assertThat(nurse.get("/console/implants?patient=" + implant.patientId()).body())
        .contains("href=\"" + path + "\"");

    ConsoleBrowser.Page page = nurse.get(path);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("Ordered", "Shipped", "Received: chip read (L0)", "Assembled: seeds removed (L3)",
        "Implanted", "Sealed: seeds remaining (L2)", "20 seeds ordered", "18 seeds loaded", "shown when traced",
        "id=\"trace\"", "MBq now");
    assertThat(page.body()).containsPattern("id=\"storage-decision\">(retain at hospital|return to manufacturer)<");
    assertThat(page.body()).doesNotContain("id=\"sealing-record\"");
    String timeline = page.body().substring(page.body().indexOf("id=\"timeline\""));
    assertThat(timeline.indexOf("Ordered")).isLessThan(timeline.indexOf("Implanted"));
    assertThat(timeline.indexOf("Implanted")).isLessThan(timeline.indexOf("Sealed: seeds remaining"));

    String csrf = ConsoleBrowser.csrf(page);
    assertThat(nurse.post(path + "/trace", Map.of("traceKey", "not-a-key", "_csrf", csrf), Map.of()).status())
        .as("a mistyped key").isEqualTo(422);
    ConsoleBrowser.Page traced = nurse.post(path + "/trace", Map.of("traceKey", implant.traceKey(), "_csrf", csrf),
        Map.of("Origin", baseUrl()));
    assertThat(traced.status()).isEqualTo(200);
    assertThat(traced.body()).contains("id=\"traced\"", "id=\"sealing-record\"", "IP-", "nurse-cli")
        .doesNotContain("shown when traced");
    assertThat(auditEvents("trace")).anyMatch(e -> e.getEntityFirstRep().getWhat().getReference() != null
        && e.getEntityFirstRep().getWhat().getReference().endsWith("Device/" + deviceId)
        && e.getAgentFirstRep().getWho().getDisplay() != null
        && e.getAgentFirstRep().getWho().getDisplay().contains("nurse"));

    ConsoleBrowser physicist = new ConsoleBrowser(baseUrl());
    physicist.signIn("physicist", "physicist");
    ConsoleBrowser.Page physicistView = physicist.get(path);
    assertThat(physicistView.status()).isEqualTo(200);
    assertThat(physicistView.body()).doesNotContain("id=\"trace\"");
    ConsoleBrowser.Page refused = physicist.post(path + "/trace", Map.of("traceKey", implant.traceKey(),
        "_csrf", ConsoleBrowser.csrf(physicistView)), Map.of());
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body()).contains("may trace a cartridge with its key");

    ConsoleBrowser maker = new ConsoleBrowser(baseUrl());
    maker.signIn("maker", "maker");
    assertThat(maker.get(path).status()).isEqualTo(403);
    assertThat(nurse.get("/console/cartridges/no-such-cartridge").status()).isEqualTo(404);
  }

  /**
   * A physician escalates an open alarm with a reason: it becomes high severity and tagged
   * escalated, stays open, and the act is audited; once only; a nurse (who may not change alarms
   * through the FHIR API) cannot.
   */
  @Test
  void aPhysicianEscalatesAnOpenAlarmOnceAndANurseCannot() {
    DetectedIssue raised = Alerts.alert("count-mismatch", DetectedIssue.DetectedIssueSeverity.MODERATE,
        "A seed alarm to escalate (console test).", List.of());
    String id = store.create(raised).getId().getIdPart();
    String path = "/console/alarms/" + id + "/escalate";

    ConsoleBrowser nurse = new ConsoleBrowser(baseUrl());
    nurse.signIn("nurse", "nurse");
    ConsoleBrowser.Page nurseInbox = nurse.get("/console/alarms");
    assertThat(nurseInbox.body()).doesNotContain("action=\"" + path + "\"");
    ConsoleBrowser.Page refused = nurse.post(path, Map.of("comment", "help", "_csrf", ConsoleBrowser.csrf(nurseInbox)),
        Map.of());
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body()).contains("may escalate an alarm");

    ConsoleBrowser physician = new ConsoleBrowser(baseUrl());
    physician.signIn("physician", "physician");
    // a moderate alarm: the inbox lists the high ones first, so it is looked for among the moderate ones
    assertThat(actOnAlarm(physician, "/console/alarms?severity=moderate", path,
        "Seed count disagrees twice; RSO to check.").body())
        .contains("Alarm escalated", "escalated</em>");
    DetectedIssue escalated = as("admin").read().resource(DetectedIssue.class).withId(id).execute();
    assertThat(escalated.getSeverity()).isEqualTo(DetectedIssue.DetectedIssueSeverity.HIGH);
    assertThat(escalated.getMeta().getTag(AlarmInbox.TAG_SYSTEM, AlarmInbox.ESCALATED)).isNotNull();
    assertThat(escalated.hasMitigation()).as("still open").isFalse();
    assertThat(auditEvents("alarm-escalate")).anyMatch(e -> e.getEntityFirstRep().getWhat().getReference()
        .endsWith("DetectedIssue/" + id));
    assertThat(physician.post(path, Map.of("comment", "again", "_csrf",
        ConsoleBrowser.csrf(physician.get("/console/alarms"))), Map.of()).status()).isEqualTo(409);
  }

  /**
   * Acts on an alarm from the inbox with a form (acknowledge or escalate at {@code path}): the form
   * is there, an empty comment is 400, a comment is 302; returns the page it leads to.
   */
  private static ConsoleBrowser.Page actOnAlarm(ConsoleBrowser person, String path, String comment) {
    return actOnAlarm(person, "/console/alarms", path, comment);
  }

  /** As above, with the form looked for on the inbox page {@code inboxPath}. */
  private static ConsoleBrowser.Page actOnAlarm(ConsoleBrowser person, String inboxPath, String path, String comment) {
    ConsoleBrowser.Page inbox = person.get(inboxPath);
    assertThat(inbox.body()).contains("action=\"" + path + "\"");
    String csrf = ConsoleBrowser.csrf(inbox);
    assertThat(person.post(path, Map.of("comment", "  ", "_csrf", csrf), Map.of()).status()).isEqualTo(400);
    ConsoleBrowser.Page done = person.post(path, Map.of("comment", comment, "_csrf", csrf), Map.of());
    assertThat(done.status()).isEqualTo(302);
    return person.follow(done);
  }

  private List<AuditEvent> auditEvents(String step) {
    return as("admin").search().forResource(AuditEvent.class)
        .where(new ca.uhn.fhir.rest.gclient.TokenClientParam("subtype").exactly()
            .systemAndCode(io.seedtrace.server.audit.AuditTrail.STEP_SYSTEM, step))
        .count(200).returnBundle(Bundle.class).execute()
        .getEntry().stream().map(e -> (AuditEvent) e.getResource()).toList();
  }

  @Test
  void theImplantListPagesThroughMoreImplantsThanOnePageHoldsAndFiltersByPatient() {
    String mrn = "PAGING-" + System.nanoTime();
    Patient patient = new Patient();
    patient.addIdentifier().setSystem("https://hospital.example/mrn").setValue(mrn);
    String patientId = as("physician").create().resource(patient).execute().getId().getIdPart();
    for (int i = 0; i < 30; i++) {
      Procedure p = new Procedure();
      p.setStatus(Procedure.ProcedureStatus.COMPLETED);
      p.setCode(new CodeableConcept(new Coding("http://snomed.info/sct", "169359004", "Internal radiotherapy - permanent seeds")));
      p.setSubject(new Reference("Patient/" + patientId));
      p.setPerformed(new DateTimeType("2026-11-" + String.format("%02d", 1 + i % 28) + "T09:" + String.format("%02d", i) + ":00Z"));
      as("physician").create().resource(p).execute();
    }
    ConsoleBrowser physician = new ConsoleBrowser(baseUrl());
    physician.signIn("physician", "physician");
    ConsoleBrowser.Page first = physician.get("/console/implants?patient=" + mrn);
    assertThat(first.status()).isEqualTo(200);
    assertThat(rows(first.body())).isEqualTo(25);
    assertThat(first.body()).contains("waiting for CT", "rel=\"next\"");
    String next = first.body().replaceAll("(?s).*rel=\"next\"\\s+href=\"([^\"]+)\".*", "$1").replace("&amp;", "&");
    ConsoleBrowser.Page second = physician.get(next);
    assertThat(rows(second.body())).isEqualTo(5);
    assertThat(second.body()).doesNotContain("rel=\"next\"");
    assertThat(physician.get("/console/implants?patient=" + mrn + "&status=verified").body()).contains("No implant matches.");
    assertThat(physician.get("/console/implants?from=not-a-date").status()).isEqualTo(400);
  }

  @Test
  void aNurseFindsACartridgeInTheListBySerialAndStatusAndAManufacturerMayNotList() throws Exception {
    CustodyChainSteps.Implant implant = new CustodyChainSteps(this::as).implantAndSeal(20, 18, 0);
    String deviceId = implant.deviceId().replaceFirst("^Device/", "");
    String serial = store.read(Device.class, deviceId).getSerialNumber();
    ConsoleBrowser nurse = new ConsoleBrowser(baseUrl());
    assertThat(nurse.signIn("nurse", "nurse").body()).contains("<strong>Cartridges</strong>");

    ConsoleBrowser.Page all = nurse.get("/console/cartridges");
    assertThat(all.status()).isEqualTo(200);
    assertThat(all.body()).as("the newest cartridge is on the first page").contains("href=\"/console/cartridges/" + deviceId + "\"");
    ConsoleBrowser.Page one = nurse.get("/console/cartridges?serial=" + serial);
    assertThat(rows(one.body())).isEqualTo(1);
    assertThat(one.body()).contains(">" + serial + "</a>", ">active<").doesNotContain("rel=\"next\"");
    assertThat(nurse.get("/console/cartridges?serial=" + serial + "&status=inactive").body()).contains("No cartridge matches.");
    assertThat(nurse.get("/console/cartridges?serial=NO-SUCH-SERIAL").body()).contains("No cartridge matches.");
    assertThat(nurse.get("/console/cartridges?status=lost").status()).isEqualTo(400);

    ConsoleBrowser maker = new ConsoleBrowser(baseUrl());
    assertThat(maker.signIn("maker", "maker").body()).as("no card on the start page").doesNotContain("<strong>Cartridges</strong>");
    ConsoleBrowser.Page refused = maker.get("/console/cartridges");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body()).doesNotContain(serial);
  }

  @Test
  void theCartridgeListPagesThroughMoreCartridgesThanOnePageHolds() {
    String lot = "LOT-" + System.nanoTime();
    for (int i = 0; i < 27; i++) {
      Device d = new Device();
      d.setType(new CodeableConcept(new Coding(io.seedtrace.server.custody.CustodyCodes.CS, "seed-cartridge", null)));
      d.addIdentifier().setSystem(io.seedtrace.server.custody.CustodyCodes.SID_SERIAL).setValue(lot + "-" + i);
      d.setSerialNumber(lot + "-" + i);
      d.setLotNumber(lot);
      d.setStatus(i == 0 ? Device.FHIRDeviceStatus.INACTIVE : Device.FHIRDeviceStatus.ACTIVE);
      as("admin").create().resource(d).execute();
    }
    ConsoleBrowser physician = new ConsoleBrowser(baseUrl());
    physician.signIn("physician", "physician");
    ConsoleBrowser.Page first = physician.get("/console/cartridges");
    assertThat(rows(first.body())).isEqualTo(25);
    assertThat(first.body()).contains(lot + "-26", lot + "-2<").doesNotContain(lot + "-1<");
    String next = first.body().replaceAll("(?s).*rel=\"next\"\\s+href=\"([^\"]+)\".*", "$1").replace("&amp;", "&");
    assertThat(physician.get(next).body()).contains(lot + "-1<", lot + "-0<");
    ConsoleBrowser.Page inactive = physician.get("/console/cartridges?status=inactive&serial=" + lot + "-0");
    assertThat(rows(inactive.body())).isEqualTo(1);
    assertThat(inactive.body()).contains(">inactive<");
  }

  private static int rows(String html) {
    String body = html.replaceAll("(?s).*<tbody>(.*?)</tbody>.*", "$1");
    return body.split("<tr>", -1).length - 1;
  }
}
