package io.seedtrace.dicom.web;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.DataSetReader;
import io.seedtrace.dicom.data.DicomFormatException;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.net.Dimse;
import io.seedtrace.dicom.net.StoreHandler;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Receives the Part 10 files of a STOW-RS request (PS3.18 10.5) into the same {@link StoreHandler}
 * (the spool) a C-STORE goes to, part by part as the body streams in: each file's meta group is
 * read, its SOP class and transfer syntax checked against what the node accepts, and its data set
 * streamed into the spool, which answers as it answers a C-STORE (success only once the instance
 * is durable). A request is treated like an association: its series are marked as being carried
 * while it runs, and a body that breaks off marks them interrupted, so the series tracker waits for
 * a resend exactly as after an aborted association.
 *
 * <pre>{@code
 * StowReceiver receiver = new StowReceiver(spool, sopClasses::contains, syntaxes::contains, StowReceiver.Limits.DEFAULT);
 * StowReceiver.Result result = receiver.receive(body, boundary, Optional.empty(), "10.0.0.5");
 * }</pre>
 *
 * <p>Bounds: a part larger than {@link Limits#maxPartBytes()} or more than {@link Limits#maxParts()}
 * parts stop the reading (what was stored stays stored); a part's meta group may not exceed
 * {@value #MAX_META_BYTES} bytes. Memory per request: the multipart buffer, {@value #PREFIX}
 * bytes of the data set's start (its header, to check the study and name it in the response) and
 * a copy buffer of the same size.
 */
public final class StowReceiver {

  /** Failure reasons of PS3.18 (Store Instances response), as DIMSE statuses. */
  public static final int PROCESSING_FAILURE = 0x0110;
  public static final int SOP_CLASS_NOT_SUPPORTED = 0x0122;
  public static final int TRANSFER_SYNTAX_NOT_SUPPORTED = 0xC122;
  static final int MAX_META_BYTES = 64 * 1024;
  static final int PREFIX = 256 * 1024;

  /**
   * @param maxPartBytes largest part (one Part 10 file)
   * @param maxParts most parts in one request
   * @param maxHeaderBytes largest header block of one part
   */
  public record Limits(long maxPartBytes, int maxParts, int maxHeaderBytes) {
    public static final Limits DEFAULT = new Limits(1L << 30, 10_000, 8192);

    public Limits {
      if (maxPartBytes < 1024 || maxParts < 1 || maxHeaderBytes < 256) {
        throw new IllegalArgumentException("STOW-RS limits: max part >= 1 KiB, max parts >= 1, max header >= 256 bytes");
      }
    }
  }

  /**
   * What became of one part.
   *
   * @param sopClassUid empty when the part did not say
   * @param sopInstanceUid empty when the part did not say
   * @param studyUid the instance's study, empty when unknown
   * @param seriesUid the instance's series, empty when unknown
   * @param status 0 when stored, else the failure reason (a DIMSE status)
   */
  public record Instance(String sopClassUid, String sopInstanceUid, String studyUid, String seriesUid, int status,
      String comment) {
    public boolean stored() {
      return status == Dimse.SUCCESS;
    }
  }

  /**
   * What a request stored and refused, in the order of its parts.
   *
   * @param stoppedBecause why reading stopped before the close delimiter; empty when the body was whole
   * @param overLimit reading stopped at a limit (part size or count)
   */
  public record Result(List<Instance> instances, Optional<String> stoppedBecause, boolean overLimit) {
    public long storedCount() {
      return instances.stream().filter(Instance::stored).count();
    }
  }

  private final StoreHandler store;
  private final Predicate<String> sopClassAccepted;
  private final Predicate<String> transferSyntaxAccepted;
  private final Limits limits;

  public StowReceiver(StoreHandler store, Predicate<String> sopClassAccepted, Predicate<String> transferSyntaxAccepted,
      Limits limits) {
    this.store = store;
    this.sopClassAccepted = sopClassAccepted;
    this.transferSyntaxAccepted = transferSyntaxAccepted;
    this.limits = limits;
  }

  /**
   * Reads the whole body and stores each part.
   *
   * @param boundary the boundary of the request's {@code multipart/related} media type
   * @param study the study named in the URL: instances of other studies are refused
   * @param remoteAddress the client's address, for the spool's records
   * @throws MalformedMultipartException when not even one part could be read (nothing was stored)
   */
  public Result receive(InputStream body, String boundary, Optional<String> study, String remoteAddress)
      throws MalformedMultipartException {
    MultipartReader reader = new MultipartReader(body, boundary, limits.maxHeaderBytes());
    String requestId = "stow-" + UUID.randomUUID();
    List<Instance> instances = new ArrayList<>();
    Optional<String> stopped = Optional.empty();
    boolean overLimit = false;
    try {
      for (Optional<MultipartReader.Part> part = reader.next(); part.isPresent(); part = reader.next()) {
        if (instances.size() == limits.maxParts()) {
          overLimit = true;
          stopped = Optional.of("more than " + limits.maxParts() + " instances in one request; the rest was not read");
          break;
        }
        PartOutcome outcome = receivePart(part.get(), study, remoteAddress, requestId);
        instances.add(outcome.instance());
        if (outcome.stop() != null) {
          stopped = Optional.of(outcome.stop());
          overLimit = outcome.overLimit();
          break;
        }
      }
    } catch (MalformedMultipartException e) {
      if (instances.isEmpty()) {
        store.associationEnded(requestId, false);
        throw e;
      }
      stopped = Optional.of(e.getMessage());
    } catch (IOException e) {
      stopped = Optional.of("the request body could not be read: " + e.getMessage());
    }
    store.associationEnded(requestId, stopped.isEmpty());
    return new Result(List.copyOf(instances), stopped, overLimit);
  }

  /** One part's instance, and why reading must stop after it (null to go on). */
  private record PartOutcome(Instance instance, String stop, boolean overLimit) {
    static PartOutcome of(Instance instance) {
      return new PartOutcome(instance, null, false);
    }
  }

  private PartOutcome receivePart(MultipartReader.Part part, Optional<String> study, String remoteAddress,
      String requestId) throws IOException {
    BoundedPart in = new BoundedPart(part.body(), limits.maxPartBytes());
    try {
      return checkAndStore(part, in, study, remoteAddress, requestId);
    } catch (PartTooLargeException e) {
      return new PartOutcome(new Instance("", "", "", "", Dimse.OUT_OF_RESOURCES, e.getMessage()), e.getMessage()
          + "; the rest of the request was not read", true);
    } catch (MalformedMultipartException e) {
      return new PartOutcome(new Instance("", "", "", "", Dimse.CANNOT_UNDERSTAND, "incomplete: " + e.getMessage()),
          e.getMessage(), false);
    }
  }

  private PartOutcome checkAndStore(MultipartReader.Part part, BoundedPart in, Optional<String> study,
      String remoteAddress, String requestId) throws IOException {
    Optional<String> type = part.header("content-type").map(t -> t.split(";", 2)[0].trim().toLowerCase(Locale.ROOT));
    if (type.isPresent() && !type.get().equals("application/dicom")) {
      return drained(in, new Instance("", "", "", "", PROCESSING_FAILURE, "part of type " + type.get()
          + ", only application/dicom is stored"));
    }
    Part10Head head;
    try {
      head = Part10Head.read(in, MAX_META_BYTES);
    } catch (DicomFormatException e) {
      return drained(in, new Instance("", "", "", "", Dimse.CANNOT_UNDERSTAND, e.getMessage()));
    }
    if (!transferSyntaxAccepted.test(head.transferSyntaxUid())) {
      return drained(in, head.failed(TRANSFER_SYNTAX_NOT_SUPPORTED, "transfer syntax not accepted by this node"));
    }
    byte[] prefix;
    try {
      prefix = in.readNBytes(PREFIX);
    } catch (MalformedMultipartException e) {
      return new PartOutcome(head.failed(Dimse.CANNOT_UNDERSTAND, "incomplete: " + e.getMessage()), e.getMessage(),
          false);
    }
    // the data set names the instance (as a C-STORE SCU takes it from there); the meta group only
    // when the header could not be read from the start
    DataSet header = headerOf(head, prefix);
    Part10Head named = head.namedBy(header.getString(Tag.SOPClassUID, ""), header.getString(Tag.SOPInstanceUID, ""));
    String studyUid = header.getString(Tag.StudyInstanceUID, "");
    String seriesUid = header.getString(Tag.SeriesInstanceUID, "");
    if (!sopClassAccepted.test(named.sopClassUid())) {
      return drained(in, named.failed(SOP_CLASS_NOT_SUPPORTED, "SOP class not accepted by this node"));
    }
    if (study.isPresent() && !study.get().equals(studyUid)) {
      return drained(in, new Instance(named.sopClassUid(), named.sopInstanceUid(), studyUid, seriesUid,
          Dimse.DATA_SET_DOES_NOT_MATCH_SOP_CLASS, studyUid.isEmpty() ? "Study Instance UID not found in the first "
              + PREFIX + " bytes, cannot check it against the study of the URL"
              : "instance of study " + studyUid + " posted to study " + study.get()));
    }
    return store(in, named, prefix, new Instance(named.sopClassUid(), named.sopInstanceUid(), studyUid, seriesUid, 0,
        ""), remoteAddress, requestId);
  }

  private PartOutcome store(BoundedPart in, Part10Head head, byte[] prefix, Instance instance, String remoteAddress,
      String requestId) throws IOException {
    StoreHandler.Sink sink;
    try {
      sink = store.begin(new StoreHandler.StoreContext(null, remoteAddress, head.sopClassUid(), head.sopInstanceUid(),
          head.transferSyntaxUid(), requestId));
    } catch (IOException e) { // disk full, spool unwritable: as a C-STORE would be answered
      return drained(in, head.failed(Dimse.OUT_OF_RESOURCES, "could not store: " + e.getMessage()));
    }
    try {
      sink.write(head.dataSetStart());
      sink.write(prefix);
      // whole chunks: the servlet stream gives a few KiB per read, the spool writes better in larger pieces
      byte[] chunk = new byte[256 * 1024];
      for (int n = in.readNBytes(chunk, 0, chunk.length); n > 0; n = in.readNBytes(chunk, 0, chunk.length)) {
        sink.write(chunk, 0, n);
      }
    } catch (PartTooLargeException e) {
      sink.abandon();
      return new PartOutcome(head.failed(Dimse.OUT_OF_RESOURCES, e.getMessage()), e.getMessage()
          + "; the rest of the request was not read", true);
    } catch (IOException e) {
      sink.abandon();
      return new PartOutcome(head.failed(Dimse.CANNOT_UNDERSTAND, "incomplete: " + e.getMessage()), e.getMessage(),
          false);
    }
    StoreHandler.Outcome outcome = sink.complete();
    return PartOutcome.of(new Instance(instance.sopClassUid(), instance.sopInstanceUid(), instance.studyUid(),
        instance.seriesUid(), outcome.status(), outcome.comment() == null ? "" : outcome.comment()));
  }

  /** Reads what is left of a refused part, within the part limit. */
  private static PartOutcome drained(BoundedPart in, Instance refused) throws IOException {
    try {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return PartOutcome.of(refused);
    } catch (PartTooLargeException e) {
      return new PartOutcome(refused, e.getMessage() + "; the rest of the request was not read", true);
    }
  }

  /** The header from the start of the data set; empty if it cannot be read from there. */
  private static DataSet headerOf(Part10Head head, byte[] prefix) {
    TransferSyntax ts = TransferSyntax.of(head.transferSyntaxUid());
    if (ts.deflated()) {
      return new DataSet();
    }
    byte[] bytes = new byte[head.dataSetStart().length + prefix.length];
    System.arraycopy(head.dataSetStart(), 0, bytes, 0, head.dataSetStart().length);
    System.arraycopy(prefix, 0, bytes, head.dataSetStart().length, prefix.length);
    try {
      DataSet header = prefix.length < PREFIX
          ? DataSetReader.readHeader(bytes, 0, bytes.length, ts, Tag.PixelData)
          : DataSetReader.readHeaderOfPrefix(bytes, 0, bytes.length, ts, Tag.PixelData);
      return header;
    } catch (DicomFormatException | RuntimeException e) {
      return new DataSet();
    }
  }

  /** A part's body that throws once it has given more than the limit. */
  private static final class BoundedPart extends java.io.FilterInputStream {
    private final long limit;
    private long count;

    BoundedPart(InputStream in, long limit) {
      super(in);
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        counted(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        counted(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      return 0; // read instead, so every byte is counted
    }

    private void counted(int n) throws PartTooLargeException {
      count += n;
      if (count > limit) {
        throw new PartTooLargeException("a part is larger than the limit of " + limit + " bytes");
      }
    }
  }

  private static final class PartTooLargeException extends IOException {
    PartTooLargeException(String message) {
      super(message);
    }
  }
}
