package io.seedtrace.server.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.http.Header;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.RequestBuilder;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;

/**
 * Plain HTTP to the running server from a chosen loopback address (127.0.0.2 is another machine as
 * far as the server can tell), with any header, {@code Host} and the forwarding headers included,
 * which the JDK's client does not send. No redirects are followed.
 */
public final class HttpFrom {

  /** What came back: status, headers (the last value of each, by lower-case name), cookies set and body. */
  public record Answer(int status, Map<String, String> headers, List<String> setCookies, String body) {
    public String header(String name) {
      return headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), "");
    }
  }

  private final String sourceAddress;

  public HttpFrom(String sourceAddress) {
    this.sourceAddress = sourceAddress;
  }

  public Answer send(String method, String url, Map<String, String> headers, String contentType, String body) {
    RequestConfig config;
    try {
      config = RequestConfig.custom().setLocalAddress(InetAddress.getByName(sourceAddress)).setRedirectsEnabled(false)
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    RequestBuilder request = RequestBuilder.create(method).setUri(url).setConfig(config);
    headers.forEach(request::setHeader);
    if (body != null) {
      request.setEntity(new StringEntity(body, StandardCharsets.UTF_8));
      request.setHeader("Content-Type", contentType);
    }
    try (CloseableHttpClient client = HttpClients.custom().disableRedirectHandling().disableCookieManagement().build();
        CloseableHttpResponse response = client.execute(request.build())) {
      Map<String, String> answerHeaders = new LinkedHashMap<>();
      List<String> cookies = new ArrayList<>();
      for (Header h : response.getAllHeaders()) {
        answerHeaders.put(h.getName().toLowerCase(java.util.Locale.ROOT), h.getValue());
        if (h.getName().equalsIgnoreCase("Set-Cookie")) {
          cookies.add(h.getValue());
        }
      }
      String text = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
      return new Answer(response.getStatusLine().getStatusCode(), answerHeaders, cookies, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Answer get(String url, Map<String, String> headers) {
    return send("GET", url, headers, null, null);
  }
}
