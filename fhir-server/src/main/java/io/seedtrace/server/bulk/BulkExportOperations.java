package io.seedtrace.server.bulk;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import io.seedtrace.server.security.CallerRights;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.IdType;

/**
 * The FHIR Bulk Data Access IG's export, asynchronous as the IG describes it:
 * <ul>
 *   <li>kick-off {@code GET} (or {@code POST} with a Parameters body) {@code /fhir/$export},
 *       {@code /fhir/Patient/$export}, {@code /fhir/Group/{id}/$export} with {@code Prefer:
 *       respond-async}: {@code 202} and {@code Content-Location} naming the status URL;</li>
 *   <li>status {@code GET /fhir/$export-poll-status?_jobId=...}: {@code 202} with
 *       {@code X-Progress} while it runs, {@code 200} and the manifest when it is done, {@code 500}
 *       with an OperationOutcome if it failed; {@code DELETE} cancels it and deletes its files;</li>
 *   <li>files {@code GET /fhir/$export-file?_jobId=...&_file=n}: NDJSON, with the same bearer token
 *       (the manifest says {@code requiresAccessToken: true}).</li>
 * </ul>
 * Status and files answer only the client that kicked the export off ({@code 404} for anybody
 * else). The authority's ledger export ({@code GET /authority/$export}, network module) is polled and
 * downloaded here too. State and files are in the shared database ({@link ExportJobs}), so any node answers.
 */
public final class BulkExportOperations {

  static final String EXPORT_DEFINITION = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export";
  static final String PATIENT_EXPORT_DEFINITION = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export";
  static final String GROUP_EXPORT_DEFINITION = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export";
  static final String NDJSON = "application/fhir+ndjson";
  /** The media type of the files of a ledger export ({@link ExportJob.Level#LEDGER}). */
  public static final String LEDGER_NDJSON = "application/x-ndjson";

  private final ExportJobs jobs;
  private final ExportWorker worker;
  private final BulkExportProperties properties;
  private final DaoRegistry daos;
  private final Clock clock;
  private final ExportRequest.Types systemTypes;
  private final ExportRequest.Types patientTypes;
  private final ExportManifest manifests = new ExportManifest();

  BulkExportOperations(FhirContext context, DaoRegistry daos, ExportJobs jobs, ExportWorker worker,
      BulkExportProperties properties, Clock clock) {
    this.jobs = jobs;
    this.worker = worker;
    this.properties = properties;
    this.daos = daos;
    this.clock = clock;
    this.systemTypes = ExportTypes.system(context, daos);
    this.patientTypes = ExportTypes.patientCompartment(context, daos);
  }

  @Operation(name = "$export", manualResponse = true, idempotent = true, canonicalUrl = EXPORT_DEFINITION)
  public void exportSystem(ServletRequestDetails request) throws IOException {
    kickOff(ExportJob.Level.SYSTEM, null, request);
  }

  @Operation(name = "$export", typeName = "Patient", manualResponse = true, idempotent = true,
      canonicalUrl = PATIENT_EXPORT_DEFINITION)
  public void exportPatients(ServletRequestDetails request) throws IOException {
    kickOff(ExportJob.Level.PATIENT, null, request);
  }

  @Operation(name = "$export", typeName = "Group", manualResponse = true, idempotent = true,
      canonicalUrl = GROUP_EXPORT_DEFINITION)
  public void exportGroup(@IdParam IIdType group, ServletRequestDetails request) throws IOException {
    kickOff(ExportJob.Level.GROUP, group.getIdPart(), request);
  }

  private void kickOff(ExportJob.Level level, String groupId, ServletRequestDetails request) throws IOException {
    CallerRights caller = callerOf();
    Set<String> readable = caller.readable(systemTypes.known());
    if (level != ExportJob.Level.SYSTEM && !readable.contains("Patient")) {
      throw new ForbiddenOperationException("a Patient or Group export needs the right to read Patient");
    }
    ExportRequest checked = ExportRequest.check(level, ExportParameters.of(request), request.getHeader("Prefer"),
        level == ExportJob.Level.SYSTEM ? systemTypes : patientTypes, readable);
    if (level == ExportJob.Level.GROUP) {
      checkGroup(groupId, readable, request);
    }
    Instant now = clock.instant();
    ExportJob job = new ExportJob(UUID.randomUUID().toString(), caller.clientId(), requestUrl(request), level, groupId,
        checked.types(), checked.since(), now, caller.seesRestricted(), ExportJob.Status.ACCEPTED, "waiting", now, null,
        null);
    if (!worker.submit(job)) {
      UnclassifiedServerFailureException busy = new UnclassifiedServerFailureException(429, "already "
          + properties.maxActivePerClient() + " export(s) of this client waiting or running; try again later");
      busy.addResponseHeader("Retry-After", "10");
      throw busy;
    }
    HttpServletResponse response = request.getServletResponse();
    response.setStatus(202);
    response.setHeader("Content-Location", statusUrl(request, job.id()));
    response.setContentLength(0);
  }

  /** The group must exist and be readable: a restricted one is hidden from non-admins (404). */
  private void checkGroup(String groupId, Set<String> readable, ServletRequestDetails request) {
    if (!readable.contains("Group")) {
      throw new ForbiddenOperationException("a Group export needs the right to read Group");
    }
    daos.getResourceDao("Group").read(new IdType("Group", groupId), request);
  }

  @Operation(name = "$export-poll-status", manualResponse = true, idempotent = true, deleteEnabled = true)
  public void status(ServletRequestDetails request) throws IOException {
    ExportJob job = ownJob(request);
    HttpServletResponse response = request.getServletResponse();
    if (request.getRequestType() == RequestTypeEnum.DELETE) {
      jobs.delete(job.id());
      response.setStatus(202);
      response.setContentLength(0);
      return;
    }
    switch (job.status()) {
      case ACCEPTED, RUNNING -> {
        response.setStatus(202);
        response.setHeader("X-Progress", job.progress() == null ? "waiting" : job.progress());
        response.setHeader("Retry-After", "2");
        response.setContentLength(0);
      }
      case FAILED -> throw new InternalErrorException(job.error());
      case COMPLETED -> {
        byte[] manifest = manifests.json(job, jobs.files(job.id()), fileUrlPrefix(request, job.id()));
        response.setStatus(200);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Expires", DateTimeFormatter.RFC_1123_DATE_TIME.format(
            job.expiresAt().atZone(ZoneOffset.UTC)));
        response.setContentLength(manifest.length);
        response.getOutputStream().write(manifest);
      }
      default -> throw new IllegalStateException("unknown export status " + job.status());
    }
  }

  @Operation(name = "$export-file", manualResponse = true, idempotent = true)
  public void file(ServletRequestDetails request) throws IOException {
    ExportJob job = ownJob(request);
    String file = ExportParameters.single(request, "_file");
    int fileNo;
    try {
      fileNo = Integer.parseInt(file == null ? "" : file);
    } catch (NumberFormatException e) {
      throw new InvalidRequestException("_file must be the number of an output file");
    }
    List<Integer> parts = job.status() == ExportJob.Status.COMPLETED ? jobs.partNumbers(job.id(), fileNo) : List.of();
    if (parts.isEmpty()) {
      throw new ResourceNotFoundException("no such export file");
    }
    HttpServletResponse response = request.getServletResponse();
    response.setStatus(200);
    // the ledger's rows are JSON objects, not FHIR resources
    response.setContentType(job.level() == ExportJob.Level.LEDGER ? LEDGER_NDJSON : NDJSON);
    response.setHeader("Cache-Control", "no-store");
    OutputStream out = response.getOutputStream();
    for (int part : parts) {
      out.write(jobs.part(job.id(), fileNo, part));
    }
    out.flush();
  }

  /** The export named by {@code _jobId}, if it is the caller's; 404 otherwise (and for expired or deleted ones). */
  private ExportJob ownJob(ServletRequestDetails request) {
    String caller = callerOf().clientId();
    String id = ExportParameters.single(request, "_jobId");
    return (id == null ? Optional.<ExportJob>empty() : jobs.find(id))
        .filter(job -> job.clientId().equals(caller))
        .orElseThrow(() -> new ResourceNotFoundException("no such bulk export (it may have expired or been deleted)"));
  }

  private static CallerRights callerOf() {
    CallerRights caller = CallerRights.current();
    if (caller.clientId() == null) {
      throw new AuthenticationException("a bearer token is required");
    }
    return caller;
  }

  /** The kick-off URL on the server's public base address (never from the request's Host header). */
  private static String requestUrl(ServletRequestDetails request) {
    String query = request.getServletRequest().getQueryString();
    return request.getFhirServerBase() + "/" + request.getRequestPath() + (query == null ? "" : "?" + query);
  }

  private static String statusUrl(ServletRequestDetails request, String jobId) {
    return request.getFhirServerBase() + "/$export-poll-status?_jobId=" + jobId;
  }

  private static String fileUrlPrefix(ServletRequestDetails request, String jobId) {
    return request.getFhirServerBase() + "/$export-file?_jobId=" + jobId + "&_file=";
  }
}
