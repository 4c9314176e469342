package io.seedtrace.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seedtrace.server.support.HttpFrom;
import io.seedtrace.server.support.ServerTestBase;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, finding 10: the embedded issuer redirects nowhere a request names, wrong secrets are
 * slowed down per client and address (429 with Retry-After), and links the server writes never
 * follow a {@code Host} header. Real server, real HTTP.
 */
class SignInAndLinksIT extends ServerTestBase {

  private static final HttpFrom PROXY = new HttpFrom("127.0.0.1");
  private static final HttpFrom STRANGER = new HttpFrom("127.0.0.2");

  @Test
  void authorizeNeverRedirectsToAnAddressTheRequestNames() {
    for (String query : new String[] {
        "response_type=code&client_id=nurse-cli&redirect_uri=https://evil.example/x&scope=nurse&state=1",
        "response_type=code&client_id=nurse-cli&scope=nurse",
        "response_type=code&client_id=admin-cli&redirect_uri=https://evil.example/x"}) {
      HttpFrom.Answer answer = PROXY.get(baseUrl() + "/oauth2/authorize?" + query, Map.of());
      assertThat(answer.status()).as(query).isEqualTo(400);
      assertThat(answer.header("Location")).as(query).isEmpty();
    }
  }

  @Test
  void wrongClientSecretsWaitPerClientAndAddressAndTheRightOneWorksAfterwards() {
    Map<String, String> fromGuesser = Map.of("X-Forwarded-For", "192.0.2.200");
    for (int i = 0; i < 5; i++) {
      assertThat(token("physicist-cli", "guess-" + i, fromGuesser).status()).isEqualTo(401);
    }
    HttpFrom.Answer throttled = token("physicist-cli", "guess-5", fromGuesser);
    assertThat(throttled.status()).isEqualTo(429);
    assertThat(Integer.parseInt(throttled.header("Retry-After"))).isPositive();
    assertThat(throttled.body()).contains("OperationOutcome");
    assertThat(token("physicist-cli", "physicist-secret", fromGuesser).status())
        .as("during the wait even the right secret is not looked at").isEqualTo(429);
    assertThat(token("physicist-cli", "physicist-secret", Map.of("X-Forwarded-For", "192.0.2.201")).status())
        .as("the same client from elsewhere").isEqualTo(200);
    assertThat(token("nurse-cli", "nurse-secret", fromGuesser).status()).as("another client from there").isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
        .until(() -> token("physicist-cli", "physicist-secret", fromGuesser).status() == 200);
  }

  @Test
  void wrongConsolePasswordsWaitToo() {
    Map<String, String> fromGuesser = new HashMap<>(Map.of("X-Forwarded-For", "192.0.2.210"));
    HttpFrom.Answer page = PROXY.get(baseUrl() + "/login", fromGuesser);
    Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(page.body());
    assertThat(csrf.find()).as("login form with a CSRF token").isTrue();
    fromGuesser.put("Cookie", cookies(page));
    for (int i = 0; i < 5; i++) {
      HttpFrom.Answer wrong = login(fromGuesser, csrf.group(1), "wrong-" + i);
      assertThat(wrong.status()).isEqualTo(302);
      assertThat(wrong.header("Location")).contains("/login?error");
    }
    HttpFrom.Answer throttled = login(fromGuesser, csrf.group(1), "admin");
    assertThat(throttled.status()).isEqualTo(429);
    assertThat(throttled.header("Retry-After")).isNotEmpty();
  }

  @Test
  void linksAndLocationFollowNoHostHeader() {
    String nurse = tokens().forRole("nurse");
    Map<String, String> spoofed = Map.of("Authorization", "Bearer " + nurse, "Host", "evil.example",
        "X-Forwarded-Host", "evil-too.example", "X-Forwarded-Proto", "https");
    HttpFrom.Answer created = STRANGER.send("POST", baseUrl() + "/fhir/Device", spoofed, "application/fhir+json",
        "{\"resourceType\":\"Device\",\"status\":\"active\"}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.header("Location")).startsWith("http://localhost:" + port + "/fhir/Device/");
    HttpFrom.Answer page = STRANGER.get(baseUrl() + "/fhir/Device?_count=1", spoofed);
    assertThat(page.body()).contains("\"url\": \"http://localhost:" + port + "/fhir").doesNotContain("evil");

    // from the trusted proxy the forwarded host and scheme are believed, the Host header still not
    Map<String, String> forwarded = Map.of("Authorization", "Bearer " + nurse, "Host", "evil.example",
        "X-Forwarded-Host", "fhir.hospital.example", "X-Forwarded-Proto", "https");
    HttpFrom.Answer viaProxy = PROXY.get(baseUrl() + "/fhir/Device?_count=1", forwarded);
    assertThat(viaProxy.body()).contains("\"url\": \"https://fhir.hospital.example/fhir").doesNotContain("evil");
  }

  private HttpFrom.Answer token(String client, String secret, Map<String, String> headers) {
    Map<String, String> all = new HashMap<>(headers);
    all.put("Authorization", "Basic " + Base64.getEncoder().encodeToString((client + ":" + secret)
        .getBytes(StandardCharsets.UTF_8)));
    return PROXY.send("POST", baseUrl() + "/oauth2/token", all, "application/x-www-form-urlencoded",
        "grant_type=client_credentials");
  }

  private HttpFrom.Answer login(Map<String, String> headers, String csrf, String password) {
    return PROXY.send("POST", baseUrl() + "/login", headers, "application/x-www-form-urlencoded",
        "username=admin&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf="
            + URLEncoder.encode(csrf, StandardCharsets.UTF_8));
  }

  /** The cookies the login page set, as a Cookie header (the session and the CSRF token). */
  private static String cookies(HttpFrom.Answer page) {
    return String.join("; ", page.setCookies().stream().map(c -> c.split(";", 2)[0]).toList());
  }
}
