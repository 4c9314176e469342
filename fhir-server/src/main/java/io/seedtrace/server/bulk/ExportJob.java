package io.seedtrace.server.bulk;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One Bulk Data export as kicked off: who asked, what for, with which rights (fixed at kick-off),
 * and how far it is.
 *
 * @param types the resource types to export, already narrowed to what the client may read
 * @param since only resources changed after it ({@code _since}), or null
 * @param transactionTime resources changed after it are left out (the manifest's transactionTime)
 * @param seesRestricted whether resources labelled restricted are exported (admin role only)
 * @param progress a short text for {@code X-Progress} while it runs
 * @param expiresAt when a finished export is deleted; null while it runs
 */
public record ExportJob(String id, String clientId, String requestUrl, Level level, String groupId, List<String> types,
    Instant since, Instant transactionTime, boolean seesRestricted, Status status, String progress, Instant createdAt,
    Instant expiresAt, String error) {

  /**
   * What is exported: everything, the Patient compartment, the compartments of a Group's members, or
   * the rows of the authority's source ledger (an {@link ExportSource}, not FHIR resources).
   */
  public enum Level { SYSTEM, PATIENT, GROUP, LEDGER }

  public enum Status { ACCEPTED, RUNNING, COMPLETED, FAILED }

  public ExportJob {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(level, "level");
    types = List.copyOf(types);
    if (level == Level.GROUP && (groupId == null || groupId.isBlank())) {
      throw new IllegalArgumentException("a group export needs the group's id");
    }
  }

  /** Whether the export is still waiting or running. */
  public boolean active() {
    return status == Status.ACCEPTED || status == Status.RUNNING;
  }
}
