package io.seedtrace.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.server.support.HttpFrom;
import io.seedtrace.server.support.ServerTestBase;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, finding 2, over plain HTTP with a real admin token: Jolokia answers POST only, sends no
 * CORS headers, refuses other origins, runs only the Camel operations the console needs and never
 * connects to a JSR-160 target; the console's cookies are SameSite=Strict. The same in a real
 * browser is {@link ConsoleBrowserIT}.
 */
class ConsoleIT extends ServerTestBase {

  private static final HttpFrom HTTP = new HttpFrom("127.0.0.1");
  private static final String CONTEXT = "org.apache.camel:context=seedtrace,type=context,name=\\\"seedtrace\\\"";

  private HttpFrom.Answer jolokia(String body, Map<String, String> extra) {
    Map<String, String> headers = new HashMap<>(extra);
    headers.put("Authorization", "Bearer " + tokens().forRole("admin"));
    return HTTP.send("POST", baseUrl() + "/actuator/jolokia/", headers, "application/json", body);
  }

  @Test
  void jolokiaAnswersPostOnlyWithoutCorsAndRefusesOtherOrigins() {
    String admin = "Bearer " + tokens().forRole("admin");
    for (String viaGet : List.of("/actuator/jolokia/read/java.lang:type=Memory/Verbose",
        "/actuator/jolokia/exec/org.apache.camel:context=seedtrace,type=context,name=%22seedtrace%22/dumpRoutesAsXml()")) {
      HttpFrom.Answer get = HTTP.get(baseUrl() + viaGet, Map.of("Authorization", admin));
      assertThat(get.body()).as(viaGet).contains("\"status\":403").doesNotContain("\"value\"");
    }

    HttpFrom.Answer foreign = jolokia("{\"type\":\"version\"}", Map.of("Origin", "http://evil.example"));
    assertThat(foreign.status()).isEqualTo(403);
    assertThat(foreign.headers()).doesNotContainKeys("access-control-allow-origin", "access-control-allow-credentials");
    HttpFrom.Answer sameSiteOtherPort = jolokia("{\"type\":\"version\"}", Map.of("Origin", "http://localhost:1"));
    assertThat(sameSiteOtherPort.status()).isEqualTo(403);

    HttpFrom.Answer own = jolokia("{\"type\":\"version\"}", Map.of("Origin", "http://localhost:" + port,
        "Host", "localhost:" + port));
    assertThat(own.status()).isEqualTo(200);
    assertThat(own.body()).contains("\"status\":200");
    assertThat(own.headers()).doesNotContainKeys("access-control-allow-origin", "access-control-allow-credentials");

    HttpFrom.Answer preflight = HTTP.send("OPTIONS", baseUrl() + "/actuator/jolokia/",
        Map.of("Origin", "http://evil.example", "Access-Control-Request-Method", "POST"), null, null);
    assertThat(preflight.headers()).doesNotContainKeys("access-control-allow-origin", "access-control-allow-credentials");
  }

  @Test
  void onlyTheCamelOperationsTheConsoleNeedsRun(@org.junit.jupiter.api.io.TempDir Path dir) {
    Path written = dir.resolve("from-jolokia.txt");
    HttpFrom.Answer send = jolokia("{\"type\":\"exec\",\"mbean\":\"" + CONTEXT + "\",\"operation\":"
        + "\"sendStringBody(java.lang.String,java.lang.String)\",\"arguments\":[\"file:" + dir
        + "?fileName=from-jolokia.txt\",\"pwned\"]}", Map.of());
    assertThat(send.body()).contains("\"status\":403");
    assertThat(Files.exists(written)).isFalse();
    for (String refused : List.of(
        "{\"type\":\"exec\",\"mbean\":\"" + CONTEXT + "\",\"operation\":\"createEndpoint(java.lang.String)\",\"arguments\":[\"file:/tmp\"]}",
        "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc()\"}",
        "{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\",\"value\":true}")) {
      assertThat(jolokia(refused, Map.of()).body()).as(refused).contains("\"status\":403");
    }
    HttpFrom.Answer dump = jolokia("{\"type\":\"exec\",\"mbean\":\"" + CONTEXT + "\",\"operation\":\"dumpRoutesAsXml()\"}",
        Map.of());
    assertThat(dump.body()).contains("\"status\":200").contains("heartbeat");
    HttpFrom.Answer read = jolokia("{\"type\":\"read\",\"mbean\":\"org.apache.camel:context=seedtrace,type=routes,"
        + "name=\\\"heartbeat\\\"\",\"attribute\":\"State\"}", Map.of());
    assertThat(read.body()).contains("\"value\":\"Started\"");
  }

  @Test
  void aJsr160TargetIsNeverConnectedTo() throws Exception {
    try (ServerSocketChannel listener = ServerSocketChannel.open()) {
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      listener.configureBlocking(false);
      int target = listener.socket().getLocalPort();
      jolokia("{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\",\"target\":{\"url\":"
          + "\"service:jmx:rmi:///jndi/rmi://127.0.0.1:" + target + "/jmxrmi\"}}", Map.of());
      // the proxy would have connected before answering; nobody knocked
      assertThat(listener.accept()).isNull();
    }
  }

  @Test
  void theConsolesCookiesStayOnItsOwnSiteAndAwayFromScripts() {
    HttpFrom.Answer page = HTTP.get(baseUrl() + "/login", Map.of());
    Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(page.body());
    assertThat(csrf.find()).isTrue();
    HttpFrom.Answer login = HTTP.send("POST", baseUrl() + "/login", Map.of("Cookie", cookieHeader(page.setCookies())),
        "application/x-www-form-urlencoded", "username=admin&password=admin&_csrf=" + csrf.group(1));
    assertThat(login.status()).isEqualTo(302);
    assertThat(login.header("Location")).endsWith("/actuator/hawtio/");
    String session = login.setCookies().stream().filter(c -> c.startsWith("JSESSIONID=")).findFirst().orElseThrow();
    assertThat(session).containsIgnoringCase("SameSite=Strict").containsIgnoringCase("HttpOnly")
        .as("plain HTTP: not Secure").doesNotContainPattern("(?i);\\s*Secure(;|$)");
    assertThat(page.setCookies()).filteredOn(c -> c.startsWith("XSRF-TOKEN="))
        .allMatch(c -> c.toLowerCase().contains("samesite=strict"));
  }

  private static String cookieHeader(List<String> setCookies) {
    return String.join("; ", setCookies.stream().map(c -> c.split(";", 2)[0]).toList());
  }
}
