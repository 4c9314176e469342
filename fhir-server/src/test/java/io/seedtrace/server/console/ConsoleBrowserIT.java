package io.seedtrace.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.seedtrace.server.ehr.EhrOutbox;
import io.seedtrace.server.support.ServerTestBase;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 13, finding 2, in a real headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}; skipped with a message where they are not installed): the Hawtio console
 * works after a form login, Jolokia calls and all, and a page of another origin that the logged-in
 * administrator opens can neither read from Jolokia nor make it do anything. The routes table shows
 * the EHR outbox's delivery, retry and dead-letter routes with their real counts (issue 15 item 6):
 * a bundle the EHR refuses is a failed exchange of {@code ehr-delivery} and a completed one of
 * {@code ehr-delivery-dead-letter}.
 */
class ConsoleBrowserIT extends ServerTestBase {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final String HEARTBEAT = "org.apache.camel:context=seedtrace,type=routes,name=\"heartbeat\"";

  /** Where the browser's screenshots go (the console after login, for the closing note). */
  private static final Path SHOTS = Path.of("target", "console-screenshots");

  private static WebDriver browser;

  @Autowired
  EhrOutbox outbox;

  @BeforeAll
  static void startBrowser() throws IOException {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "no browser: install Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver)"
            + " to run the console in a real browser");
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--user-data-dir=" + Files.createTempDirectory("seedtrace-chromium-"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    browser.manage().window().setSize(new org.openqa.selenium.Dimension(1600, 1000));
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  private WebDriverWait waitUpTo(int seconds) {
    return new WebDriverWait(browser, Duration.ofSeconds(seconds), Duration.ofMillis(200));
  }

  /** Opens the console, logging in through the form when the console sends the browser there. */
  private void openConsole(String page) {
    browser.get(baseUrl() + page);
    if (browser.getCurrentUrl().contains("/login")) {
      browser.findElement(By.name("username")).sendKeys("admin");
      browser.findElement(By.name("password")).sendKeys("admin");
      browser.findElement(By.cssSelector("button[type=submit]")).click();
      waitUpTo(30).until(b -> b.getCurrentUrl().contains("/actuator/hawtio/"));
      browser.get(baseUrl() + page);
    }
  }

  /** Whether the routes table shows a positive number in column {@code label} of route {@code route}. */
  private static boolean positive(WebDriver b, String route, String label) {
    return b.findElements(By.xpath("//tr[td[normalize-space(.)='" + route + "']]/td[@data-label='" + label + "']"))
        .stream().anyMatch(cell -> cell.getText().trim().matches("[1-9][0-9]*"));
  }

  /** The page's visible text, read in one script call (the console re-renders while it loads). */
  private String pageText() {
    Object text = ((JavascriptExecutor) browser).executeScript("return document.body ? document.body.innerText : ''");
    return text == null ? "" : text.toString();
  }

  @Test
  void theConsoleShowsTheRoutesAndTheirCountersAfterFormLogin() throws IOException {
    long refused = outbox.enqueue("Patient/console", "console test", "console-" + System.nanoTime(), "not a bundle");
    outbox.kick();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> outbox.undelivered().stream()
        .anyMatch(m -> m.id() == refused && m.status().equals("DEAD")));
    openConsole("/actuator/hawtio/camel/routes");
    waitUpTo(90).until(b -> pageText().contains("dicom-series-stable") && pageText().contains("heartbeat"));
    try {
      // the "routes" folder of the tree, then its "Routes" tab: the table of routes with their counters
      browser.findElement(By.xpath("//button[normalize-space(.)='routes']")).click();
      waitUpTo(30).ignoring(StaleElementReferenceException.class).until(b -> {
        if (b.findElements(By.cssSelector("[data-testid=completed-header]")).isEmpty()) {
          b.findElements(By.xpath("//button[normalize-space(.)='Routes'] | //a[normalize-space(.)='Routes']"))
              .forEach(WebElement::click);
          return false;
        }
        return true;
      });
      // the heartbeat fires every 500 ms in the tests: its Completed count is a positive number
      waitUpTo(30).ignoring(StaleElementReferenceException.class).until(b -> b.findElements(
          By.xpath("//tr[td[normalize-space(.)='heartbeat']]/td[@data-label='Completed']")).stream()
          .anyMatch(cell -> cell.getText().trim().matches("[1-9][0-9]*")));
      // the refused bundle: a failure of the delivery route, a message on the dead-letter route
      waitUpTo(30).ignoring(StaleElementReferenceException.class)
          .until(b -> positive(b, "ehr-delivery", "Failed") && positive(b, "ehr-delivery-dead-letter", "Completed"));
    } finally {
      Files.createDirectories(SHOTS);
      Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(shot, SHOTS.resolve("hawtio-routes.png"), StandardCopyOption.REPLACE_EXISTING);
    }
    assertThat(pageText()).contains("Completed", "Failed", "Handled", "InFlight");
    assertThat(pageText()).contains("seedtrace", "ehr-delivery", "series-verification", "subscription-delivery",
        "ehr-delivery-retry", "ehr-delivery-dead-letter", "subscription-delivery-dead-letter");
    assertThat(browser.getCurrentUrl()).as("still logged in").contains("/actuator/hawtio/").doesNotContain("/login");
  }

  @Test
  void aPageOfAnotherOriginCannotCallJolokia() throws Exception {
    openConsole("/actuator/hawtio/");
    HttpServer attacker = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    byte[] page = attackPage(baseUrl()).getBytes(StandardCharsets.UTF_8);
    attacker.createContext("/", exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(200, page.length);
      exchange.getResponseBody().write(page);
      exchange.close();
    });
    attacker.start();
    try {
      // another port on the same host name: another origin, but the same site, so even a
      // SameSite cookie would be sent along; the CSRF token and the origin check must hold
      browser.get("http://localhost:" + attacker.getAddress().getPort() + "/");
      waitUpTo(60).until(b -> Boolean.TRUE.equals(((JavascriptExecutor) b).executeScript("return window.attackDone")));
      @SuppressWarnings("unchecked")
      Map<String, Object> results = (Map<String, Object>) ((JavascriptExecutor) browser)
          .executeScript("return window.results");
      assertThat(results).as("what the page could read").containsEntry("read /actuator/jolokia/", "blocked")
          .containsEntry("read /actuator/hawtio/jolokia/", "blocked");
      assertThat(ManagementFactory.getPlatformMBeanServer().getAttribute(new ObjectName(HEARTBEAT), "State"))
          .as("the page's stop() had no effect").isEqualTo("Started");
    } finally {
      attacker.stop(0);
    }
  }

  /** A page that reads Jolokia's version and sends stop() to the heartbeat route, both ways to Jolokia. */
  private static String attackPage(String target) {
    return """
        <!doctype html><html><body><script>
        const target = '%s';
        const stop = JSON.stringify({type: 'exec', mbean: '%s', operation: 'stop()'});
        window.results = {};
        async function attack() {
          for (const path of ['/actuator/jolokia/', '/actuator/hawtio/jolokia/']) {
            try {
              const r = await fetch(target + path, {method: 'POST', credentials: 'include',
                  headers: {'Content-Type': 'text/plain'}, body: JSON.stringify({type: 'version'})});
              window.results['read ' + path] = 'read ' + r.status + ' ' + (await r.text());
            } catch (e) {
              window.results['read ' + path] = 'blocked';
            }
            try {
              await fetch(target + path, {method: 'POST', mode: 'no-cors', credentials: 'include',
                  headers: {'Content-Type': 'text/plain'}, body: stop});
              window.results['exec ' + path] = 'sent';
            } catch (e) {
              window.results['exec ' + path] = 'blocked';
            }
          }
          window.attackDone = true;
        }
        attack();
        </script></body></html>
        """.formatted(target, HEARTBEAT.replace("\"", "\\\""));
  }
}
