package io.seedtrace.server.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A person's browser as far as HTTP goes, for the people's console: it keeps cookies, follows
 * redirects one by one (so a test can see every step of the sign-in) and posts forms with the CSRF
 * token the page carried.
 */
public final class ConsoleBrowser {

  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*?value=\"([^\"]+)\"|value=\"([^\"]+)\"[^>]*?name=\"_csrf\"");

  /** A response and the URL it answered. */
  public record Page(String url, int status, String location, String body) {}

  private final String baseUrl;
  private final HttpClient http;
  /** Every URL requested, in order (redirects included). */
  public final List<String> visited = new ArrayList<>();

  public ConsoleBrowser(String baseUrl) {
    this.baseUrl = baseUrl;
    this.http = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
        .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** One GET, no redirect followed. */
  public Page get(String pathOrUrl) {
    return send(HttpRequest.newBuilder(uri(pathOrUrl)).header("Accept", "text/html").GET());
  }

  /** GET and follow redirects (at most 10) to the final page. */
  public Page open(String pathOrUrl) {
    return follow(get(pathOrUrl));
  }

  public Page follow(Page page) {
    Page current = page;
    for (int hops = 0; current.status() / 100 == 3 && hops < 10; hops++) {
      current = get(current.location());
    }
    return current;
  }

  /** An image as the browser loads it: status, content type and the bytes. */
  public record Image(int status, String contentType, byte[] bytes) {}

  /** One GET of an image (no redirect followed). */
  public Image image(String path) {
    HttpRequest built = HttpRequest.newBuilder(uri(path)).header("Accept", "image/png,image/*").GET()
        .timeout(Duration.ofSeconds(60)).build();
    visited.add(built.uri().toString());
    try {
      HttpResponse<byte[]> response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
      return new Image(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
          response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A form POST (no redirect followed), with extra headers such as {@code Origin}. */
  public Page post(String path, Map<String, String> form, Map<String, String> headers) {
    String body = form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
        .collect(Collectors.joining("&"));
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Accept", "text/html")
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return send(request);
  }

  /**
   * Opens the console at {@code /}, is sent to the issuer's sign-in form, signs in there and
   * follows the authorization code back to the console; returns the page it ends on.
   */
  public Page signIn(String user, String password) {
    Page form = open("/");
    if (!form.url().endsWith("/login")) {
      throw new IllegalStateException("expected the sign-in form, got " + form.url() + " " + form.status());
    }
    return follow(post("/login", Map.of("username", user, "password", password, "_csrf", csrf(form)), Map.of()));
  }

  /** The CSRF token of a page's form. */
  public static String csrf(Page page) {
    Matcher m = CSRF.matcher(page.body());
    if (!m.find()) {
      throw new IllegalStateException("no CSRF token on " + page.url());
    }
    return m.group(1) != null ? m.group(1) : m.group(2);
  }

  private Page send(HttpRequest.Builder request) {
    HttpRequest built = request.timeout(Duration.ofSeconds(60)).build();
    visited.add(built.uri().toString());
    try {
      HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
      String location = response.headers().firstValue("Location").map(l -> built.uri().resolve(l).toString()).orElse(null);
      return new Page(built.uri().toString(), response.statusCode(), location, response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private URI uri(String pathOrUrl) {
    return URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : baseUrl + pathOrUrl);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
