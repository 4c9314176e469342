package io.seedtrace.server.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seedtrace.server.support.Http;
import io.seedtrace.server.support.ServerTestBase;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@code ValueSet/$expand} answers the expansion of every ValueSet of our package (by canonical URL
 * and on the stored instance), for any role, instead of HAPI's 500 "Hibernate Search was not
 * initialized": the codes are exactly those the package's compose lists.
 */
class ValueSetExpandIT extends ServerTestBase {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> VALUE_SETS =
      List.of("seed-alert-kind", "seed-count-kind", "seed-cartridge-property", "seed-product-type");

  private static TreeSet<String> composed(String name) throws Exception {
    try (InputStream in = ValueSetExpandIT.class.getResourceAsStream("/package/ValueSet-" + name + ".json")) {
      TreeSet<String> codes = new TreeSet<>();
      for (JsonNode include : JSON.readTree(in).get("compose").get("include")) {
        for (JsonNode concept : include.get("concept")) {
          codes.add(include.get("system").asText() + "|" + concept.get("code").asText());
        }
      }
      return codes;
    }
  }

  private static TreeSet<String> expanded(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode expansion = JSON.readTree(response.body()).get("expansion");
    TreeSet<String> codes = new TreeSet<>();
    for (JsonNode contains : expansion.get("contains")) {
      codes.add(contains.get("system").asText() + "|" + contains.get("code").asText());
      assertThat(contains.has("display")).isTrue();
    }
    return codes;
  }

  @Test
  void everyValueSetOfThePackageExpandsByUrlAndById() throws Exception {
    Http http = new Http(baseUrl());
    String nurse = tokens().forRole("nurse");
    List<String> checked = new ArrayList<>();
    for (String name : VALUE_SETS) {
      String url = "https://seedtrace.io/fhir/ValueSet/" + name;
      TreeSet<String> expected = composed(name);
      assertThat(expected).isNotEmpty();
      assertThat(expanded(http.get("/fhir/ValueSet/$expand?url=" + URLEncoder.encode(url, StandardCharsets.UTF_8), nurse)))
          .as(name).isEqualTo(expected);

      JsonNode found = JSON.readTree(http.get("/fhir/ValueSet?url=" + URLEncoder.encode(url, StandardCharsets.UTF_8), nurse).body());
      String id = found.get("entry").get(0).get("resource").get("id").asText();
      assertThat(expanded(http.get("/fhir/ValueSet/" + id + "/$expand", nurse))).as(name + " by id").isEqualTo(expected);
      checked.add(name);
    }
    assertThat(checked).hasSize(VALUE_SETS.size());
  }

  @Test
  void aFilterNarrowsTheExpansionAndAnUnknownValueSetIsNotFound() throws Exception {
    Http http = new Http(baseUrl());
    String admin = tokens().forRole("admin");
    TreeSet<String> mismatch = expanded(http.get("/fhir/ValueSet/$expand?url="
        + URLEncoder.encode("https://seedtrace.io/fhir/ValueSet/seed-alert-kind", StandardCharsets.UTF_8) + "&filter=mismatch", admin));
    assertThat(mismatch).contains("https://seedtrace.io/fhir/CodeSystem/seedtrace|count-mismatch");
    assertThat(mismatch.size()).isLessThan(composed("seed-alert-kind").size());
    assertThat(http.get("/fhir/ValueSet/$expand?url=" + URLEncoder.encode("https://seedtrace.io/fhir/ValueSet/none", StandardCharsets.UTF_8),
        admin).statusCode()).isEqualTo(404);
  }
}
