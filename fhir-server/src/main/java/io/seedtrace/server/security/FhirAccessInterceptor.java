package io.seedtrace.server.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.util.ICachedSearchDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilder;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces {@link FhirAccessMatrix} inside the FHIR server, with HAPI's authorization engine, so
 * that reads, searches (including {@code _include}d resources and every type a search filters on
 * through chains, {@code _has} and sorts), writes and every entry of a transaction are checked. A
 * denied request gets HTTP 403 with an OperationOutcome.
 */
public class FhirAccessInterceptor extends AuthorizationInterceptor {

  private static final Logger LOG = LoggerFactory.getLogger(FhirAccessInterceptor.class);
  private final Set<String> knownTypes;
  private final SearchReach reach;
  /** Few distinct role and scope combinations exist; the bound only guards against odd tokens. */
  private final Cache<RightsKey, List<IAuthRule>> rulesByRights = Caffeine.newBuilder().maximumSize(256).build();

  public FhirAccessInterceptor(FhirContext context) {
    super(PolicyEnum.DENY);
    this.knownTypes = new TreeSet<>(context.getResourceTypes());
    this.reach = new SearchReach(context);
  }

  /**
   * The rules of a caller, built once per set of roles and token scopes: they depend on nothing
   * else (not on the caller's identity, a patient or the request; the matrix and the known types are
   * fixed), and building them anew took a rule per readable and writable type on every request.
   */
  @Override
  public List<IAuthRule> buildRuleList(RequestDetails request) {
    CallerRights caller = CallerRights.current();
    return rulesByRights.get(new RightsKey(Set.copyOf(caller.roles()), caller.scopeValues()), k -> build(caller));
  }

  /** What the rules of a caller are made from: its roles and its token's scope values as sent. */
  private record RightsKey(Set<Role> roles, List<String> scopeValues) {}

  private List<IAuthRule> build(CallerRights caller) {
    Set<Role> roles = caller.roles();
    IAuthRuleBuilder rules = new RuleBuilder();
    rules.allow("capabilities").metadata();
    Optional<SmartScopes.Grant> scopes = caller.scopes();
    if (caller.unrestricted()) {
      return List.copyOf(rules.allowAll("admin").build());
    }
    Set<String> readable = caller.readable(knownTypes);
    Set<String> writable = new TreeSet<>();
    boolean delete = false;
    for (Role role : roles) {
      FhirAccessMatrix.Rights rights = FhirAccessMatrix.rightsOf(role);
      for (String type : knownTypes) {
        if (rights.canWrite(type) && scopes.map(g -> g.canWrite(type)).orElse(true)) {
          writable.add(type);
        }
      }
      delete |= rights.delete();
    }
    for (String type : readable) {
      rules.allow("read " + type).read().resourcesOfType(type).withAnyId();
    }
    for (String type : writable) {
      rules.allow("write " + type).write().resourcesOfType(type).withAnyId();
      rules.allow("create " + type).create().resourcesOfType(type).withAnyId();
    }
    if (delete) {
      for (String type : knownTypes) {
        if (scopes.map(g -> g.canDelete(type)).orElse(true)) {
          rules.allow("delete " + type).delete().resourcesOfType(type).withAnyId();
        }
      }
    }
    for (java.util.Map.Entry<String, Set<Role>> op : FhirAccessMatrix.operations().entrySet()) {
      boolean byRole = roles.contains(Role.ADMIN) || op.getValue().stream().anyMatch(roles::contains);
      if (!byRole || !scopes.map(SmartScopes.Grant::allowsOperations).orElse(true)) {
        continue;
      }
      String name = op.getKey();
      var named = rules.allow("operation " + name).operation().named("$" + name);
      if (FhirAccessMatrix.SERVER_OPERATIONS.contains(name)) {
        named.onServer().andAllowAllResponses();
      } else if (FhirAccessMatrix.TYPE_OPERATIONS.contains(name)) {
        named.onType(org.hl7.fhir.r4.model.Device.class).andAllowAllResponses();
      } else {
        named.onInstancesOfType(org.hl7.fhir.r4.model.Device.class).andAllowAllResponses();
      }
    }
    if (roles.stream().anyMatch(FhirAccessMatrix.SUBSCRIBERS::contains)
        && scopes.map(g -> g.canWrite("Subscription")).orElse(true)) {
      rules.allow("create Subscription").create().resourcesOfType("Subscription").withAnyId();
    }
    if (!roles.isEmpty()) {
      // terminology questions about our (public) conformance resources, for every role
      for (String name : List.of("$expand", "$validate-code")) {
        rules.allow("terminology " + name).operation().named(name).onType(org.hl7.fhir.r4.model.ValueSet.class)
            .andAllowAllResponses();
        rules.allow("terminology " + name + " on instance").operation().named(name)
            .onInstancesOfType(org.hl7.fhir.r4.model.ValueSet.class).andAllowAllResponses();
      }
      for (String name : List.of("$lookup", "$validate-code", "$subsumes")) {
        rules.allow("terminology " + name + " on CodeSystem").operation().named(name)
            .onType(org.hl7.fhir.r4.model.CodeSystem.class).andAllowAllResponses();
      }
    }
    if (!roles.isEmpty()) {
      allowBulkExport(rules);
    }
    if (!readable.isEmpty() || !writable.isEmpty()) {
      rules.allow("transaction").transaction().withAnyOperation().andApplyNormalRules();
    }
    return List.copyOf(rules.denyAll("not permitted for roles " + roles
        + (scopes.isPresent() ? " with scopes " + caller.scopeValues() : "")).build());
  }

  /**
   * Bulk Data export: the operations themselves export only the types the caller may read
   * ({@link CallerRights#readable}) and refuse the rest, so here every role may call them.
   */
  private static void allowBulkExport(IAuthRuleBuilder rules) {
    rules.allow("bulk export").operation().named("$export").onServer().andAllowAllResponses();
    rules.allow("bulk export of patients").operation().named("$export")
        .onType(org.hl7.fhir.r4.model.Patient.class).andAllowAllResponses();
    rules.allow("bulk export of a group").operation().named("$export")
        .onInstancesOfType(org.hl7.fhir.r4.model.Group.class).andAllowAllResponses();
    for (String name : FhirAccessMatrix.BULK_EXPORT_STATUS_OPERATIONS) {
      rules.allow("bulk export " + name).operation().named(name).onServer().andAllowAllResponses();
    }
  }

  /**
   * A search may only filter on types the caller may read: the targets of its chains, reverse
   * chains ({@code _has}) and chained sorts ({@link SearchReach}) are checked here, at the storage
   * layer, so REST searches, {@code _search} by POST and {@code _summary=count} are all covered.
   */
  @Hook(Pointcut.STORAGE_PRESEARCH_REGISTERED)
  public void checkSearchReach(RequestDetails request, SearchParameterMap map, ICachedSearchDetails search) {
    if (request instanceof SystemRequestDetails) {
      return;
    }
    CallerRights caller = CallerRights.current();
    if (caller.unrestricted()) {
      return;
    }
    Set<Role> roles = caller.roles();
    Set<String> readable = caller.readable(knownTypes);
    String searched = search != null && search.getResourceType() != null ? search.getResourceType()
        : request == null ? null : request.getResourceName();
    Set<String> refused = new TreeSet<>();
    for (String type : reach.typesReached(searched, map)) {
      boolean allowed = type.equals(SearchReach.ANY) ? readable.containsAll(knownTypes) : readable.contains(type);
      if (!allowed) {
        refused.add(type.equals(SearchReach.ANY) ? "a type that cannot be determined" : type);
      }
    }
    if (!refused.isEmpty()) {
      String message = "the search reads " + String.join(", ", refused) + " (chained, _has or sort parameters), which roles "
          + roles + " may not read";
      LOG.warn("403 {} /fhir/{}: {}", request == null ? "?" : request.getRequestType(),
          request == null ? "?" : request.getRequestPath(), message);
      throw new ForbiddenOperationException(message);
    }
  }

  /** A refusal is logged once, at WARN, with what was refused and the rule that refused it. */
  @Override
  protected void handleDeny(RequestDetails request, Verdict verdict) {
    try {
      super.handleDeny(request, verdict);
    } catch (ForbiddenOperationException refused) {
      LOG.warn("403 {} /fhir/{} for roles {}: {}", request.getRequestType(), request.getRequestPath(),
          CallerRights.current().roles(), refused.getMessage());
      throw refused;
    }
  }
}
