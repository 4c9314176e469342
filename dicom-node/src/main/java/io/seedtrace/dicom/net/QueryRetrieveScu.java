package io.seedtrace.dicom.net;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.DataSetWriter;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.data.Vr;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Query/Retrieve SCU, Study Root (PS3.4 annex C): finds a patient's studies and a study's series
 * on a PACS (C-FIND) and asks the PACS to send a series or study to an AE (C-MOVE, normally our own
 * node, which receives it as any pushed series), or retrieves a series on this association (C-GET,
 * for a PACS that cannot connect back to us: the instances come as C-STORE sub-operations and go
 * into a {@link StoreHandler}, normally the node's spool, as a pushed series would).
 *
 * <p>Every call is bounded: each response must come within the response timeout, a whole call
 * within {@link Limits#maxDuration()}, a C-FIND stops (C-CANCEL) after {@link Limits#maxResults()}
 * matches, and no response identifier may exceed 64 KiB. A PACS that breaks a bound gets an
 * A-ABORT and the call throws.
 *
 * <pre>{@code
 * try (QueryRetrieveScu pacs = QueryRetrieveScu.open("pacs", 4242, "SEEDTRACE", "ORTHANC", Limits.defaults())) {
 *   Matches<Study> studies = pacs.findStudies(new StudyQuery("IP-2026-0042", from, to, "CT"));
 *   Matches<Series> series = pacs.findSeries(studies.items().get(0).studyUid(), "CT");
 *   MoveResult moved = pacs.moveSeries(studyUid, seriesUid, "SEEDTRACE");
 * }
 * try (QueryRetrieveScu pacs = QueryRetrieveScu.open("pacs", 4242, "SEEDTRACE", "ORTHANC", Limits.defaults(),
 *     Optional.empty(), new GetStorage(List.of(CT_IMAGE), NodeConfig.NATIVE_TRANSFER_SYNTAXES))) {
 *   MoveResult got = pacs.getSeries(studyUid, seriesUid, node.spool());
 * }
 * }</pre>
 */
public final class QueryRetrieveScu implements Closeable {

  public static final String STUDY_ROOT_FIND = "1.2.840.10008.5.1.4.1.2.2.1";
  public static final String STUDY_ROOT_MOVE = "1.2.840.10008.5.1.4.1.2.2.2";
  public static final String STUDY_ROOT_GET = "1.2.840.10008.5.1.4.1.2.2.3";
  static final int C_GET_RQ = 0x0010;

  private static final List<String> SYNTAXES = List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(),
      TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid());
  private static final int MAX_IDENTIFIER_BYTES = 64 * 1024;
  private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;

  /**
   * Bounds of every call.
   *
   * @param responseTimeout the longest wait for the next PDU (also for connecting)
   * @param maxDuration the longest a C-FIND or C-MOVE may take in all
   * @param maxResults matches after which a C-FIND is cancelled (the result says it was cut)
   * @param maxSubOperations instances one C-GET may store; further ones are refused and the C-GET
   *     cancelled
   */
  public record Limits(Duration responseTimeout, Duration maxDuration, int maxResults, int maxSubOperations) {
    public Limits {
      if (responseTimeout.isNegative() || responseTimeout.isZero() || maxDuration.isNegative()
          || maxDuration.isZero() || maxResults < 1 || maxSubOperations < 1) {
        throw new IllegalArgumentException("Query/Retrieve limits must be positive: " + responseTimeout + ", "
            + maxDuration + ", " + maxResults + ", " + maxSubOperations);
      }
    }

    /** With at most {@value #DEFAULT_MAX_SUB_OPERATIONS} instances per C-GET. */
    public Limits(Duration responseTimeout, Duration maxDuration, int maxResults) {
      this(responseTimeout, maxDuration, maxResults, DEFAULT_MAX_SUB_OPERATIONS);
    }

    public static final int DEFAULT_MAX_SUB_OPERATIONS = 10_000;

    /** 30 s per response, 10 min per call, 500 matches, 10,000 instances per C-GET. */
    public static Limits defaults() {
      return new Limits(Duration.ofSeconds(30), Duration.ofMinutes(10), 500);
    }
  }

  /**
   * What we offer to receive by C-GET: the storage SOP classes (each proposed with the SCP role,
   * PS3.7 D.3.3.4) and the transfer syntaxes we take them in (one presentation context per class
   * and syntax, so the PACS can send each instance as it holds it).
   */
  public record GetStorage(List<String> sopClasses, List<String> transferSyntaxes) {
    public GetStorage {
      sopClasses = List.copyOf(sopClasses);
      transferSyntaxes = List.copyOf(transferSyntaxes);
      if (sopClasses.isEmpty() || transferSyntaxes.isEmpty() || sopClasses.size() * transferSyntaxes.size() > 120) {
        throw new IllegalArgumentException("C-GET needs 1 to 120 storage presentation contexts, not "
            + sopClasses.size() + " classes x " + transferSyntaxes.size() + " syntaxes");
      }
    }
  }

  /**
   * A study-level search: patient ID (exact), study date range (either end open when null) and a
   * modality the study must contain (null: any).
   */
  public record StudyQuery(String patientId, LocalDate from, LocalDate to, String modality) {
    public StudyQuery {
      if (patientId == null || patientId.isBlank() || patientId.contains("*") || patientId.contains("?")
          || patientId.contains("\\")) {
        throw new IllegalArgumentException("A study query needs one exact patient ID, not '" + patientId + "'");
      }
    }
  }

  /** A study found: its UID, patient, date (YYYYMMDD or empty), modalities and instance count (-1 unknown). */
  public record Study(String studyUid, String patientId, String studyDate, List<String> modalities, int instances) {}

  /** A series found, with its modality and instance count (-1 when the PACS did not say). */
  public record Series(String studyUid, String seriesUid, String modality, int instances) {}

  /** The matches of a C-FIND; {@code truncated} when it was cancelled at the result cap. */
  public record Matches<T>(List<T> items, boolean truncated) {}

  /**
   * The end of a C-MOVE or C-GET: its final status and the sub-operation counts of the final
   * response (of the last pending one when the final response has none; for a C-GET whose PACS
   * reported no counts, the instances we stored and refused).
   */
  public record MoveResult(int status, int completed, int failed, int warnings, int pendingResponses) {
    /** Every sub-operation completed (status Success, nothing failed). */
    public boolean complete() {
      return status == Dimse.SUCCESS && failed == 0;
    }
  }

  private final RequestorAssociation as;
  private final Limits limits;
  private final String peer;

  private QueryRetrieveScu(RequestorAssociation as, Limits limits, String peer) {
    this.as = as;
    this.limits = limits;
    this.peer = peer;
  }

  /**
   * Opens an association proposing Study Root FIND and MOVE.
   *
   * @throws IOException if the PACS cannot be reached, rejects us, or accepts neither service
   */
  public static QueryRetrieveScu open(String host, int port, String callingAe, String calledAe, Limits limits)
      throws IOException {
    return open(host, port, callingAe, calledAe, limits, Optional.empty());
  }

  /**
   * As {@link #open(String, int, String, String, Limits)}, over DICOM TLS when settings are given
   * (the PACS certificate must be trusted and name {@code host}).
   */
  public static QueryRetrieveScu open(String host, int port, String callingAe, String calledAe, Limits limits,
      Optional<TlsSettings> tls) throws IOException {
    return open(host, port, callingAe, calledAe, limits, tls, null);
  }

  /**
   * As {@link #open(String, int, String, String, Limits, Optional)}, proposing Study Root GET too
   * and, for each class of {@code get}, a storage context per transfer syntax with the SCP role, so
   * that {@link #getSeries} can receive on this association.
   *
   * @param get what to receive by C-GET; null: C-GET is not proposed
   */
  public static QueryRetrieveScu open(String host, int port, String callingAe, String calledAe, Limits limits,
      Optional<TlsSettings> tls, GetStorage get) throws IOException {
    int timeout = (int) Math.min(Integer.MAX_VALUE, limits.responseTimeout().toMillis());
    List<StoreScu.Proposal> proposals = new ArrayList<>(List.of(new StoreScu.Proposal(STUDY_ROOT_FIND, SYNTAXES),
        new StoreScu.Proposal(STUDY_ROOT_MOVE, SYNTAXES)));
    List<Pdu.RoleSelection> roles = new ArrayList<>();
    if (get != null) {
      proposals.add(new StoreScu.Proposal(STUDY_ROOT_GET, SYNTAXES));
      for (String sopClass : get.sopClasses()) {
        get.transferSyntaxes().forEach(ts -> proposals.add(new StoreScu.Proposal(sopClass, List.of(ts))));
        roles.add(new Pdu.RoleSelection(sopClass, false, true));
      }
    }
    RequestorAssociation as = RequestorAssociation.open(host, port, callingAe, calledAe, proposals, roles, timeout,
        tls);
    if (as.context(STUDY_ROOT_FIND) == null && as.context(STUDY_ROOT_MOVE) == null
        && as.context(STUDY_ROOT_GET) == null) {
      as.close();
      throw new IOException(calledAe + " at " + host + ":" + port + " accepted neither Study Root FIND nor MOVE");
    }
    return new QueryRetrieveScu(as, limits, calledAe);
  }

  /** The studies of a patient in a date range, optionally with a modality in them. */
  public Matches<Study> findStudies(StudyQuery query) throws IOException {
    DataSet keys = new DataSet();
    keys.putString(Tag.QueryRetrieveLevel, Vr.CS, "STUDY");
    keys.putString(Tag.PatientID, Vr.LO, query.patientId());
    keys.putString(Tag.StudyDate, Vr.DA, dateRange(query.from(), query.to()));
    keys.putString(Tag.ModalitiesInStudy, Vr.CS, query.modality() == null ? "" : query.modality());
    keys.putString(Tag.StudyInstanceUID, Vr.UI, "");
    keys.putString(Tag.NumberOfStudyRelatedInstances, Vr.IS, "");
    Matches<Study> all = find(keys, ds -> new Study(ds.getString(Tag.StudyInstanceUID, ""),
        ds.getString(Tag.PatientID, ""), ds.getString(Tag.StudyDate, ""), List.of(ds.getStrings(Tag.ModalitiesInStudy)),
        count(ds, Tag.NumberOfStudyRelatedInstances)));
    // A PACS that ignores Modalities in Study as a key still returns it: filter here too.
    List<Study> kept = all.items().stream().filter(s -> !s.studyUid().isEmpty())
        .filter(s -> query.modality() == null || s.modalities().isEmpty() || s.modalities().contains(query.modality()))
        .toList();
    return new Matches<>(kept, all.truncated());
  }

  /** The series of a study, optionally of one modality. */
  public Matches<Series> findSeries(String studyUid, String modality) throws IOException {
    DataSet keys = new DataSet();
    keys.putString(Tag.QueryRetrieveLevel, Vr.CS, "SERIES");
    keys.putString(Tag.StudyInstanceUID, Vr.UI, studyUid);
    keys.putString(Tag.SeriesInstanceUID, Vr.UI, "");
    keys.putString(Tag.Modality, Vr.CS, modality == null ? "" : modality);
    keys.putString(Tag.NumberOfSeriesRelatedInstances, Vr.IS, "");
    Matches<Series> all = find(keys, ds -> new Series(ds.getString(Tag.StudyInstanceUID, studyUid),
        ds.getString(Tag.SeriesInstanceUID, ""), ds.getString(Tag.Modality, ""),
        count(ds, Tag.NumberOfSeriesRelatedInstances)));
    List<Series> kept = all.items().stream().filter(s -> !s.seriesUid().isEmpty())
        .filter(s -> modality == null || modality.equals(s.modality())).toList();
    return new Matches<>(kept, all.truncated());
  }

  /** Asks the PACS to send one series to {@code destinationAe}. */
  public MoveResult moveSeries(String studyUid, String seriesUid, String destinationAe) throws IOException {
    DataSet keys = new DataSet();
    keys.putString(Tag.QueryRetrieveLevel, Vr.CS, "SERIES");
    keys.putString(Tag.StudyInstanceUID, Vr.UI, studyUid);
    keys.putString(Tag.SeriesInstanceUID, Vr.UI, seriesUid);
    return move(keys, destinationAe);
  }

  /** Asks the PACS to send a whole study to {@code destinationAe}. */
  public MoveResult moveStudy(String studyUid, String destinationAe) throws IOException {
    DataSet keys = new DataSet();
    keys.putString(Tag.QueryRetrieveLevel, Vr.CS, "STUDY");
    keys.putString(Tag.StudyInstanceUID, Vr.UI, studyUid);
    return move(keys, destinationAe);
  }

  /**
   * Retrieves one series on this association (C-GET): every instance the PACS sends is stored into
   * {@code store} as it arrives, exactly as a C-STORE pushed to the node. Each C-GET is one transfer
   * for the store's series tracker: when it ends, the store hears whether it ended whole (final
   * status success, nothing failed) or broke off, so a series cut off by a failing PACS is held as
   * interrupted while one fetched whole before it on the same association is not. What was stored
   * before a failure stays stored.
   *
   * @throws IOException if the PACS did not accept Study Root GET, or the association ended, took
   *     longer than {@link Limits#maxDuration()} or broke the protocol before the final response
   */
  public MoveResult getSeries(String studyUid, String seriesUid, StoreHandler store) throws IOException {
    DataSet keys = new DataSet();
    keys.putString(Tag.QueryRetrieveLevel, Vr.CS, "SERIES");
    keys.putString(Tag.StudyInstanceUID, Vr.UI, studyUid);
    keys.putString(Tag.SeriesInstanceUID, Vr.UI, seriesUid);
    int ctx = context(STUDY_ROOT_GET, "C-GET");
    int id = as.nextMessageId();
    String transferId = java.util.UUID.randomUUID().toString();
    boolean whole = false;
    try {
      as.send(ctx, true, Dimse.encode(Dimse.queryRetrieveRq(C_GET_RQ, id, STUDY_ROOT_GET)));
      as.send(ctx, false, DataSetWriter.toBytes(keys, TransferSyntax.of(as.transferSyntax(ctx))));
      GetTransfer transfer = new GetTransfer(as, store, peer, transferId, id, ctx, limits.maxSubOperations());
      MoveResult result = transfer.run(System.nanoTime() + limits.maxDuration().toNanos(),
          limits.maxDuration().toString());
      whole = result.complete();
      return result;
    } catch (IOException | RuntimeException broken) {
      as.abort(); // the association is not usable any more: closing it must not try a release
      throw broken;
    } finally {
      store.associationEnded(transferId, whole);
    }
  }

  /** Whether the PACS agreed to send us storage class {@code sopClassUid} on this association. */
  public boolean canReceiveByGet(String sopClassUid) {
    return as.context(STUDY_ROOT_GET) != null && as.context(sopClassUid) != null && as.scpRoleAccepted(sopClassUid);
  }

  private <T> Matches<T> find(DataSet keys, Function<DataSet, T> match) throws IOException {
    int ctx = context(STUDY_ROOT_FIND, "C-FIND");
    int id = as.nextMessageId();
    as.send(ctx, true, Dimse.encode(Dimse.queryRetrieveRq(Dimse.C_FIND_RQ, id, STUDY_ROOT_FIND)));
    as.send(ctx, false, DataSetWriter.toBytes(keys, TransferSyntax.of(as.transferSyntax(ctx))));
    long deadline = System.nanoTime() + limits.maxDuration().toNanos();
    List<T> items = new ArrayList<>();
    boolean cancelled = false;
    while (true) {
      checkDeadline(deadline, "C-FIND");
      RequestorAssociation.Response rsp = as.receiveResponse(MAX_IDENTIFIER_BYTES);
      int status = rsp.status();
      if (status == Dimse.PENDING || status == Dimse.PENDING_WARNING) {
        if (rsp.dataSet() != null && items.size() < limits.maxResults()) {
          items.add(match.apply(rsp.dataSet()));
        }
        if (items.size() >= limits.maxResults() && !cancelled) {
          as.send(ctx, true, Dimse.encode(Dimse.cancelRq(id)));
          cancelled = true;
        }
        continue;
      }
      if (status == Dimse.SUCCESS || status == Dimse.CANCEL) {
        return new Matches<>(List.copyOf(items), cancelled);
      }
      throw new IOException("C-FIND on " + peer + " failed with status " + hex(status) + comment(rsp));
    }
  }

  private MoveResult move(DataSet keys, String destinationAe) throws IOException {
    int ctx = context(STUDY_ROOT_MOVE, "C-MOVE");
    int id = as.nextMessageId();
    DataSet rq = Dimse.queryRetrieveRq(Dimse.C_MOVE_RQ, id, STUDY_ROOT_MOVE);
    rq.putString(Tag.MoveDestination, Vr.AE, destinationAe);
    as.send(ctx, true, Dimse.encode(rq));
    as.send(ctx, false, DataSetWriter.toBytes(keys, TransferSyntax.of(as.transferSyntax(ctx))));
    long deadline = System.nanoTime() + limits.maxDuration().toNanos();
    int pending = 0;
    int[] counts = {0, 0, 0};
    while (true) {
      checkDeadline(deadline, "C-MOVE");
      RequestorAssociation.Response rsp = as.receiveResponse(MAX_IDENTIFIER_BYTES);
      int status = rsp.status();
      DataSet c = rsp.command();
      if (c.contains(Tag.NumberOfCompletedSuboperations) || c.contains(Tag.NumberOfFailedSuboperations)) {
        counts[0] = c.getInt(Tag.NumberOfCompletedSuboperations).orElse(counts[0]);
        counts[1] = c.getInt(Tag.NumberOfFailedSuboperations).orElse(counts[1]);
        counts[2] = c.getInt(Tag.NumberOfWarningSuboperations).orElse(counts[2]);
      }
      if (status == Dimse.PENDING || status == Dimse.PENDING_WARNING) {
        pending++;
        continue;
      }
      if (status == Dimse.SUCCESS || status == Dimse.SUBOPERATIONS_WARNING || status == Dimse.CANCEL
          || (status & 0xF000) == 0xA000 || (status & 0xF000) == 0xC000) {
        return new MoveResult(status, counts[0], counts[1], counts[2], pending);
      }
      throw new IOException("C-MOVE on " + peer + " ended with status " + hex(status) + comment(rsp));
    }
  }

  private int context(String sopClass, String service) throws IOException {
    Integer ctx = as.context(sopClass);
    if (ctx == null) {
      throw new IOException(peer + " did not accept Study Root " + service);
    }
    return ctx;
  }

  private void checkDeadline(long deadline, String service) throws IOException {
    if (System.nanoTime() > deadline) {
      as.abort();
      throw new IOException(service + " on " + peer + " took longer than " + limits.maxDuration()
          + "; association aborted");
    }
  }

  /** A DICOM date range; "" (universal match) when both ends are open. */
  static String dateRange(LocalDate from, LocalDate to) {
    if (from == null && to == null) {
      return "";
    }
    return (from == null ? "" : from.format(DA)) + "-" + (to == null ? "" : to.format(DA));
  }

  private static int count(DataSet ds, int tag) {
    try {
      return ds.getInt(tag).orElse(-1);
    } catch (NumberFormatException bad) {
      return -1;
    }
  }

  private static String hex(int status) {
    return String.format("%04X", status);
  }

  private static String comment(RequestorAssociation.Response rsp) {
    return rsp.command().getString(Tag.ErrorComment).map(c -> " (" + c + ")").orElse("");
  }

  /** Ends the association with an A-ABORT (e.g. from another thread on shutdown). */
  public void abort() {
    as.abort();
  }

  /** Releases the association. */
  @Override
  public void close() throws IOException {
    as.close();
  }
}
