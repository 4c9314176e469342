package io.seedtrace.server.audit;

import java.time.Instant;
import java.util.List;

/**
 * One request that disclosed patient data, as captured on the request thread: only strings, so a
 * queued access holds no resource and its memory is small and bounded.
 *
 * @param interaction the FHIR RESTful interaction code ({@code read}, {@code vread},
 *     {@code search-type}, {@code history-instance}, {@code operation}, ...)
 * @param read true for read and vread (BALP Read), false for everything that queries (BALP Query)
 * @param recorded when the answer was sent
 * @param user who asked: the token's subject
 * @param issuer the token's issuer (empty without a token)
 * @param client the OAuth client the token was issued to (its subject for client credentials)
 * @param address the originating network address
 * @param serverBase the FHIR base URL the request was addressed to
 * @param query the request as path and parameters ({@code Observation?subject=Patient/1}); for a
 *     query it is recorded base64-encoded as BALP asks
 * @param data for a read, the resource disclosed ({@code Type/id}); empty for a query (BALP records
 *     the query, not its results)
 * @param patients the patients they belong to ({@code Patient/id}), sorted, each once
 * @param dicomStudies for a DICOMweb request, the Study Instance UIDs it disclosed by the DICOM
 *     Patient ID (0010,0020) they belong to (a DICOM patient is known by that ID, not by a FHIR
 *     Patient; empty when the study names none), both sorted
 */
public record PhiAccess(String interaction, boolean read, Instant recorded, String user, String issuer,
    String client, String address, String serverBase, String query, List<String> data, List<String> patients,
    java.util.SortedMap<String, List<String>> dicomStudies) {

  public PhiAccess {
    data = List.copyOf(data);
    patients = List.copyOf(patients);
    java.util.TreeMap<String, List<String>> copy = new java.util.TreeMap<>();
    dicomStudies.forEach((patient, uids) -> copy.put(patient, uids.stream().sorted().distinct().toList()));
    dicomStudies = java.util.Collections.unmodifiableSortedMap(copy);
  }

  /** An access over FHIR: patients are FHIR Patients, no DICOM study. */
  public PhiAccess(String interaction, boolean read, Instant recorded, String user, String issuer, String client,
      String address, String serverBase, String query, List<String> data, List<String> patients) {
    this(interaction, read, recorded, user, issuer, client, address, serverBase, query, data, patients,
        new java.util.TreeMap<>());
  }

  /**
   * An access over DICOMweb by the caller of {@code request}: a WADO-RS retrieval ({@code read}) or
   * a QIDO-RS search, with the DICOM patients and studies its answer disclosed.
   */
  public static PhiAccess dicomWeb(jakarta.servlet.http.HttpServletRequest request, boolean read,
      String serverBase, java.util.Map<String, ? extends java.util.Collection<String>> studiesByPatientId) {
    Requester who = Requester.current(request);
    String query = request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
    return new PhiAccess(read ? "read" : "search-type", read, Instant.now(), who.user(), who.issuer(), who.client(),
        who.address(), serverBase, query, List.of(), List.of(), byPatient(studiesByPatientId));
  }

  /** The server base naming the DICOM node (its AE title) in an access over DIMSE. */
  public static final String DIMSE_BASE = "dicom://";

  /**
   * An access over DIMSE, as the node's Query/Retrieve SCP reports it: a C-FIND is a query (its keys
   * as the query), a C-MOVE a read (its keys and destination as the query); the calling AE title is
   * both the user and the client, the peer's address the client's.
   */
  public static PhiAccess dimse(io.seedtrace.dicom.net.QueryRetrieveScp.Access access) {
    String caller = access.caller().callingAe().strip();
    String query = access.retrieve() ? access.request() + " (" + access.instances().size() + " instances sent)"
        : access.request();
    return new PhiAccess(access.retrieve() ? "read" : "search-type", access.retrieve(), Instant.now(), caller, "",
        caller, access.caller().address(), DIMSE_BASE + access.calledAe().strip(), query, List.of(), List.of(),
        byPatient(access.studiesByPatient()));
  }

  private static java.util.SortedMap<String, List<String>> byPatient(
      java.util.Map<String, ? extends java.util.Collection<String>> studies) {
    java.util.TreeMap<String, List<String>> sorted = new java.util.TreeMap<>();
    studies.forEach((patient, uids) -> sorted.put(patient == null ? "" : patient.strip(), List.copyOf(uids)));
    return sorted;
  }
}
