package io.seedtrace.server.bulk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The complete-status body of the Bulk Data IG: transactionTime, the kick-off request, that the
 * files need the bearer token, one output entry per file (type, url, count) and no error files
 * (a failed export answers 500 with an OperationOutcome instead).
 */
final class ExportManifest {

  private final ObjectMapper json = new ObjectMapper();

  byte[] json(ExportJob job, List<ExportJobs.OutputFile> files, String fileUrlPrefix) {
    ObjectNode manifest = json.createObjectNode();
    manifest.put("transactionTime", job.transactionTime().toString());
    manifest.put("request", job.requestUrl());
    manifest.put("requiresAccessToken", true);
    ArrayNode output = manifest.putArray("output");
    for (ExportJobs.OutputFile file : files) {
      output.addObject().put("type", file.type()).put("url", fileUrlPrefix + file.fileNo()).put("count", file.count());
    }
    manifest.putArray("error");
    try {
      return json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
