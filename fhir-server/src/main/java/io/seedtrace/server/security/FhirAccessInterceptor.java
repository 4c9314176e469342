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
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

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

  public FhirAccessInterceptor(FhirContext context) {
    super(PolicyEnum.DENY);
    this.knownTypes = new TreeSet<>(context.getResourceTypes());
    this.reach = new SearchReach(context);
  }

  @Override
  public List<IAuthRule> buildRuleList(RequestDetails request) {
    Set<Role> roles = currentRoles();
    IAuthRuleBuilder rules = new RuleBuilder();
    rules.allow("capabilities").metadata();
    Optional<SmartScopes.Grant> scopes = currentScopes();
    if (roles.contains(Role.ADMIN) && scopes.isEmpty()) {
      return rules.allowAll("admin").build();
    }
    Set<String> readable = readable(roles, scopes);
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
    if (!readable.isEmpty() || !writable.isEmpty()) {
      rules.allow("transaction").transaction().withAnyOperation().andApplyNormalRules();
    }
    return rules.denyAll("not permitted for roles " + roles
        + (scopes.isPresent() ? " with scopes " + scopeValues() : "")).build();
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
    Set<Role> roles = currentRoles();
    Optional<SmartScopes.Grant> scopes = currentScopes();
    if (roles.contains(Role.ADMIN) && scopes.isEmpty()) {
      return;
    }
    Set<String> readable = readable(roles, scopes);
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

  /**
   * Types the roles may read, narrowed by the token's SMART scopes if it has any (conformance
   * resources stay readable: they describe the server, not patients).
   */
  private Set<String> readable(Set<Role> roles, Optional<SmartScopes.Grant> scopes) {
    Set<String> readable = new TreeSet<>();
    for (Role role : roles) {
      FhirAccessMatrix.Rights rights = FhirAccessMatrix.rightsOf(role);
      for (String type : knownTypes) {
        boolean scoped = FhirAccessMatrix.CONFORMANCE.contains(type) || scopes.map(g -> g.canRead(type)).orElse(true);
        if (rights.canRead(type) && scoped) {
          readable.add(type);
        }
      }
    }
    return readable;
  }

  /** A refusal is logged once, at WARN, with what was refused and the rule that refused it. */
  @Override
  protected void handleDeny(RequestDetails request, Verdict verdict) {
    try {
      super.handleDeny(request, verdict);
    } catch (ForbiddenOperationException refused) {
      LOG.warn("403 {} /fhir/{} for roles {}: {}", request.getRequestType(), request.getRequestPath(), currentRoles(),
          refused.getMessage());
      throw refused;
    }
  }

  /** The SMART system scopes of the current token, if it carries any. */
  private static Optional<SmartScopes.Grant> currentScopes() {
    return SmartScopes.grantOf(scopeValues());
  }

  private static List<String> scopeValues() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (!(authentication instanceof JwtAuthenticationToken jwt)) {
      return List.of();
    }
    List<String> values = new ArrayList<>();
    for (String claim : List.of("scope", "scp")) {
      Object value = jwt.getToken().getClaims().get(claim);
      if (value instanceof Collection<?> c) {
        c.forEach(v -> values.add(String.valueOf(v)));
      } else if (value instanceof String s) {
        values.addAll(List.of(s.trim().split("\\s+")));
      }
    }
    return values;
  }

  private static Set<Role> currentRoles() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    Set<Role> roles = EnumSet.noneOf(Role.class);
    if (authentication != null) {
      for (GrantedAuthority authority : authentication.getAuthorities()) {
        Role.fromAuthority(authority.getAuthority()).ifPresent(roles::add);
      }
    }
    return roles;
  }
}
