package io.seedtrace.server.bulk;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.util.FhirTerser;
import io.seedtrace.server.security.RestrictedResourceGuard;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;

/**
 * Runs one claimed export: for each of its types, pages through the stored resources changed in
 * ({@code _since}, transactionTime], keeps those of the export's patients (Patient and Group level),
 * and writes them as NDJSON. The caller's rights were fixed at kick-off: the types are those it may
 * read, and unless it is an administrator, resources labelled restricted are excluded from every
 * search and dropped if one still comes back, exactly as {@link RestrictedResourceGuard} hides them
 * from a REST search. Returns false if the export was deleted or taken over meanwhile.
 */
final class ExportRunner {

  private final FhirContext context;
  private final DaoRegistry daos;
  private final ExportJobs jobs;
  private final BulkExportProperties properties;
  private final Clock clock;
  /** The rows of a {@link ExportJob.Level#LEDGER} export; null on a node that keeps no ledger. */
  private final ExportSource ledger;

  ExportRunner(FhirContext context, DaoRegistry daos, ExportJobs jobs, BulkExportProperties properties, Clock clock,
      ExportSource ledger) {
    this.ledger = ledger;
    this.context = context;
    this.daos = daos;
    this.jobs = jobs;
    this.properties = properties;
    this.clock = clock;
  }

  /** An export that ran longer than {@link BulkExportProperties#maxDuration()}; its message is for the client. */
  static final class TooLong extends RuntimeException {
    TooLong(String message) {
      super(message);
    }
  }

  boolean run(ExportJob job, String owner) {
    Instant deadline = clock.instant().plus(properties.maxDuration());
    NdjsonOutput output = new NdjsonOutput(jobs, job.id(), context.newJsonParser().setPrettyPrint(false),
        (int) Math.min(Integer.MAX_VALUE, properties.partSize().toBytes()), properties.resourcesPerFile());
    Set<String> members = job.level() == ExportJob.Level.GROUP ? groupMembers(job) : null;
    List<String> types = job.types();
    for (int i = 0; i < types.size(); i++) {
      String progress = "exporting " + types.get(i) + " (type " + (i + 1) + " of " + types.size() + "), "
          + output.written() + " resources so far";
      boolean exported = job.level() == ExportJob.Level.LEDGER
          ? renew(job, owner, deadline, progress) && exportRows(job, owner, deadline, types.get(i), output)
          : renew(job, owner, deadline, progress) && exportType(job, owner, deadline, types.get(i), members, output);
      if (!exported) {
        return false;
      }
    }
    output.flush();
    return true;
  }

  private boolean exportType(ExportJob job, String owner, Instant deadline, String type, Set<String> members,
      NdjsonOutput output) {
    SearchParameterMap map = new SearchParameterMap();
    map.setLastUpdated(new DateRangeParam(
        job.since() == null ? null : new DateParam(ParamPrefixEnum.GREATERTHAN, Date.from(job.since())),
        new DateParam(ParamPrefixEnum.LESSTHAN_OR_EQUALS, Date.from(job.transactionTime()))));
    if (!job.seesRestricted()) {
      RestrictedResourceGuard.excludeRestricted(map);
    }
    IBundleProvider found = daos.getResourceDao(type).search(map, new SystemRequestDetails());
    FhirTerser terser = context.newTerser();
    for (int from = 0; ; from += properties.pageSize()) {
      List<IBaseResource> page = found.getResources(from, from + properties.pageSize());
      if (page.isEmpty()) {
        return true;
      }
      for (IBaseResource resource : page) {
        boolean hidden = !job.seesRestricted() && RestrictedResourceGuard.isRestricted(resource);
        if (!hidden && ofTheExportedPatients(job, resource, members, terser)) {
          output.write(type, resource);
        }
      }
      if (!renew(job, owner, deadline, "exporting " + type + ", " + output.written() + " resources so far")) {
        return false;
      }
    }
  }

  /** The rows of one type of the ledger, page by page in the source's order. */
  private boolean exportRows(ExportJob job, String owner, Instant deadline, String type, NdjsonOutput output) {
    if (ledger == null) {
      throw new IllegalStateException("a ledger export reached a node that keeps no source ledger");
    }
    ExportSource.Row last = null;
    while (true) {
      List<ExportSource.Row> page = ledger.page(type, job.since(), job.transactionTime(), last, properties.pageSize());
      for (ExportSource.Row row : page) {
        output.writeLine(type, row.json());
      }
      if (page.size() < properties.pageSize()) {
        return true;
      }
      last = page.get(page.size() - 1);
      if (!renew(job, owner, deadline, "exporting " + type + ", " + output.written() + " rows so far")) {
        return false;
      }
    }
  }

  /** Every resource for a system export; for Patient and Group level, those in a wanted patient's compartment. */
  private static boolean ofTheExportedPatients(ExportJob job, IBaseResource resource, Set<String> members,
      FhirTerser terser) {
    if (job.level() == ExportJob.Level.SYSTEM) {
      return true;
    }
    List<IIdType> owners = resource.getIdElement().getResourceType().equals("Patient")
        ? List.of(resource.getIdElement())
        : terser.getCompartmentOwnersForResource("Patient", resource, Set.of());
    return members == null ? !owners.isEmpty() : owners.stream().anyMatch(id -> members.contains(id.getIdPart()));
  }

  /** The ids of the Patients among the group's members (checked readable and existing at kick-off). */
  private Set<String> groupMembers(ExportJob job) {
    Group group = (Group) daos.getResourceDao("Group").read(
        new IdType("Group", job.groupId()), new SystemRequestDetails());
    return group.getMember().stream()
        .map(member -> member.getEntity().getReferenceElement())
        .filter(ref -> "Patient".equals(ref.getResourceType()) && ref.hasIdPart())
        .map(IIdType::getIdPart)
        .collect(Collectors.toSet());
  }

  private boolean renew(ExportJob job, String owner, Instant deadline, String progress) {
    Instant now = clock.instant();
    if (now.isAfter(deadline)) {
      throw new TooLong("the export took longer than " + properties.maxDuration() + " and was stopped;"
          + " export fewer types or use _since");
    }
    return jobs.renew(job.id(), owner, now.plus(properties.lease()), progress);
  }
}
