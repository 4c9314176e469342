package io.seedtrace.server.bulk;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * FHIR Bulk Data export ({@code seedtrace.fhir.bulk-export.*}).
 *
 * @param maxActivePerClient exports of one client that may be waiting or running at once; one more
 *     is refused with 429
 * @param retention how long the files of a finished export are kept (then the export is deleted and
 *     its status answers 404)
 * @param pageSize resources read from the database at a time
 * @param partSize NDJSON collected in memory before it is written to the database as one part of a
 *     file (a download streams the parts one by one)
 * @param resourcesPerFile resources in one output file; more of one type go into further files
 * @param workers exports this node runs at the same time
 * @param pollInterval how often a node looks for waiting exports (and deletes expired ones)
 * @param lease how long a node holds a running export without progress before another node takes it
 *     over and starts it again (the node that ran it has died)
 * @param maxDuration an export still running after this long is stopped and answers as failed
 */
@ConfigurationProperties("seedtrace.fhir.bulk-export")
public record BulkExportProperties(
    @DefaultValue("2") int maxActivePerClient,
    @DefaultValue("2h") Duration retention,
    @DefaultValue("200") int pageSize,
    @DefaultValue("1MB") DataSize partSize,
    @DefaultValue("50000") int resourcesPerFile,
    @DefaultValue("1") int workers,
    @DefaultValue("2s") Duration pollInterval,
    @DefaultValue("2m") Duration lease,
    @DefaultValue("1h") Duration maxDuration) {

  public BulkExportProperties {
    if (maxActivePerClient < 1 || pageSize < 1 || resourcesPerFile < 1 || workers < 1) {
      throw new IllegalArgumentException("seedtrace.fhir.bulk-export: max-active-per-client, page-size,"
          + " resources-per-file and workers must be at least 1");
    }
    if (lease.compareTo(pollInterval.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("seedtrace.fhir.bulk-export.lease (" + lease
          + ") must be at least twice poll-interval (" + pollInterval + ")");
    }
  }
}
