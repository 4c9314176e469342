package io.seedtrace.server.custody;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import io.seedtrace.server.store.FhirStore;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.SupplyRequest;

/**
 * Demand verification of a SeedOrder: the ordering hospital holds a valid radioactive-material
 * licence (Organization extension {@code radioactive-material-licence}: number, period,
 * maxActivity in MBq, optional maxSeeds) for the delivery date, the order's quantity and activity
 * are within it, and the delivery Location has an address and belongs to the ordering hospital.
 * Every violation is listed in the OperationOutcome of the 422.
 */
public final class OrderCheck {

  private final FhirStore store;

  public OrderCheck(FhirStore store) {
    this.store = store;
  }

  /**
   * @param inTransaction resources of the transaction the order arrives in, by "Type/id" and full
   *     URL, for references to resources stored in the same transaction
   */
  public void check(SupplyRequest order, java.util.Map<String, org.hl7.fhir.r4.model.Resource> inTransaction) {
    List<String[]> problems = new ArrayList<>();
    String requesterRef = order.getRequester().getReference();
    Optional<Organization> hospital = find(Organization.class, requesterRef, inTransaction);
    Date when = order.hasOccurrenceDateTimeType() ? order.getOccurrenceDateTimeType().getValue() : new Date();
    if (hospital.isEmpty()) {
      problems.add(new String[] {"SupplyRequest.requester", "the requester must be the ordering hospital's Organization"});
    } else {
      Optional<Extension> licence = validLicence(hospital.get(), when);
      if (licence.isEmpty()) {
        problems.add(new String[] {"SupplyRequest.requester", "Organization " + hospital.get().getName()
            + " holds no radioactive-material licence valid on " + new java.text.SimpleDateFormat("yyyy-MM-dd").format(when)});
      } else {
        Extension l = licence.get();
        String number = l.getExtensionByUrl("number") == null ? "?" : l.getExtensionByUrl("number").getValue().primitiveValue();
        Extension maxActivity = l.getExtensionByUrl("maxActivity");
        Extension requested = order.getExtensionByUrl(CustodyCodes.EXT_REQUESTED_ACTIVITY);
        if (maxActivity != null && requested != null && requested.getValue() instanceof Quantity asked
            && maxActivity.getValue() instanceof Quantity max && asked.getValue().compareTo(max.getValue()) > 0) {
          problems.add(new String[] {"SupplyRequest.extension", "requested " + asked.getValue().stripTrailingZeros().toPlainString()
              + " MBq exceeds the " + max.getValue().stripTrailingZeros().toPlainString() + " MBq of licence " + number});
        }
        Extension maxSeeds = l.getExtensionByUrl("maxSeeds");
        if (maxSeeds != null && maxSeeds.getValue() instanceof IntegerType m && order.getQuantity().hasValue()
            && order.getQuantity().getValue().intValue() > m.getValue()) {
          problems.add(new String[] {"SupplyRequest.quantity", order.getQuantity().getValue().intValue()
              + " seeds exceed the " + m.getValue() + " per order of licence " + number});
        }
      }
    }
    String deliverRef = order.getDeliverTo().getReference();
    Optional<Location> place = find(Location.class, deliverRef, inTransaction);
    if (place.isEmpty()) {
      problems.add(new String[] {"SupplyRequest.deliverTo", "the delivery Location is required"});
    } else {
      Location loc = place.get();
      if (!loc.hasAddress() || (!loc.getAddress().hasLine() && !loc.getAddress().hasCity())) {
        problems.add(new String[] {"SupplyRequest.deliverTo", "Location " + loc.getName() + " has no address"});
      }
      if (hospital.isPresent() && loc.hasManagingOrganization()
          && !loc.getManagingOrganization().getReference().equals(requesterRef)) {
        problems.add(new String[] {"SupplyRequest.deliverTo", "Location " + loc.getName() + " belongs to "
            + loc.getManagingOrganization().getReference() + ", not to the ordering hospital " + requesterRef});
      }
    }
    if (!problems.isEmpty()) {
      OperationOutcome outcome = new OperationOutcome();
      for (String[] p : problems) {
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
            .setCode(OperationOutcome.IssueType.BUSINESSRULE).setDiagnostics(p[1]).addExpression(p[0]);
      }
      throw new UnprocessableEntityException("seed order refused: " + problems.get(0)[1], outcome);
    }
  }

  private <T extends org.hl7.fhir.r4.model.Resource> Optional<T> find(Class<T> type, String ref,
      java.util.Map<String, org.hl7.fhir.r4.model.Resource> inTransaction) {
    if (ref == null) {
      return Optional.empty();
    }
    org.hl7.fhir.r4.model.Resource pending = inTransaction.get(ref);
    if (type.isInstance(pending)) {
      return Optional.of(type.cast(pending));
    }
    if (!ref.startsWith(type.getSimpleName() + "/")) {
      return Optional.empty();
    }
    return store.readOptional(type, ref);
  }

  static Optional<Extension> validLicence(Organization org, Date when) {
    return org.getExtensionsByUrl(CustodyCodes.EXT_LICENCE).stream().filter(l -> {
      Extension period = l.getExtensionByUrl("period");
      return period != null && ManufacturerKeys.covers((Period) period.getValue(), when)
          && ManufacturerKeys.covers((Period) period.getValue(), new Date());
    }).findFirst();
  }
}
