package io.seedtrace.server.audit;

import ca.uhn.fhir.storage.interceptor.balp.BalpConstants;
import ca.uhn.fhir.storage.interceptor.balp.BalpProfileEnum;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;

/**
 * Turns a {@link PhiAccess} into AuditEvents of the IHE Basic Audit Log Patterns (BALP 1.1):
 * PatientRead / Read for read and vread, PatientQuery / Query for searches, history and
 * operations. As BALP asks, a request touching several patients gives one event per patient, so
 * each patient's disclosures can be found by {@code AuditEvent?patient=...}.
 *
 * <p>Each event: {@code type} rest, {@code subtype} the restful interaction, {@code action} R
 * (read) or E (query), outcome 0; agents: the user (the token's subject, issuer as identifier
 * system, requestor, type IRCP), the client (DICOM 110153 source, with its network address) and this
 * server (DICOM 110152 destination); {@code source}: this node; entities: the resource read (type 2,
 * role 4) or the query (type 2, role 24, base64 of path and query string in {@code query}), then
 * the patient (type 1, role 1). The first entity also carries the audit chain's link (see
 * {@link io.seedtrace.server.audit.AuditTrail#appendAll}).
 */
final class BalpEvents {

  private static final Coding USER_TYPE = new Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
      "IRCP", "information recipient");
  private static final Coding SOURCE_TYPE = new Coding("http://terminology.hl7.org/CodeSystem/security-source-type",
      "4", "Application Server");

  private static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
  /** The text of the identifier type naming a DICOM patient in a DICOMweb access event. */
  static final String DICOM_PATIENT_ID = "DICOM Patient ID (0010,0020)";

  private final String node;

  BalpEvents(String node) {
    this.node = node;
  }

  /** The events recording one access: one per patient, or one without a patient when none was found. */
  List<AuditEvent> of(PhiAccess access) {
    return of(access, true);
  }

  /**
   * As {@link #of(PhiAccess)}; with {@code references} false, the resources and patients are named
   * by identifier ({@code Observation/7} as its value) instead of by reference: for an access whose
   * resource has been deleted since it was read, which a reference could no longer name.
   */
  List<AuditEvent> of(PhiAccess access, boolean references) {
    List<AuditEvent> events = events(access);
    if (!references) {
      events.forEach(BalpEvents::referencesAsIdentifiers);
    }
    return events;
  }

  private static void referencesAsIdentifiers(AuditEvent event) {
    for (AuditEvent.AuditEventEntityComponent entity : event.getEntity()) {
      if (entity.getWhat().hasReference()) {
        String id = entity.getWhat().getReference();
        entity.getWhat().setReference(null).setDisplay(id).setIdentifier(new Identifier().setValue(id));
      }
    }
  }

  private List<AuditEvent> events(PhiAccess access) {
    List<AuditEvent> events = new ArrayList<>();
    if (access.patients().isEmpty() && access.dicomStudies().isEmpty()) {
      events.add(event(access, access.read() ? BalpProfileEnum.BASIC_READ : BalpProfileEnum.BASIC_QUERY, null));
    }
    for (String patient : access.patients()) {
      events.add(event(access, access.read() ? BalpProfileEnum.PATIENT_READ : BalpProfileEnum.PATIENT_QUERY, patient));
    }
    access.dicomStudies().forEach((patientId, studies) -> events.add(dicomEvent(access, patientId, studies)));
    return events;
  }

  /**
   * A DICOMweb access of one DICOM patient's studies: the patient entity names the DICOM Patient ID
   * as an identifier (there is no FHIR Patient to refer to), and each study is an entity of type 2,
   * role 3 identified by its Study Instance UID (DICOM's 110180, as in PS3.15 A.5 audit messages);
   * a subtype DCM 110103 (instances accessed) or 110112 (query) says it was DICOM.
   */
  private AuditEvent dicomEvent(PhiAccess access, String patientId, List<String> studies) {
    boolean named = !patientId.isEmpty();
    BalpProfileEnum profile = access.read() ? (named ? BalpProfileEnum.PATIENT_READ : BalpProfileEnum.BASIC_READ)
        : (named ? BalpProfileEnum.PATIENT_QUERY : BalpProfileEnum.BASIC_QUERY);
    AuditEvent event = event(access, profile, null);
    event.addSubtype(access.read() ? new Coding(DCM, "110103", "DICOM Instances Accessed")
        : new Coding(DCM, "110112", "Query"));
    if (access.read() && access.serverBase().startsWith(PhiAccess.DIMSE_BASE)) {
      // a C-MOVE: what was asked and where it was sent (the destination AE title)
      entity(event, "2", BalpConstants.CS_OBJECT_ROLE_24_QUERY)
          .setQuery(access.query().getBytes(StandardCharsets.UTF_8)).setDescription(access.query());
    }
    for (String study : studies) {
      entity(event, "2", "3").getWhat().setIdentifier(new Identifier().setValue(study)
          .setType(new org.hl7.fhir.r4.model.CodeableConcept(new Coding(DCM, "110180", "Study Instance UID"))));
    }
    if (named) {
      entity(event, "1", BalpConstants.CS_OBJECT_ROLE_1_PATIENT).getWhat().setIdentifier(new Identifier()
          .setValue(patientId).setType(new org.hl7.fhir.r4.model.CodeableConcept().setText(DICOM_PATIENT_ID)));
    }
    return event;
  }

  private AuditEvent event(PhiAccess access, BalpProfileEnum profile, String patient) {
    AuditEvent event = new AuditEvent();
    event.getMeta().addProfile(profile.getProfileUrl());
    event.setType(new Coding(BalpConstants.CS_AUDIT_EVENT_TYPE, "rest", "Restful Operation"));
    event.addSubtype(new Coding(BalpConstants.CS_RESTFUL_INTERACTION, access.interaction(), access.interaction()));
    event.setAction(profile.getAction());
    event.setOutcome(AuditEvent.AuditEventOutcome._0);
    event.setRecorded(Date.from(access.recorded()));
    agents(event, access, profile);
    event.getSource().setSite(node).getObserver().setDisplay("SeedTrace " + node);
    event.getSource().addType(SOURCE_TYPE);
    if (access.read()) {
      access.data().forEach(id -> entity(event, "2", BalpConstants.CS_OBJECT_ROLE_4_DOMAIN_RESOURCE).getWhat()
          .setReference(id));
    } else {
      entity(event, "2", BalpConstants.CS_OBJECT_ROLE_24_QUERY)
          .setQuery(access.query().getBytes(StandardCharsets.UTF_8))
          .setDescription(access.query());
    }
    if (patient != null) {
      entity(event, "1", BalpConstants.CS_OBJECT_ROLE_1_PATIENT).getWhat().setReference(patient);
    }
    return event;
  }

  private void agents(AuditEvent event, PhiAccess access, BalpProfileEnum profile) {
    AuditEvent.AuditEventAgentComponent user = event.addAgent().setRequestor(true);
    user.getType().addCoding(USER_TYPE.copy());
    user.getWho().setDisplay(access.user()).setIdentifier(new Identifier()
        .setSystem(access.issuer().isBlank() ? null : access.issuer()).setValue(access.user()));
    AuditEvent.AuditEventAgentComponent client = event.addAgent().setRequestor(false);
    client.getType().addCoding(profile.getAgentClientTypeCoding());
    client.getWho().setDisplay(access.client()).setIdentifier(new Identifier().setValue(access.client()));
    if (!access.address().isBlank()) {
      client.getNetwork().setAddress(access.address()).setType(AuditEvent.AuditEventAgentNetworkType._2);
    }
    AuditEvent.AuditEventAgentComponent server = event.addAgent().setRequestor(false);
    server.getType().addCoding(profile.getAgentServerTypeCoding());
    server.getWho().setDisplay("SeedTrace " + node);
    server.getNetwork().setAddress(access.serverBase()).setType(AuditEvent.AuditEventAgentNetworkType._5);
  }

  private static AuditEvent.AuditEventEntityComponent entity(AuditEvent event, String type, String role) {
    AuditEvent.AuditEventEntityComponent entity = event.addEntity();
    entity.setType(new Coding(BalpConstants.CS_AUDIT_ENTITY_TYPE, type, null));
    entity.setRole(new Coding(BalpConstants.CS_OBJECT_ROLE, role, null));
    return entity;
  }
}
