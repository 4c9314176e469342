package io.seedtrace.server.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.model.api.IQueryParameterType;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.param.HasParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The resource types a search reads besides the one it returns: the targets of chained parameters
 * ({@code subject:Patient.family}, {@code subject.organization.name}), of reverse chains
 * ({@code _has:Patient:organization:birthdate}, nested), and of chained sorts
 * ({@code _sort=subject.family}). A search filters on the data of each, so a caller must be allowed
 * to read each: otherwise {@code _summary=count} answers questions about resources the caller may
 * not see. A chain whose target cannot be determined (an unknown parameter, a reference to any
 * type) reaches "*", which only a caller who reads everything passes. {@code _filter} is not
 * analysed and reaches "*" too. Usage:
 * <pre>{@code Set<String> reached = new SearchReach(fhirContext).typesReached("Observation", map);}</pre>
 */
public final class SearchReach {

  /** Stands for "a type that could not be determined". */
  public static final String ANY = "*";

  private final FhirContext context;

  public SearchReach(FhirContext context) {
    this.context = context;
  }

  /** The types the search's parameters reach beyond {@code searchedType} itself (which is not included). */
  public Set<String> typesReached(String searchedType, SearchParameterMap map) {
    Set<String> reached = new TreeSet<>();
    for (Map.Entry<String, List<List<IQueryParameterType>>> param : map.entrySet()) {
      String name = param.getKey();
      if (name.equals("_filter")) {
        reached.add(ANY);
      }
      for (List<IQueryParameterType> ors : param.getValue()) {
        for (IQueryParameterType value : ors) {
          if (value instanceof HasParam has) {
            reached.add(has.getTargetResourceType());
            follow(has.getTargetResourceType(), has.getParameterName(), reached);
          } else if (value instanceof ReferenceParam reference && reference.hasChain()) {
            follow(searchedType, name + (reference.hasResourceType() ? ":" + reference.getResourceType() : "") + "."
                + reference.getChain(), reached);
          }
        }
      }
    }
    for (SortSpec sort = map.getSort(); sort != null; sort = sort.getChain()) {
      if (sort.getParamName() != null && sort.getParamName().contains(".")) {
        follow(searchedType, sort.getParamName(), reached);
      }
    }
    return reached;
  }

  /** Follows one parameter expression ({@code a:T.b.c}, {@code _has:T:ref:expr}) from {@code type}. */
  private void follow(String type, String expression, Set<String> reached) {
    if (type == null || expression == null || expression.isEmpty()) {
      return;
    }
    if (expression.startsWith("_has:")) {
      String[] parts = expression.split(":", 4);
      if (parts.length < 4) {
        reached.add(ANY);
        return;
      }
      reached.add(parts[1]);
      follow(parts[1], parts[3], reached);
      return;
    }
    int dot = expression.indexOf('.');
    if (dot < 0) {
      return;
    }
    String head = expression.substring(0, dot);
    String tail = expression.substring(dot + 1);
    String paramName = head.contains(":") ? head.substring(0, head.indexOf(':')) : head;
    String qualifier = head.contains(":") ? head.substring(head.indexOf(':') + 1) : null;
    Set<String> targets = new TreeSet<>();
    if (qualifier != null && context.getResourceTypes().contains(qualifier)) {
      targets.add(qualifier);
    } else {
      targets.addAll(targetsOf(type, paramName));
    }
    if (targets.isEmpty()) {
      reached.add(ANY);
      return;
    }
    for (String target : targets) {
      reached.add(target);
      follow(target, tail, reached);
    }
  }

  private Set<String> targetsOf(String type, String paramName) {
    if (!context.getResourceTypes().contains(type)) {
      return Set.of();
    }
    RuntimeResourceDefinition definition = context.getResourceDefinition(type);
    RuntimeSearchParam param = definition.getSearchParam(paramName);
    if (param == null || param.getParamType() != RestSearchParameterTypeEnum.REFERENCE) {
      return Set.of();
    }
    return param.hasTargets() ? param.getTargets() : Set.of();
  }
}
