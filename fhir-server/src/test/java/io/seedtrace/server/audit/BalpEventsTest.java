package io.seedtrace.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.Test;

/** The BALP shape of the events an access becomes. */
class BalpEventsTest {

  final BalpEvents balp = new BalpEvents("node-a");

  static PhiAccess search(List<String> patients) {
    return new PhiAccess("search-type", false, Instant.parse("2026-12-07T08:00:00Z"), "dr-who", "https://issuer",
        "ehr-app", "10.1.2.3", "https://seedtrace/fhir", "Observation?code=x", List.of(), patients);
  }

  @Test
  void aQueryTouchingTwoPatientsIsOneEventPerPatientEachWithTheQuery() {
    List<AuditEvent> events = balp.of(search(List.of("Patient/1", "Patient/2")));
    assertThat(events).hasSize(2);
    assertThat(events).extracting(e -> e.getEntity().get(1).getWhat().getReference())
        .containsExactly("Patient/1", "Patient/2");
    for (AuditEvent e : events) {
      assertThat(e.getMeta().getProfile().get(0).getValue()).endsWith("IHE.BasicAudit.PatientQuery");
      assertThat(e.getAction()).isEqualTo(AuditEvent.AuditEventAction.E);
      assertThat(e.getSubtypeFirstRep().getCode()).isEqualTo("search-type");
      assertThat(e.getEntityFirstRep().getRole().getCode()).isEqualTo("24");
      assertThat(new String(e.getEntityFirstRep().getQuery(), StandardCharsets.UTF_8)).isEqualTo("Observation?code=x");
      assertThat(e.getEntity().get(1).getRole().getCode()).isEqualTo("1");
    }
  }

  @Test
  void withoutReferencesAReadNamesItsResourceAndPatientByIdentifier() {
    PhiAccess read = new PhiAccess("read", true, Instant.parse("2026-12-07T08:00:00Z"), "dr-who", "https://issuer",
        "ehr-app", "10.1.2.3", "https://seedtrace/fhir", "Observation/7", List.of("Observation/7"),
        List.of("Patient/1"));
    AuditEvent e = balp.of(read, false).get(0);
    assertThat(e.getEntity()).hasSize(2).allSatisfy(entity -> assertThat(entity.getWhat().hasReference()).isFalse());
    assertThat(e.getEntity()).extracting(entity -> entity.getWhat().getIdentifier().getValue())
        .containsExactly("Observation/7", "Patient/1");
    assertThat(balp.of(read, true).get(0).getEntity()).extracting(entity -> entity.getWhat().getReference())
        .containsExactly("Observation/7", "Patient/1");
  }

  @Test
  void aQueryThatFoundNoPatientIsABalpBasicQueryWithoutPatient() {
    List<AuditEvent> events = balp.of(search(List.of()));
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.getMeta().getProfile().get(0).getValue()).endsWith("IHE.BasicAudit.Query");
      assertThat(e.getEntity()).hasSize(1);
    });
  }

  @Test
  void agentsAreTheUserTheClientWithItsAddressAndThisServer() {
    AuditEvent e = balp.of(search(List.of("Patient/1"))).get(0);
    assertThat(e.getAgent()).hasSize(3);
    AuditEvent.AuditEventAgentComponent user = e.getAgent().get(0);
    assertThat(user.getRequestor()).isTrue();
    assertThat(user.getType().getCodingFirstRep().getCode()).isEqualTo("IRCP");
    assertThat(user.getWho().getIdentifier().getSystem()).isEqualTo("https://issuer");
    assertThat(user.getWho().getIdentifier().getValue()).isEqualTo("dr-who");
    AuditEvent.AuditEventAgentComponent client = e.getAgent().get(1);
    assertThat(client.getType().getCodingFirstRep().getCode()).isEqualTo("110153");
    assertThat(client.getWho().getIdentifier().getValue()).isEqualTo("ehr-app");
    assertThat(client.getNetwork().getAddress()).isEqualTo("10.1.2.3");
    AuditEvent.AuditEventAgentComponent server = e.getAgent().get(2);
    assertThat(server.getType().getCodingFirstRep().getCode()).isEqualTo("110152");
    assertThat(server.getNetwork().getAddress()).isEqualTo("https://seedtrace/fhir");
    assertThat(e.getSource().getSite()).isEqualTo("node-a");
    assertThat(e.getRecorded().toInstant()).isEqualTo(Instant.parse("2026-12-07T08:00:00Z"));
  }

  @Test
  void aDicomRetrievalOfTwoPatientsStudiesIsOneEventPerPatientNamingItsStudiesOnly() {
    java.util.SortedMap<String, List<String>> studies = new java.util.TreeMap<>(java.util.Map.of(
        "MRN-1", List.of("1.2.3", "1.2.4"), "MRN-2", List.of("1.2.5")));
    List<AuditEvent> events = balp.of(new PhiAccess("read", true, Instant.parse("2026-12-07T08:00:00Z"), "nurse-1",
        "", "viewer", "10.1.2.3", "https://seedtrace/dicomweb", "/dicomweb/studies/1.2.3", List.of(), List.of(),
        studies));
    assertThat(events).hasSize(2);
    AuditEvent first = events.get(0);
    assertThat(first.getMeta().getProfile().get(0).getValue()).endsWith("IHE.BasicAudit.PatientRead");
    assertThat(first.getSubtype()).extracting(c -> c.getCode()).containsExactly("read", "110103");
    assertThat(first.getEntity()).filteredOn(e -> e.getRole().getCode().equals("3"))
        .extracting(e -> e.getWhat().getIdentifier().getValue()).containsExactly("1.2.3", "1.2.4");
    assertThat(first.getEntity()).filteredOn(e -> e.getRole().getCode().equals("1")).singleElement()
        .satisfies(e -> assertThat(e.getWhat().getIdentifier().getValue()).isEqualTo("MRN-1"));
    assertThat(events.get(1).getEntity()).filteredOn(e -> e.getRole().getCode().equals("3"))
        .extracting(e -> e.getWhat().getIdentifier().getValue()).containsExactly("1.2.5");
  }

  @Test
  void aCMoveIsAPatientReadByTheCallingAeWithItsDestinationAndSurvivesTheJournalRow() {
    io.seedtrace.dicom.net.QueryRetrieveScp.Access move = new io.seedtrace.dicom.net.QueryRetrieveScp.Access(true,
        new io.seedtrace.dicom.net.QueryRetrieveScp.Caller("PACS", "10.1.2.9"), "SEEDTRACE",
        "C-MOVE STUDY (0020,000D)=1.2.3 to VIEWER", java.util.Map.of("IP-1", java.util.Set.of("1.2.3")),
        List.of("1.2.3.1", "1.2.3.2"), "VIEWER");
    PhiAccess access = PhiAccessJournal.fromJson(PhiAccessJournal.toJson(PhiAccess.dimse(move)));
    AuditEvent e = balp.of(access).get(0);
    assertThat(e.getMeta().getProfile().get(0).getValue()).endsWith("IHE.BasicAudit.PatientRead");
    assertThat(e.getSubtype()).extracting(c -> c.getCode()).containsExactly("read", "110103");
    assertThat(e.getAgent()).filteredOn(AuditEvent.AuditEventAgentComponent::getRequestor).singleElement()
        .satisfies(a -> assertThat(a.getWho().getIdentifier().getValue()).isEqualTo("PACS"));
    assertThat(e.getAgent()).extracting(a -> a.getNetwork().getAddress())
        .contains("10.1.2.9", "dicom://SEEDTRACE");
    assertThat(e.getEntity()).extracting(en -> en.getDescription())
        .contains("C-MOVE STUDY (0020,000D)=1.2.3 to VIEWER (2 instances sent)");
    assertThat(e.getEntity()).extracting(en -> en.getWhat().getIdentifier().getValue()).contains("1.2.3", "IP-1");

    io.seedtrace.dicom.net.QueryRetrieveScp.Access find = new io.seedtrace.dicom.net.QueryRetrieveScp.Access(false,
        move.caller(), "SEEDTRACE", "C-FIND STUDY (0010,0020)=IP-1", move.studiesByPatient(), List.of(), "");
    AuditEvent q = balp.of(PhiAccess.dimse(find)).get(0);
    assertThat(q.getMeta().getProfile().get(0).getValue()).endsWith("IHE.BasicAudit.PatientQuery");
    assertThat(q.getEntity()).filteredOn(en -> "24".equals(en.getRole().getCode())).singleElement()
        .satisfies(en -> assertThat(new String(en.getQuery(), StandardCharsets.UTF_8))
            .isEqualTo("C-FIND STUDY (0010,0020)=IP-1"));
  }
}
