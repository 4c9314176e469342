package io.seedtrace.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seedtrace.server.dicom.DicomNodeService;
import io.seedtrace.server.ehr.EhrOutbox;
import io.seedtrace.server.support.MissingSeedVerification;
import io.seedtrace.server.support.ServerTestBase;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The people's console in a real headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}; skipped with a message where absent): a physicist opens the console, is
 * sent through the OpenID Connect sign-in, signs in with the form and lands on the start page, then
 * opens the implant list in one click; on a verification made in the test, the physicist sees the
 * seeds drawn on the CT's three projections (the pictures load in the browser) and opens the
 * cartridge from the report; and the whole story by clicks: sign-off by the physicist, acknowledgement
 * of the alarm by the physician, replay of a dead letter by the administrator. Screenshots go to
 * {@code target/console-screenshots/}.
 */
class PeopleConsoleBrowserIT extends ServerTestBase {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SHOTS = Path.of("target", "console-screenshots");

  private static WebDriver browser;

  @Autowired
  DicomNodeService dicom;

  @Autowired
  EhrOutbox outbox;

  @BeforeAll
  static void startBrowser() throws IOException {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "no browser: install Debian's chromium and chromium-driver to run the console in a real browser");
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--window-size=1280,900", "--user-data-dir=" + Files.createTempDirectory("seedtrace-chromium-"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    Files.createDirectories(SHOTS);
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  private static void screenshot(String name) throws IOException {
    Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void aPhysicistSignsInAndOpensTheImplantListInOneClick() throws IOException {
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(200));
    browser.get(baseUrl() + "/");
    wait.until(b -> b.getCurrentUrl().contains("/login"));
    screenshot("sign-in");
    browser.findElement(By.name("username")).sendKeys("physicist");
    browser.findElement(By.name("password")).sendKeys("physicist");
    browser.findElement(By.cssSelector("button[type=submit]")).click();
    wait.until(b -> b.getPageSource().contains("SeedTrace console"));
    assertThat(browser.findElement(By.cssSelector(".who")).getText()).contains("physicist");
    screenshot("start");
    browser.findElement(By.linkText("Implants and verifications")).click();
    wait.until(b -> b.getCurrentUrl().contains("/console/implants"));
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Implants and verifications");
    screenshot("implants");
  }

  @Test
  void aPhysicistSeesTheSeedsOnTheCtOfAReportAndOpensItsCartridge() throws Exception {
    String reportId = MissingSeedVerification.run(this::fhirAs, dicom.port(), EHR).getIdElement().getIdPart();
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(200));
    browser.get(baseUrl() + "/console/reports/" + reportId);
    wait.until(b -> b.getCurrentUrl().contains("/login") || b.getCurrentUrl().contains("/console/reports/"));
    if (browser.getCurrentUrl().contains("/login")) {
      browser.findElement(By.name("username")).sendKeys("physicist");
      browser.findElement(By.name("password")).sendKeys("physicist");
      browser.findElement(By.cssSelector("button[type=submit]")).click();
      wait.until(b -> b.getCurrentUrl().contains("/console/reports/"));
    }
    for (String plane : List.of("axial", "coronal", "sagittal")) {
      WebElement image = browser.findElement(By.id("projection-" + plane));
      wait.until(b -> ((Number) ((JavascriptExecutor) b).executeScript(
          "return arguments[0].complete ? arguments[0].naturalWidth : 0", image)).intValue() > 0);
      assertThat(image.getAttribute("alt")).contains("17 detected seeds numbered", "18 planned seeds marked");
    }
    assertThat(browser.findElement(By.id("displacements")).getText()).contains("missing", "ALARM");
    ((JavascriptExecutor) browser).executeScript("document.getElementById('seeds-heading').scrollIntoView()");
    screenshot("report-projections");
    browser.findElement(By.partialLinkText("Device/")).click();
    wait.until(b -> b.getCurrentUrl().contains("/console/cartridges/"));
    assertThat(browser.findElement(By.id("timeline")).getText()).contains("Ordered", "Implanted", "Sealed");
    screenshot("cartridge");
  }

  /**
   * The whole story as people click it: the physicist signs the report off with its button, the
   * physician acknowledges its count alarm with a comment, the administrator replays a dead letter
   * (a message the EHR refused for good) with its button on the operations page.
   */
  @Test
  void aPhysicistSignsOffAPhysicianAcknowledgesTheAlarmAndAnAdministratorReplaysADeadLetter() throws Exception {
    String reportId = MissingSeedVerification.run(this::fhirAs, dicom.port(), EHR).getIdElement().getIdPart();
    long dead = outbox.enqueue("Patient/browser", "browser test", "browser-" + System.nanoTime(), "not a bundle");
    outbox.kick();
    await().atMost(Duration.ofSeconds(60)).until(() -> outbox.undelivered().stream()
        .anyMatch(m -> m.id() == dead && m.status().equals("DEAD")));
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(200));

    signInAs("physicist", "/console/reports/" + reportId, wait);
    assertThat(browser.findElement(By.id("signed-off")).getText()).isEqualTo("not yet");
    browser.findElement(By.id("sign-off")).click();
    wait.until(b -> b.getCurrentUrl().contains("?signed"));
    assertThat(browser.findElement(By.id("signed-off")).getText()).isEqualTo("physicist (physicist)");
    assertThat(browser.findElements(By.id("sign-off"))).as("no second sign-off button").isEmpty();
    screenshot("report-signed-off");

    signInAs("physician", "/console/alarms", wait);
    WebElement alarm = browser.findElements(By.cssSelector("#alarms tbody tr")).stream()
        .filter(r -> r.getText().contains("Report " + reportId) && r.getText().contains("count-mismatch"))
        .findFirst().orElseThrow();
    alarm.findElement(By.tagName("textarea")).sendKeys("Seen; the patient is called back for an abdominal X-ray.");
    alarm.findElement(By.xpath(".//button[normalize-space()='Acknowledge']")).click();
    wait.until(b -> b.getCurrentUrl().contains("?acknowledged="));
    assertThat(browser.findElement(By.cssSelector("p.done")).getText()).isEqualTo("Alarm acknowledged.");
    browser.findElement(By.linkText("Acknowledged")).click();
    wait.until(b -> b.getPageSource().contains("abdominal X-ray"));
    screenshot("alarm-acknowledged");

    signInAs("admin", "/console/operations", wait);
    int attemptsBefore = EHR.attempts().size();
    WebElement replay = browser.findElement(By.id("replay-" + dead));
    ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()", replay);
    replay.click();
    wait.until(b -> b.getCurrentUrl().contains("replayed=" + dead));
    assertThat(browser.findElement(By.id("replayed")).getText())
        .isEqualTo("Message " + dead + " is back in the EHR outbox, due now.");
    await().atMost(Duration.ofSeconds(30)).until(() -> EHR.attempts().size() > attemptsBefore);
    screenshot("dead-letter-replayed");
  }

  /** A fresh session (cookies of the console and the issuer dropped), then the form sign-in on the way to a page. */
  private void signInAs(String user, String path, WebDriverWait wait) {
    browser.get(baseUrl() + "/login");
    browser.manage().deleteAllCookies();
    browser.get(baseUrl() + path);
    wait.until(b -> b.getCurrentUrl().contains("/login"));
    browser.findElement(By.name("username")).sendKeys(user);
    browser.findElement(By.name("password")).sendKeys(user);
    browser.findElement(By.cssSelector("button[type=submit]")).click();
    wait.until(b -> b.getCurrentUrl().startsWith(baseUrl() + path));
    assertThat(browser.findElement(By.cssSelector(".who")).getText()).contains(user);
  }
}
