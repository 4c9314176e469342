package io.seedtrace.server.bulk;

import java.time.Instant;
import java.util.List;

/**
 * Rows exported by the Bulk Data mechanism that are not FHIR resources of the server's storage (the
 * authority's source ledger, {@link ExportJob.Level#LEDGER}). The export runs, is polled and is
 * downloaded exactly as a FHIR {@code $export} ({@link ExportWorker}, {@link BulkExportOperations});
 * only the rows come from here, a page at a time in a stable order, so that a long export holds one
 * page in memory and renews its lease between pages.
 */
public interface ExportSource {

  /**
   * One exported row: its JSON (one line, no line break) and its position, handed back to
   * {@link #page} to continue after it.
   */
  record Row(Object position, String json) {}

  /** The types of row this source exports (the manifest's {@code type} of each file), in export order. */
  List<String> types();

  /**
   * Up to {@code limit} rows of {@code type} changed after {@code since} (null: from the beginning)
   * and not after {@code until} (the export's transactionTime), in the source's order, after the
   * row {@code after} (null: from the first).
   */
  List<Row> page(String type, Instant since, Instant until, Row after, int limit);
}
