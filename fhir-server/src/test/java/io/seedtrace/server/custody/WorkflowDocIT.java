package io.seedtrace.server.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.seedtrace.server.fhir.ProfileValidationInterceptor;
import io.seedtrace.server.support.ServerTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The examples of docs/workflow.md parse as FHIR and conform to the profiles they claim. */
class WorkflowDocIT extends ServerTestBase {

  @Autowired
  ProfileValidationInterceptor validation;

  @Test
  void everyJsonExampleParsesAndValidates() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "workflow.md"));
    Matcher m = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(doc);
    List<String> blocks = new ArrayList<>();
    while (m.find()) {
      blocks.add(m.group(1));
    }
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(10);
    int profiled = 0;
    for (String json : blocks) {
      IBaseResource resource = FHIR.newJsonParser().parseResource(json);
      if (!resource.getMeta().getProfile().isEmpty()) {
        profiled++;
        assertThatCode(() -> validation.check(resource)).as(json).doesNotThrowAnyException();
      }
    }
    assertThat(profiled).isGreaterThanOrEqualTo(3);
  }
}
