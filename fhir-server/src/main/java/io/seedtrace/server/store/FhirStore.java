package io.seedtrace.server.store;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.api.model.DaoMethodOutcome;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.SortOrderEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import io.seedtrace.server.fhir.ProfileValidationInterceptor;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Resource;

/**
 * The custody operations' access to the FHIR store. Writes are made by the server itself (the
 * caller's role was checked when the operation was invoked), validated against our profiles first,
 * and the multi-resource steps go through one transaction so a step is stored whole or not at all.
 */
public final class FhirStore {

  private final DaoRegistry daos;
  private final IFhirSystemDao<Bundle, Meta> system;
  private final ProfileValidationInterceptor validator;

  public FhirStore(DaoRegistry daos, IFhirSystemDao<Bundle, Meta> system, ProfileValidationInterceptor validator) {
    this.daos = daos;
    this.system = system;
    this.validator = validator;
  }

  public <T extends IBaseResource> T read(Class<T> type, String id) {
    return daos.getResourceDao(type).read(new IdType(id), new SystemRequestDetails());
  }

  public <T extends IBaseResource> Optional<T> readOptional(Class<T> type, String id) {
    try {
      return Optional.of(read(type, id));
    } catch (ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException
        | ca.uhn.fhir.rest.server.exceptions.ResourceGoneException absent) {
      return Optional.empty();
    }
  }

  @SuppressWarnings("unchecked")
  public <T extends IBaseResource> List<T> search(Class<T> type, SearchParameterMap map) {
    map.setLoadSynchronous(true);
    return (List<T>) (List<?>) daos.getResourceDao(type).search(map, new SystemRequestDetails()).getAllResources();
  }

  public <T extends IBaseResource> List<T> byIdentifier(Class<T> type, String system, String value) {
    return search(type, new SearchParameterMap().add("identifier", new TokenParam(system, value)));
  }

  public <T extends IBaseResource> List<T> byReference(Class<T> type, String param, String reference) {
    return search(type, new SearchParameterMap().add(param, new ReferenceParam(reference)));
  }

  /** The resources whose {@code param} refers to any of {@code references} (one indexed OR search). */
  public <T extends IBaseResource> List<T> byAnyReference(Class<T> type, String param, Collection<String> references) {
    if (references.isEmpty()) {
      return List.of();
    }
    ReferenceOrListParam any = new ReferenceOrListParam();
    references.forEach(r -> any.addOr(new ReferenceParam(r)));
    return search(type, new SearchParameterMap().add(param, any));
  }

  /** The {@code count} resources of a type updated last, newest first (the type's last-updated index). */
  public <T extends IBaseResource> List<T> newest(Class<T> type, int count) {
    SearchParameterMap map = new SearchParameterMap();
    map.setSort(new SortSpec("_lastUpdated", SortOrderEnum.DESC));
    map.setLoadSynchronousUpTo(count);
    return search(type, map);
  }

  public <T extends IBaseResource> DaoMethodOutcome create(T resource) {
    validator.check(resource);
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) resource.getClass();
    return daos.getResourceDao(type).create(resource, new SystemRequestDetails());
  }

  public <T extends IBaseResource> DaoMethodOutcome update(T resource) {
    validator.check(resource);
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) resource.getClass();
    return daos.getResourceDao(type).update(resource, new SystemRequestDetails());
  }

  /** Stores every entry of a transaction bundle atomically, after validating each. */
  public Bundle transaction(Bundle bundle) {
    for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
      if (entry.hasResource()) {
        validator.check(entry.getResource());
      }
    }
    return system.transaction(new SystemRequestDetails(), bundle);
  }

  /** Adds a create (or a conditional create) to a transaction; the entry's full URL is a urn:uuid. */
  public static String addCreate(Bundle tx, Resource resource, String ifNoneExist) {
    String fullUrl = "urn:uuid:" + java.util.UUID.randomUUID();
    Bundle.BundleEntryComponent e = tx.addEntry().setFullUrl(fullUrl).setResource(resource);
    e.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl(resource.fhirType());
    if (ifNoneExist != null) {
      e.getRequest().setIfNoneExist(ifNoneExist);
    }
    return fullUrl;
  }

  public static void addUpdate(Bundle tx, Resource resource) {
    String id = resource.getIdElement().toUnqualifiedVersionless().getValue();
    Bundle.BundleEntryComponent e = tx.addEntry().setFullUrl(id).setResource(resource);
    e.getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl(id);
  }

  /** The id (Type/id, no version) each entry of a transaction response got, in entry order. */
  public static List<String> locations(Bundle response) {
    return response.getEntry().stream()
        .map(e -> new IdType(e.getResponse().getLocation()).toUnqualifiedVersionless().getValue())
        .toList();
  }
}
