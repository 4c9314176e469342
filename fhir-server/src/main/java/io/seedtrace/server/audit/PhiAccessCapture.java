package io.seedtrace.server.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Parameters;

/**
 * Notices, on the request thread, every read, vread, search, history and operation whose answer
 * holds patient data (a Patient, or a resource of the Patient compartment that names one), and
 * every search or history of a Patient-compartment type even when it found nothing (the question
 * itself is about patients). It only takes the few strings an AuditEvent needs and hands them to
 * the queue ({@link AuditBatchWriter#offer}), which waits only when the queue is full
 * (back-pressure); the journal writer stores them and the converter turns them into events.
 *
 * <p>The answer is taken as sent ({@code SERVER_OUTGOING_RESPONSE}, after the access checks have
 * filtered it) and queued only once the request completed normally, so refused requests record
 * nothing here. AuditEvents themselves are not PHI access for this purpose: reading them is for
 * {@code admin} and {@code auditor} only, and recording it would make the audit log grow with
 * every look at it. The writer stores events through the DAO, not over REST, so writing audit
 * events never passes here.
 */
@Interceptor
public final class PhiAccessCapture {

  private static final String CAPTURED = PhiAccessCapture.class.getName() + ".access";
  private static final Set<RestOperationTypeEnum> READS = EnumSet.of(RestOperationTypeEnum.READ,
      RestOperationTypeEnum.VREAD);
  private static final Set<RestOperationTypeEnum> QUERIES = EnumSet.of(RestOperationTypeEnum.SEARCH_TYPE,
      RestOperationTypeEnum.SEARCH_SYSTEM, RestOperationTypeEnum.GET_PAGE, RestOperationTypeEnum.HISTORY_INSTANCE,
      RestOperationTypeEnum.HISTORY_TYPE, RestOperationTypeEnum.HISTORY_SYSTEM,
      RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE, RestOperationTypeEnum.EXTENDED_OPERATION_TYPE,
      RestOperationTypeEnum.EXTENDED_OPERATION_SERVER);

  private final PatientLinks links;
  private final Predicate<PhiAccess> queue;

  public PhiAccessCapture(FhirContext fhir, Predicate<PhiAccess> queue) {
    this.links = new PatientLinks(fhir);
    this.queue = queue;
  }

  @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
  public void answered(RequestDetails request, ResponseDetails response) {
    RestOperationTypeEnum operation = request.getRestOperationType();
    boolean read = READS.contains(operation);
    if (!(read || QUERIES.contains(operation)) || "AuditEvent".equals(request.getResourceName())) {
      return;
    }
    List<String> data = new ArrayList<>();
    Set<String> patients = new TreeSet<>();
    disclosed(response.getResponseResource(), data, patients);
    boolean askedAboutPatients = !read && operation != RestOperationTypeEnum.GET_PAGE
        && links.patientLinked(request.getResourceName());
    if (patients.isEmpty() && !askedAboutPatients) {
      return;
    }
    request.getUserData().put(CAPTURED, access(request, interaction(operation), read, read ? data : List.of(), patients));
  }

  @Hook(Pointcut.SERVER_PROCESSING_COMPLETED_NORMALLY)
  public void completed(RequestDetails request) {
    if (request.getUserData().remove(CAPTURED) instanceof PhiAccess access) {
      queue.test(access);
    }
  }

  /** The resources an answer shows (a Bundle's entries, an operation's output parameters) and their patients. */
  private void disclosed(IBaseResource answer, List<String> data, Set<String> patients) {
    if (answer instanceof Bundle bundle) {
      for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
        disclosed(entry.getResource(), data, patients);
      }
    } else if (answer instanceof Parameters parameters) {
      for (Parameters.ParametersParameterComponent p : parameters.getParameter()) {
        disclosed(p.getResource(), data, patients);
      }
    } else if (answer != null && !"AuditEvent".equals(answer.fhirType()) && !"OperationOutcome".equals(answer.fhirType())) {
      List<String> owners = links.patientsOf(answer);
      if (!owners.isEmpty()) {
        patients.addAll(owners);
        data.add(answer.getIdElement().toUnqualifiedVersionless().getValue());
      }
    }
  }

  private static PhiAccess access(RequestDetails request, String interaction, boolean read, List<String> data,
      Set<String> patients) {
    Requester who = Requester.current(request instanceof ServletRequestDetails servlet ? servlet.getServletRequest()
        : null);
    return new PhiAccess(interaction, read, Instant.now(), who.user(), who.issuer(), who.client(), who.address(),
        String.valueOf(request.getFhirServerBase()), QueryText.of(request), data, new ArrayList<>(patients));
  }

  /** The restful-interaction code; paging continues a search, every extended operation is {@code operation}. */
  static String interaction(RestOperationTypeEnum operation) {
    return switch (operation) {
      case GET_PAGE -> RestOperationTypeEnum.SEARCH_TYPE.getCode();
      case EXTENDED_OPERATION_INSTANCE, EXTENDED_OPERATION_TYPE, EXTENDED_OPERATION_SERVER -> "operation";
      default -> operation.getCode();
    };
  }

}
