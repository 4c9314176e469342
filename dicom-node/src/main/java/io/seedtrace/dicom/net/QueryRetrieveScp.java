package io.seedtrace.dicom.net;

import io.seedtrace.dicom.codec.Transcoder;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.DicomFormatException;
import io.seedtrace.dicom.data.Element;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.Vr;
import io.seedtrace.dicom.spool.InstanceRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import java.util.logging.Logger;

/**
 * The Query/Retrieve SCP over what the node holds (PS3.4 Annex C): C-FIND and C-MOVE of the Patient
 * Root (levels PATIENT, STUDY, SERIES, IMAGE) and Study Root (STUDY, SERIES, IMAGE) information
 * models. Entities are the spool's indexed instances grouped by Patient ID, Study, Series and SOP
 * Instance UID; attributes the index does not hold (names, dates, descriptions) come from the header
 * of the first instance of each entity. Matching (PS3.4 C.2.2.2): empty is universal, UI values as
 * lists, {@code *} and {@code ?} wildcards (PN case-insensitive), DA/TM/DT ranges, otherwise single
 * value; each key is matched whatever its level (relational, not only hierarchical), sequences
 * always match. C-MOVE sends every instance of the matched entities, as stored or converted to
 * Explicit VR Little Endian when the destination accepts only that, to a destination AE configured
 * with its host and port. Each answer that disclosed patient data is reported to an
 * {@link AccessListener} (the PHI access audit) before its final response is sent.
 *
 * <pre>{@code
 * QueryRetrieveScp scp = new QueryRetrieveScp("SEEDTRACE", spool::indexed, Map.of("VIEWER", "10.0.0.5:104"),
 *     access -> audit.record(access));
 * scp.find(new QueryRetrieveScp.Caller("FINDSCU", "10.0.0.7"), QueryRetrieveScp.PATIENT_ROOT_FIND, request,
 *     identifier, responder);
 * }</pre>
 *
 * <p>Bounds: at most {@link #MAX_MATCHES} matches per C-FIND (then a failure A700 ends it) and per
 * C-MOVE; one header read (first 256 KiB) per matched entity.
 */
public final class QueryRetrieveScp {

  public static final String PATIENT_ROOT_FIND = "1.2.840.10008.5.1.4.1.2.1.1";
  public static final String PATIENT_ROOT_MOVE = "1.2.840.10008.5.1.4.1.2.1.2";
  public static final Set<String> FIND_CLASSES = Set.of(PATIENT_ROOT_FIND, QueryRetrieveScu.STUDY_ROOT_FIND);
  public static final Set<String> MOVE_CLASSES = Set.of(PATIENT_ROOT_MOVE, QueryRetrieveScu.STUDY_ROOT_MOVE);
  public static final int MAX_MATCHES = 10_000;
  /** Failure statuses of PS3.4 C.4. */
  static final int IDENTIFIER_DOES_NOT_MATCH = 0xA900;
  static final int UNABLE_TO_PROCESS = 0xC000;
  static final int MOVE_DESTINATION_UNKNOWN = 0xA801;
  static final int UNABLE_TO_PERFORM_SUBOPERATIONS = 0xA702;

  private static final Logger LOG = Logger.getLogger(QueryRetrieveScp.class.getName());
  private static final int HEADER_BYTES = 256 * 1024;
  private static final String RETRIEVE_AE_TITLE_KEY = "00080054";

  /** Where the answers go: a response command, and its identifier (null when none). */
  public interface Responder {
    void send(DataSet command, DataSet identifier) throws IOException;
  }

  /** Who sent a C-FIND or C-MOVE: the calling AE title and the peer's network address. */
  public record Caller(String callingAe, String address) {}

  /**
   * One answer that disclosed patient data, for the PHI access audit: a C-FIND ({@code retrieve}
   * false: the keys asked) or a C-MOVE ({@code retrieve} true: the instances sent to
   * {@code destination}).
   *
   * @param request the request as text: the service, the level and each non-empty key by tag ({@code
   *     C-FIND STUDY (0010,0020)=IP-1 (0008,0020)=2026*}), for a C-MOVE with {@code to} its destination
   * @param studiesByPatient the Study Instance UIDs disclosed, by Patient ID (0010,0020)
   * @param instances for a C-MOVE, the SOP Instance UIDs sent (completed sub-operations)
   */
  public record Access(boolean retrieve, Caller caller, String calledAe, String request,
      Map<String, Set<String>> studiesByPatient, List<String> instances, String destination) {}

  /**
   * Told of each C-FIND and C-MOVE that disclosed something, on the association's thread before its
   * final response is sent (a slow listener delays that response; a failing one is logged).
   */
  public interface AccessListener {
    void disclosed(Access access);
  }

  /** The node's stored instances, as its spool index lists them. */
  public interface Catalog {
    List<InstanceRecord> instances() throws IOException;
  }

  private enum QrLevel {
    PATIENT(InstanceRecord::patientId, Tag.PatientID),
    STUDY(InstanceRecord::studyUid, Tag.StudyInstanceUID),
    SERIES(InstanceRecord::seriesUid, Tag.SeriesInstanceUID),
    IMAGE(InstanceRecord::sopInstanceUid, Tag.SOPInstanceUID);

    final Function<InstanceRecord, String> key;
    final int uniqueTag;

    QrLevel(Function<InstanceRecord, String> key, int uniqueTag) {
      this.key = key;
      this.uniqueTag = uniqueTag;
    }
  }

  private final String aeTitle;
  private final Catalog catalog;
  private final Map<String, String> destinations;
  private final AccessListener accesses;

  /**
   * @param destinations C-MOVE destination AE titles and their {@code host:port}
   * @param accesses told of every C-FIND and C-MOVE answer that disclosed patient data
   */
  public QueryRetrieveScp(String aeTitle, Catalog catalog, Map<String, String> destinations, AccessListener accesses) {
    this.aeTitle = aeTitle;
    this.catalog = catalog;
    this.destinations = Map.copyOf(destinations);
    this.accesses = accesses;
  }

  /** A C-FIND from {@code caller}: one pending response per match, then the final one. */
  public void find(Caller caller, String sopClass, DataSet request, DataSet identifier, Responder out)
      throws IOException {
    QrLevel level = level(sopClass, identifier);
    if (level == null) {
      out.send(Dimse.response(request, IDENTIFIER_DOES_NOT_MATCH, "Query/Retrieve Level missing or not of this model"), null);
      return;
    }
    List<InstanceRecord> all = catalog.instances();
    Map<String, List<InstanceRecord>> matches = matches(level, identifier, all);
    if (matches == null) {
      out.send(Dimse.response(request, Dimse.OUT_OF_RESOURCES, "more than " + MAX_MATCHES + " matches"), null);
      return;
    }
    Map<String, Set<String>> disclosed = new java.util.TreeMap<>();
    try {
      for (List<InstanceRecord> entity : matches.values()) {
        out.send(pending(request), answer(level, identifier, entity, all));
        for (InstanceRecord r : entity) {
          Set<String> studies = disclosed.computeIfAbsent(r.patientId(), p -> new java.util.TreeSet<>());
          if (level != QrLevel.PATIENT) {
            studies.add(r.studyUid()); // a PATIENT answer names the patient, not its studies
          }
        }
      }
    } finally {
      // reported before the final response, so the requestor never sees the end of an unrecorded query
      report(new Access(false, caller, aeTitle, describe("C-FIND", level, identifier), disclosed, List.of(), ""));
    }
    out.send(Dimse.response(request, Dimse.SUCCESS, null), null);
  }

  /** Reports an access that disclosed something; a listener's failure never fails the answer. */
  private void report(Access access) {
    if (access.studiesByPatient().isEmpty()) {
      return;
    }
    try {
      accesses.disclosed(access);
    } catch (RuntimeException e) {
      LOG.log(java.util.logging.Level.SEVERE, "PHI access of " + access.caller() + " not recorded", e);
    }
  }

  /** The request as text: the service, the level and each non-empty key by tag. */
  static String describe(String service, QrLevel level, DataSet identifier) {
    StringBuilder text = new StringBuilder(service).append(' ').append(level.name());
    for (Element key : identifier.elements()) {
      if (key.tag() == Tag.QueryRetrieveLevel || key.isSequence() || key.value() == null || key.value().length == 0) {
        continue;
      }
      String value = Matching.text(key.value()).strip();
      if (!value.isEmpty()) {
        text.append(' ').append(String.format("(%04X,%04X)", key.tag() >>> 16, key.tag() & 0xFFFF)).append('=')
            .append(value);
      }
    }
    return text.toString();
  }

  /** The matched entities at {@code level}, each with its instances, in index order; null over the cap. */
  private static Map<String, List<InstanceRecord>> matches(QrLevel level, DataSet identifier,
      List<InstanceRecord> all) {
    Map<String, List<InstanceRecord>> groups = new LinkedHashMap<>();
    for (InstanceRecord r : all) {
      groups.computeIfAbsent(level.key.apply(r), k -> new ArrayList<>()).add(r);
    }
    Map<String, List<InstanceRecord>> matched = new LinkedHashMap<>();
    for (Map.Entry<String, List<InstanceRecord>> g : groups.entrySet()) {
      if (Matching.matches(identifier, header(g.getValue().get(0)))) {
        if (matched.size() == MAX_MATCHES) {
          return null;
        }
        matched.put(g.getKey(), g.getValue());
      }
    }
    return matched;
  }

  private static DataSet pending(DataSet request) {
    DataSet rsp = Dimse.response(request, Dimse.PENDING, null);
    rsp.putUS(Tag.CommandDataSetType, Dimse.DATA_SET_PRESENT);
    return rsp;
  }

  /** The identifier of one match: every key asked for, with the entity's value. */
  private DataSet answer(QrLevel level, DataSet identifier, List<InstanceRecord> entity, List<InstanceRecord> all) {
    DataSet header = header(entity.get(0));
    DataSet answer = new DataSet();
    for (Element key : identifier.elements()) {
      answer.put(header.get(key.tag()).filter(e -> !e.isEncapsulated()).orElse(key.isSequence()
          ? Element.ofItems(key.tag(), List.of()) : Element.ofValue(key.tag(), key.vr(), new byte[0])));
    }
    answer.putString(Tag.QueryRetrieveLevel, Vr.CS, level.name());
    answer.putString(0x00080054, Vr.AE, aeTitle);
    header.getString(Tag.SpecificCharacterSet).ifPresent(cs -> answer.putString(Tag.SpecificCharacterSet, Vr.CS, cs));
    for (QrLevel above : QrLevel.values()) {
      if (above.ordinal() <= level.ordinal()) {
        answer.putString(above.uniqueTag, above == QrLevel.PATIENT ? Vr.LO : Vr.UI, above.key.apply(entity.get(0)));
      }
    }
    computed(answer, identifier, entity, all);
    return answer;
  }

  /** Modalities in Study and the related-instance and -series counts, when asked for. */
  private static void computed(DataSet answer, DataSet identifier, List<InstanceRecord> entity,
      List<InstanceRecord> all) {
    if (identifier.contains(Tag.ModalitiesInStudy)) {
      String study = entity.get(0).studyUid();
      Set<String> modalities = new LinkedHashSet<>();
      all.stream().filter(r -> r.studyUid().equals(study) && !r.modality().isEmpty())
          .forEach(r -> modalities.add(r.modality()));
      answer.putString(Tag.ModalitiesInStudy, Vr.CS, String.join("\\", modalities));
    }
    if (identifier.contains(Tag.NumberOfStudyRelatedInstances)) {
      String study = entity.get(0).studyUid();
      answer.putString(Tag.NumberOfStudyRelatedInstances, Vr.IS,
          Long.toString(all.stream().filter(r -> r.studyUid().equals(study)).count()));
    }
    if (identifier.contains(Tag.NumberOfSeriesRelatedInstances)) {
      String series = entity.get(0).seriesUid();
      answer.putString(Tag.NumberOfSeriesRelatedInstances, Vr.IS,
          Long.toString(all.stream().filter(r -> r.seriesUid().equals(series)).count()));
    }
  }

  /** The level the identifier asks for, if the model has it (PATIENT only in Patient Root). */
  private static QrLevel level(String sopClass, DataSet identifier) {
    String asked = identifier.getString(Tag.QueryRetrieveLevel, "").trim();
    for (QrLevel l : QrLevel.values()) {
      if (l.name().equals(asked)) {
        boolean patientRoot = sopClass.equals(PATIENT_ROOT_FIND) || sopClass.equals(PATIENT_ROOT_MOVE);
        return l == QrLevel.PATIENT && !patientRoot ? null : l;
      }
    }
    return null;
  }

  /** The instance's header (up to Pixel Data); its index attributes when the file cannot be read. */
  private static DataSet header(InstanceRecord r) {
    try {
      return Part10.readHeader(r.path(), HEADER_BYTES);
    } catch (IOException | DicomFormatException | RuntimeException unreadable) {
      DataSet known = new DataSet();
      known.putString(Tag.PatientID, Vr.LO, r.patientId());
      known.putString(Tag.StudyInstanceUID, Vr.UI, r.studyUid());
      known.putString(Tag.SeriesInstanceUID, Vr.UI, r.seriesUid());
      known.putString(Tag.SOPInstanceUID, Vr.UI, r.sopInstanceUid());
      known.putString(Tag.SOPClassUID, Vr.UI, r.sopClassUid());
      known.putString(Tag.Modality, Vr.CS, r.modality());
      known.putString(Tag.AccessionNumber, Vr.SH, r.accessionNumber());
      return known;
    }
  }

  /**
   * A C-MOVE: the instances of the matched entities sent to the destination AE on a new
   * association, a pending response after each, then the final one with the counts; the instances
   * the destination took are reported to the access listener first.
   */
  public void move(Caller caller, String sopClass, DataSet request, DataSet identifier, Responder out)
      throws IOException {
    QrLevel level = level(sopClass, identifier);
    String destination = request.getString(Tag.MoveDestination, "").trim();
    if (level == null) {
      out.send(Dimse.response(request, IDENTIFIER_DOES_NOT_MATCH, "Query/Retrieve Level missing or not of this model"), null);
      return;
    }
    if (!destinations.containsKey(destination)) {
      out.send(Dimse.response(request, MOVE_DESTINATION_UNKNOWN, "move destination unknown: " + destination), null);
      return;
    }
    Map<String, List<InstanceRecord>> matches = matches(level, identifier, catalog.instances());
    if (matches == null) {
      out.send(Dimse.response(request, Dimse.OUT_OF_RESOURCES, "more than " + MAX_MATCHES + " matches"), null);
      return;
    }
    List<InstanceRecord> files = matches.values().stream().flatMap(List::stream).toList();
    MoveSubOperations sub = new MoveSubOperations(aeTitle, destination, destinations.get(destination), request, out);
    DataSet done;
    try {
      done = sub.run(files);
    } finally {
      // reported before the final response, so the requestor never sees the end of an unrecorded move
      Map<String, Set<String>> disclosed = new java.util.TreeMap<>();
      sub.sent.forEach(r -> disclosed.computeIfAbsent(r.patientId(), p -> new java.util.TreeSet<>()).add(r.studyUid()));
      report(new Access(true, caller, aeTitle, describe("C-MOVE", level, identifier) + " to " + destination,
          disclosed, sub.sent.stream().map(InstanceRecord::sopInstanceUid).toList(), destination));
    }
    out.send(done, null);
  }

  /** The C-STORE sub-operations of one C-MOVE and their counts. */
  private static final class MoveSubOperations {
    private final String callingAe;
    private final String destination;
    private final String address;
    private final DataSet request;
    private final Responder out;
    private int completed;
    private int failed;
    /** The instances the destination took. */
    final List<InstanceRecord> sent = new ArrayList<>();

    MoveSubOperations(String callingAe, String destination, String address, DataSet request, Responder out) {
      this.callingAe = callingAe;
      this.destination = destination;
      this.address = address;
      this.request = request;
      this.out = out;
    }

    /** Sends the files with a pending response after each but the last; the final response, unsent. */
    DataSet run(List<InstanceRecord> files) throws IOException {
      if (files.isEmpty()) {
        return finalResponse(0);
      }
      int colon = address.lastIndexOf(':');
      try (StoreScu scu = StoreScu.open(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)),
          callingAe, destination, proposals(files), 30_000)) {
        for (int i = 0; i < files.size(); i++) {
          store(scu, files.get(i));
          if (i < files.size() - 1) {
            out.send(counts(Dimse.response(request, Dimse.PENDING, null), files.size() - i - 1), null);
          }
        }
      } catch (IOException | RuntimeException e) {
        LOG.log(java.util.logging.Level.WARNING, "C-MOVE to " + destination + " (" + address + ") failed", e);
        failed = files.size() - completed;
        return finalResponse(UNABLE_TO_PERFORM_SUBOPERATIONS);
      }
      return finalResponse(failed == 0 ? Dimse.SUCCESS : Dimse.SUBOPERATIONS_WARNING);
    }

    private void store(StoreScu scu, InstanceRecord r) throws IOException {
      try {
        String stored = Transcoder.storedSyntax(r.path());
        String accepted = scu.acceptedTransferSyntax(r.sopClassUid());
        byte[] file = stored.equals(accepted) ? Files.readAllBytes(r.path())
            : "1.2.840.10008.1.2.1".equals(accepted) && Transcoder.canMakeExplicitLittleEndian(stored)
                ? Transcoder.toExplicitLittleEndian(r.path()) : null;
        if (file != null && scu.store(file) == Dimse.SUCCESS) {
          completed++;
          sent.add(r);
          return;
        }
      } catch (DicomFormatException | io.seedtrace.dicom.codec.CodecException e) {
        LOG.log(java.util.logging.Level.WARNING, "C-MOVE: instance {0} not sent: {1}", new Object[] {r.sopInstanceUid(), e.getMessage()});
      }
      failed++;
    }

    /** One context per SOP class with each stored syntax and Explicit VR Little Endian. */
    private static List<StoreScu.Proposal> proposals(List<InstanceRecord> files) {
      Map<String, Set<String>> syntaxes = new LinkedHashMap<>();
      for (InstanceRecord r : files) {
        Set<String> s = syntaxes.computeIfAbsent(r.sopClassUid(), c -> new LinkedHashSet<>());
        try {
          s.add(Transcoder.storedSyntax(r.path()));
        } catch (IOException | DicomFormatException | RuntimeException unreadable) {
          // sent only if the peer takes Explicit VR Little Endian and it converts
        }
        s.add("1.2.840.10008.1.2.1");
      }
      return syntaxes.entrySet().stream().map(e -> new StoreScu.Proposal(e.getKey(), List.copyOf(e.getValue())))
          .limit(127).toList();
    }

    private DataSet counts(DataSet rsp, int remaining) {
      if (remaining >= 0) {
        rsp.putUS(Tag.NumberOfRemainingSuboperations, remaining);
      }
      rsp.putUS(Tag.NumberOfCompletedSuboperations, completed);
      rsp.putUS(Tag.NumberOfFailedSuboperations, failed);
      rsp.putUS(Tag.NumberOfWarningSuboperations, 0);
      return rsp;
    }

    private DataSet finalResponse(int status) {
      return counts(Dimse.response(request, status, status == Dimse.SUCCESS ? null
          : failed + " of " + (failed + completed) + " sub-operations failed"), -1);
    }
  }

  /** PS3.4 C.2.2.2 attribute matching of an identifier against an entity's header. */
  static final class Matching {
    private Matching() {}

    static boolean matches(DataSet identifier, DataSet header) {
      for (Element key : identifier.elements()) {
        int tag = key.tag();
        if (key.isSequence() || key.value() == null || key.value().length == 0 || tag == Tag.QueryRetrieveLevel
            || tag == Tag.SpecificCharacterSet || (tag >>> 16) == 0x0000 || computedKey(tag)) {
          continue;
        }
        String wanted = text(key.value()).strip();
        if (wanted.isEmpty() || wanted.equals("*")) {
          continue;
        }
        String have = header.get(tag).map(e -> e.value() == null ? "" : text(e.value()).strip()).orElse("");
        if (!one(key.vr(), wanted, have)) {
          return false;
        }
      }
      return true;
    }

    private static boolean computedKey(int tag) {
      return tag == Tag.ModalitiesInStudy || tag == Tag.NumberOfStudyRelatedInstances
          || tag == Tag.NumberOfSeriesRelatedInstances || tag == 0x00201206 || tag == 0x00080054;
    }

    static boolean one(Vr vr, String wanted, String have) {
      if (vr == Vr.UI) {
        for (String uid : wanted.split("\\\\")) {
          if (uid.strip().equals(have)) {
            return true;
          }
        }
        return false;
      }
      if ((vr == Vr.DA || vr == Vr.TM || vr == Vr.DT) && wanted.contains("-")) {
        int dash = wanted.indexOf('-');
        String from = wanted.substring(0, dash).strip();
        String to = wanted.substring(dash + 1).strip();
        return !have.isEmpty() && (from.isEmpty() || have.compareTo(from) >= 0)
            && (to.isEmpty() || have.compareTo(to) <= 0 || have.startsWith(to));
      }
      if (wanted.contains("*") || wanted.contains("?")) {
        StringBuilder regex = new StringBuilder();
        for (char c : wanted.toCharArray()) {
          regex.append(c == '*' ? ".*" : c == '?' ? "." : java.util.regex.Pattern.quote(String.valueOf(c)));
        }
        int flags = vr == Vr.PN ? java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.UNICODE_CASE : 0;
        return java.util.regex.Pattern.compile(regex.toString(), flags).matcher(have).matches();
      }
      return vr == Vr.PN ? wanted.equalsIgnoreCase(have) : wanted.equals(have);
    }

    static String text(byte[] value) {
      int end = value.length;
      while (end > 0 && (value[end - 1] == 0 || value[end - 1] == ' ')) {
        end--;
      }
      return new String(value, 0, end, StandardCharsets.UTF_8);
    }
  }
}
