package io.seedtrace.server.bulk;

import ca.uhn.fhir.parser.IParser;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Writes an export's resources as NDJSON files of one type each, into the database part by part:
 * at most one part (about {@code partBytes}) is held in memory; a type with more than
 * {@code resourcesPerFile} resources continues in a further file.
 */
final class NdjsonOutput {

  private final ExportJobs jobs;
  private final String jobId;
  private final IParser parser;
  private final int partBytes;
  private final int resourcesPerFile;
  private final ByteArrayOutputStream part = new ByteArrayOutputStream();
  private String type;
  private int fileNo;
  private int partNo;
  private int inFile;
  private int inPart;
  private long written;

  NdjsonOutput(ExportJobs jobs, String jobId, IParser compactJson, int partBytes, int resourcesPerFile) {
    this.jobs = jobs;
    this.jobId = jobId;
    this.parser = compactJson;
    this.partBytes = partBytes;
    this.resourcesPerFile = resourcesPerFile;
  }

  void write(String resourceType, IBaseResource resource) {
    // compact JSON has no line breaks (those in strings are escaped): one resource, one line
    writeLine(resourceType, parser.encodeResourceToString(resource));
  }

  /** Writes one row that is already compact JSON (no line break) to the file of {@code rowType}. */
  void writeLine(String rowType, String json) {
    if (!rowType.equals(type) || inFile >= resourcesPerFile) {
      flush();
      type = rowType;
      fileNo++;
      partNo = 0;
      inFile = 0;
    }
    part.writeBytes(json.getBytes(StandardCharsets.UTF_8));
    part.write('\n');
    inFile++;
    inPart++;
    written++;
    if (part.size() >= partBytes) {
      flush();
    }
  }

  /** Stores what is held in memory as the next part of the current file. */
  void flush() {
    if (inPart == 0) {
      return;
    }
    partNo++;
    jobs.appendPart(jobId, fileNo, partNo, type, inPart, part.toByteArray());
    part.reset();
    inPart = 0;
  }

  long written() {
    return written;
  }
}
