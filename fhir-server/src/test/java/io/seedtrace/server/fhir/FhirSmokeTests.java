package io.seedtrace.server.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import io.seedtrace.server.support.ServerTestBase;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The FHIR REST interactions a hospital EHR relies on, run against the real server and a real
 * database: create, read, update, history, search, transaction, {@code _include}, paging, delete.
 * Each database path (H2, PostgreSQL) runs the same tests through a subclass.
 */
abstract class FhirSmokeTests extends ServerTestBase {

  private IGenericClient fhir;
  private String system;

  @BeforeEach
  void client() {
    fhir = fhirAs("admin");
    system = "urn:seedtrace:test:" + UUID.randomUUID();
  }

  private Patient patient(String value) {
    Patient patient = new Patient();
    patient.addIdentifier().setSystem(system).setValue(value);
    patient.addName().setFamily("Zhang").addGiven("Wei");
    patient.setGender(Enumerations.AdministrativeGender.MALE);
    return patient;
  }

  @Test
  void createsReadsUpdatesAndKeepsHistory() {
    MethodOutcome created = fhir.create().resource(patient("p1")).execute();
    assertThat(created.getCreated()).isTrue();
    IdType id = (IdType) created.getId();
    assertThat(id.getVersionIdPart()).isEqualTo("1");

    Patient read = fhir.read().resource(Patient.class).withId(id.toUnqualifiedVersionless()).execute();
    assertThat(read.getNameFirstRep().getFamily()).isEqualTo("Zhang");

    read.getNameFirstRep().setFamily("Li");
    MethodOutcome updated = fhir.update().resource(read).execute();
    assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");

    Bundle history = fhir.history().onInstance(id.toUnqualifiedVersionless()).returnBundle(Bundle.class).execute();
    assertThat(history.getEntry()).hasSize(2);
    Patient first = fhir.read().resource(Patient.class).withId(id.toUnqualifiedVersionless().withVersion("1")).execute();
    assertThat(first.getNameFirstRep().getFamily()).isEqualTo("Zhang");
  }

  @Test
  void searchesByIdentifierAndIncludesTheReferencedPatient() {
    IdType patientId = (IdType) fhir.create().resource(patient("p2")).execute().getId();
    Observation observation = new Observation();
    observation.setStatus(Observation.ObservationStatus.FINAL);
    observation.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
    observation.setSubject(new Reference(patientId.toUnqualifiedVersionless()));
    fhir.create().resource(observation).execute();

    Bundle byIdentifier = fhir.search().forResource(Patient.class)
        .where(Patient.IDENTIFIER.exactly().systemAndIdentifier(system, "p2"))
        .returnBundle(Bundle.class).execute();
    assertThat(byIdentifier.getEntry()).hasSize(1);

    Bundle withInclude = fhir.search().forResource(Observation.class)
        .where(Observation.SUBJECT.hasId(patientId.toUnqualifiedVersionless()))
        .include(Observation.INCLUDE_SUBJECT)
        .returnBundle(Bundle.class).execute();
    assertThat(withInclude.getEntry()).extracting(e -> e.getResource().fhirType())
        .containsExactlyInAnyOrder("Observation", "Patient");
    assertThat(withInclude.getEntry()).filteredOn(e -> e.getResource() instanceof Patient)
        .allSatisfy(e -> assertThat(e.getSearch().getMode()).isEqualTo(Bundle.SearchEntryMode.INCLUDE));
  }

  @Test
  void commitsATransactionWithInternalReferences() {
    Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    String patientUuid = "urn:uuid:" + UUID.randomUUID();
    transaction.addEntry().setFullUrl(patientUuid).setResource(patient("p3"))
        .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");
    Observation observation = new Observation();
    observation.setStatus(Observation.ObservationStatus.FINAL);
    observation.getCode().setText("seed count");
    observation.setSubject(new Reference(patientUuid));
    transaction.addEntry().setResource(observation).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");

    Bundle response = fhir.transaction().withBundle(transaction).execute();

    assertThat(response.getEntry()).hasSize(2)
        .allSatisfy(e -> assertThat(e.getResponse().getStatus()).startsWith("201"));
    String patientLocation = response.getEntry().get(0).getResponse().getLocation();
    String observationLocation = response.getEntry().get(1).getResponse().getLocation();
    Observation stored = fhir.read().resource(Observation.class).withUrl(observationLocation).execute();
    assertThat(new IdType(stored.getSubject().getReference()).getIdPart())
        .isEqualTo(new IdType(patientLocation).getIdPart());
  }

  @Test
  void pagesThroughLargeSearchResults() {
    for (int i = 0; i < 25; i++) {
      fhir.create().resource(patient("page-" + i)).execute();
    }
    Bundle page = fhir.search().forResource(Patient.class)
        .where(Patient.IDENTIFIER.hasSystemWithAnyCode(system))
        .count(10)
        .returnBundle(Bundle.class).execute();
    int seen = page.getEntry().size();
    int pages = 1;
    while (page.getLink(Bundle.LINK_NEXT) != null) {
      page = fhir.loadPage().next(page).execute();
      seen += page.getEntry().size();
      pages++;
    }
    assertThat(seen).isEqualTo(25);
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void deletedResourceIsGone() {
    IdType id = (IdType) fhir.create().resource(patient("p4")).execute().getId();
    fhir.delete().resourceById(id.toUnqualifiedVersionless()).execute();
    assertThatThrownBy(() -> fhir.read().resource(Patient.class).withId(id.toUnqualifiedVersionless()).execute())
        .isInstanceOf(ResourceGoneException.class);
  }
}
