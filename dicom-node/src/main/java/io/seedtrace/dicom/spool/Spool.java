package io.seedtrace.dicom.spool;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.DataSetReader;
import io.seedtrace.dicom.data.DicomFormatException;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.net.Dimse;
import io.seedtrace.dicom.net.StoreHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import java.util.regex.Pattern;

/**
 * The durable store of received instances: {@code <root>/<Study>/<Series>/<SOP>.dcm}.
 *
 * <p>An instance is streamed into a file of the {@link SpoolReserve reserve} (written ahead and
 * fsync'd, {@code .reserve/}) or, when the reserve is empty or disabled, into a new file in {@code
 * .incoming}. Before the C-STORE success is sent it is made durable: a reserve file gets a receipt
 * (length and CRC-32C) in its preamble and one {@code fdatasync} (the blocks were written before,
 * so no journal commit is needed); a new file is renamed, still in {@code .incoming}, to a name
 * carrying its length and CRC-32C ({@code .ok}) and fsync'd, which on a journaling file system
 * (ext4, XFS) makes its data and that rename durable together.
 *
 * <p>After the response, one background thread, in receipt order, cuts a reserve file to its
 * length, renames the file into place, appends a line to {@code <root>/index.tsv} and tells the
 * listener. None of that needs an fsync of its own: after a crash the receipt or the {@code .ok}
 * name is still there, and the next start checks length and CRC and puts the file in place
 * (anything else left was never acknowledged and is deleted). {@link #indexed()} waits for that
 * thread and rescans the directories for files whose index line a crash lost. The same SOP
 * Instance UID again replaces the file and is indexed once per receipt (readers keep the last line
 * per SOP). Any I/O failure before the response (disk full) answers A700 and leaves no partial file.
 */
public final class Spool implements StoreHandler, AutoCloseable {

  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(Spool.class.getName());

  private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");
  /** {@code <uuid>.<length>.<crc32c hex>.ok}: a received file that was made durable under this name. */
  private static final Pattern READY = Pattern.compile("[0-9a-f-]+\\.([0-9]+)\\.([0-9a-f]{1,8})\\.ok");
  private static final int HEADER_PREFIX = 1 << 20;
  /** Bytes of each data set kept in memory while streaming: enough for the header of an image. */
  private static final int KEPT_PREFIX = 64 * 1024;

  private final Path root;
  private final Path incoming;
  private final Path index;
  private final Consumer<InstanceRecord> listener;
  private final List<Consumer<InstanceRecord>> alsoTold = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final AssociationListener associations;
  /** Series UIDs stored per open association (by association id). */
  private final java.util.Map<String, java.util.Set<String>> carried = new java.util.concurrent.ConcurrentHashMap<>();
  private final SpoolReserve reserve;
  /** Held while this spool is open: two nodes on one spool would take each other's files. */
  private final FileChannel lock;
  /** Puts durable instances in place after their response, one at a time in receipt order. */
  private final java.util.concurrent.ExecutorService finisher = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "dicom-spool-finish");
    t.setDaemon(true);
    return t;
  });

  /**
   * A spool without a reserve: every instance goes to a new file.
   *
   * @param listener told of every instance once it is durable (the series tracker)
   * @throws UncheckedIOException if the spool directories cannot be created
   */
  public Spool(Path root, Consumer<InstanceRecord> listener) {
    this(root, listener, 0, 64 * 1024);
  }

  /**
   * A spool keeping {@code reservedFiles} files of {@code reservedFileBytes} ready in {@code
   * <root>/.reserve} (see {@link SpoolReserve}); instances received into them were acknowledged
   * before a crash are put in place here.
   *
   * @throws UncheckedIOException if the spool directories cannot be created or read
   */
  public Spool(Path root, Consumer<InstanceRecord> listener, int reservedFiles, int reservedFileBytes) {
    this(root, listener, AssociationListener.NONE, reservedFiles, reservedFileBytes);
  }

  /**
   * As above, telling {@code associations} which series each association carried and how it ended,
   * in receipt order with the instances.
   */
  public Spool(Path root, Consumer<InstanceRecord> listener, AssociationListener associations, int reservedFiles,
      int reservedFileBytes) {
    this.associations = associations;
    this.root = root.toAbsolutePath();
    this.incoming = this.root.resolve(".incoming");
    this.index = this.root.resolve("index.tsv");
    this.listener = listener;
    this.lock = lock(this.root);
    try {
      this.reserve = new SpoolReserve(this.root.resolve(".reserve"), reservedFiles, reservedFileBytes);
      for (Path received : reserve.receipts()) {
        if (!finishReceipt(received)) {
          Files.deleteIfExists(received);
        }
      }
    } catch (IOException | RuntimeException e) {
      closeQuietly(lock);
      throw new UncheckedIOException("Cannot prepare the DICOM spool reserve in " + root,
          e instanceof IOException io ? io : new IOException(e));
    }
    try {
      Files.createDirectories(incoming);
      try (var leftovers = Files.list(incoming)) {
        for (Path p : leftovers.sorted().toList()) {
          if (!finishRename(p)) {
            Files.deleteIfExists(p); // partial receipts of a crashed run were never acknowledged
          }
        }
      }
    } catch (IOException e) {
      reserve.close();
      closeQuietly(lock);
      throw new UncheckedIOException("Cannot prepare the DICOM spool " + root, e);
    }
  }

  public Path root() {
    return root;
  }

  /**
   * Moves a file that was made durable as {@code .ok} before a crash into its place, if its length
   * and CRC prove it whole; false for anything else.
   */
  private boolean finishRename(Path file) throws IOException {
    java.util.regex.Matcher m = READY.matcher(file.getFileName().toString());
    if (!m.matches() || Files.size(file) != Long.parseLong(m.group(1))) {
      return false;
    }
    int crc;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      crc = SpoolReserve.crc32c(ch, 0, ch.size());
    }
    return crc == (int) Long.parseLong(m.group(2), 16) && moveIntoPlace(file);
  }

  /** Moves a recovered file into its place with durable names; false if it does not read as an instance. */
  private boolean moveIntoPlace(Path file) throws IOException {
    java.util.Optional<InstanceRecord> r = recordOf(file);
    if (r.isEmpty() || !validUid(r.get().studyUid()) || !validUid(r.get().seriesUid())
        || !validUid(r.get().sopInstanceUid())) {
      return false;
    }
    Path dir = root.resolve(r.get().studyUid()).resolve(r.get().seriesUid());
    Files.createDirectories(dir);
    Files.move(file, dir.resolve(r.get().sopInstanceUid() + ".dcm"), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    SpoolReserve.fsyncDirectory(dir);
    SpoolReserve.fsyncDirectory(dir.getParent());
    SpoolReserve.fsyncDirectory(root);
    return true;
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // already failing
    }
  }

  private static FileChannel lock(Path root) {
    FileChannel ch = null;
    try {
      Files.createDirectories(root);
      ch = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      if (ch.tryLock() == null) {
        throw new IOException("the spool is in use by another process");
      }
      return ch;
    } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
      try {
        if (ch != null) {
          ch.close();
        }
      } catch (IOException ignored) {
        // already failing
      }
      throw new UncheckedIOException("Cannot open the DICOM spool " + root + ": "
          + (e instanceof IOException ? e.getMessage() : "it is already open in this process"),
          e instanceof IOException io ? io : new IOException(e));
    }
  }

  /** Cuts a reserve file holding a receipt to its length and moves it into place; false if it is not an instance. */
  private boolean finishReceipt(Path file) throws IOException {
    java.util.Optional<Long> length = SpoolReserve.receipt(file);
    if (length.isEmpty()) {
      return false;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(length.get());
      ch.force(true);
    }
    return moveIntoPlace(file);
  }

  /** Files of the reserve ready to receive (for monitoring and tests). */
  public int reserveReady() {
    return reserve.readyCount();
  }

  /**
   * Cuts a received file to its length, renames it into place, indexes it and tells the listener.
   * On failure the file stays where it is durable and the next start puts it in place.
   */
  private void putInPlace(Path durable, FileChannel channel, boolean reserved, long size, InstanceRecord record) {
    try {
      try (channel) {
        if (reserved) {
          channel.truncate(size);
        }
      }
      Files.createDirectories(record.path().getParent());
      Files.move(durable, record.path(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      appendToIndex(record);
    } catch (IOException | RuntimeException e) {
      LOG.log(java.util.logging.Level.SEVERE, "Acknowledged instance " + record.sopInstanceUid() + " stays in " + durable
          + " until the next start: " + e.getMessage(), e);
      return;
    }
    try {
      listener.accept(record);
    } catch (RuntimeException e) {
      // stored and indexed: the series tracker finds it again from the index at the next start
      LOG.log(java.util.logging.Level.SEVERE, "Instance " + record.sopInstanceUid() + " is stored but its series was not told: "
          + e.getMessage(), e);
    }
    for (Consumer<InstanceRecord> other : alsoTold) {
      try {
        other.accept(record);
      } catch (RuntimeException e) {
        LOG.log(java.util.logging.Level.WARNING, "Instance " + record.sopInstanceUid() + " is stored; a listener failed: "
            + e.getMessage(), e);
      }
    }
  }

  /**
   * Also tells {@code listener} of every instance put in place from now on, after the series
   * tracker (a catalogue kept elsewhere, say); its failures are logged and change nothing here.
   */
  public void alsoTell(Consumer<InstanceRecord> listener) {
    alsoTold.add(listener);
  }

  /** Waits until every acknowledged instance is in place, indexed and told to the listener. */
  public void awaitInPlace() throws IOException {
    try {
      finisher.submit(() -> { }).get();
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // closed: nothing is pending
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while waiting for the spool");
    }
  }

  /** Stops refilling the reserve (its files stay for the next start) and puts what is pending in place. */
  @Override
  public void close() {
    reserve.close();
    finisher.shutdown();
    try {
      if (!finisher.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS)) {
        finisher.shutdownNow();
      }
    } catch (InterruptedException e) {
      finisher.shutdownNow();
      Thread.currentThread().interrupt();
    }
    try {
      lock.close();
    } catch (IOException ignored) {
      // the lock goes with the process anyway
    }
  }

  /** The first instance of a series on an association: its listener hears of it before the instance. */
  private void noteCarried(String associationId, String seriesUid) {
    if (associationId != null && carried.computeIfAbsent(associationId, id -> java.util.concurrent.ConcurrentHashMap
        .newKeySet()).add(seriesUid)) {
      finisher.execute(() -> associations.carried(seriesUid));
    }
  }

  /** Tells the association listener, after the association's instances, how it ended for each series it carried. */
  @Override
  public void associationEnded(String associationId, boolean released) {
    java.util.Set<String> series = associationId == null ? null : carried.remove(associationId);
    if (series == null) {
      return;
    }
    try {
      finisher.execute(() -> series.forEach(uid -> associations.ended(uid, released)));
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // closing: a series left marked open is treated as interrupted at the next start
    }
  }

  /**
   * All stored instances, last receipt per SOP Instance UID, in receipt order. Rescans the spool
   * directories: a stored file whose index line was lost in a crash is read and indexed again.
   */
  public List<InstanceRecord> indexed() throws IOException {
    awaitInPlace();
    synchronized (this) {
      return rescan();
    }
  }

  private List<InstanceRecord> rescan() throws IOException {
    java.util.LinkedHashMap<String, InstanceRecord> bySop = new java.util.LinkedHashMap<>();
    List<String> lines = Files.exists(index) ? Files.readAllLines(index, StandardCharsets.UTF_8) : List.of();
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      try {
        InstanceRecord r = InstanceRecord.fromIndexLine(line);
        if (Files.exists(r.path())) {
          bySop.remove(r.sopInstanceUid());
          bySop.put(r.sopInstanceUid(), r);
        }
      } catch (IllegalArgumentException torn) {
        // a line torn by a crash during append; the rescan below finds its file
      }
    }
    java.util.Set<Path> known = new java.util.HashSet<>();
    bySop.values().forEach(r -> known.add(r.path()));
    for (Path f : storedFiles()) {
      if (known.contains(f)) {
        continue;
      }
      java.util.Optional<InstanceRecord> found = recordOf(f);
      if (found.isPresent()) {
        InstanceRecord r = found.get();
        bySop.remove(r.sopInstanceUid());
        bySop.put(r.sopInstanceUid(), r);
        appendToIndex(r);
      }
    }
    return new ArrayList<>(bySop.values());
  }

  /** The files at {@code <Study>/<Series>/*.dcm}; the working directories (.incoming, .reserve) are not looked into. */
  private List<Path> storedFiles() throws IOException {
    List<Path> found = new ArrayList<>();
    try (var studies = Files.newDirectoryStream(root, p -> Files.isDirectory(p) && !p.getFileName().toString().startsWith("."))) {
      for (Path study : studies) {
        try (var series = Files.newDirectoryStream(study, Files::isDirectory)) {
          for (Path s : series) {
            try (var files = Files.newDirectoryStream(s, "*.dcm")) {
              files.forEach(found::add);
            }
          }
        }
      }
    }
    return found;
  }

  /** The index record of a stored file; empty for a file that is not one of ours or unreadable. */
  private static java.util.Optional<InstanceRecord> recordOf(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      int offset = Part10.dataSetOffset(bytes);
      DataSet meta = DataSetReader.read(bytes, 132, offset - 132, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, 0);
      TransferSyntax ts = TransferSyntax.of(meta.getString(Tag.TransferSyntaxUID, "1.2.840.10008.1.2.1"));
      DataSet h = DataSetReader.readHeader(bytes, offset, bytes.length - offset, ts, Tag.PixelData);
      return java.util.Optional.of(InstanceRecord.of(h, file));
    } catch (IOException | DicomFormatException e) {
      return java.util.Optional.empty();
    }
  }

  @Override
  public Sink begin(StoreContext context) throws IOException {
    java.util.Optional<Path> slot = reserve.take();
    Path tmp = slot.orElseGet(() -> incoming.resolve(UUID.randomUUID() + ".part"));
    // readable too: the completeness check may walk what follows an encapsulated Pixel Data
    FileChannel channel = slot.isPresent() ? FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE)
        : FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      byte[] meta = Part10.metaHeader(context.sopClassUid(), context.sopInstanceUid(), context.transferSyntaxUid(),
          context.callingAe());
      writeAll(channel, meta);
      FileSink sink = new FileSink(context, tmp, channel, meta.length, slot.isPresent());
      if (slot.isPresent()) {
        sink.crc.update(meta, 128, meta.length - 128); // the receipt's CRC leaves out the preamble it sits in
      } else {
        sink.crc.update(meta);
      }
      return sink;
    } catch (IOException e) {
      channel.close();
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  private static void writeAll(FileChannel channel, byte[] bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) {
      channel.write(b);
    }
  }

  private final class FileSink implements Sink {
    private final StoreContext context;
    private Path tmp;
    private final FileChannel channel;
    private final int headerLength;
    /** Receiving into a file of the reserve (durable by a receipt) rather than a new file. */
    private final boolean reserved;
    private final byte[] prefix = new byte[KEPT_PREFIX];
    private final CRC32C crc = new CRC32C();
    private int kept;
    private long size;
    private IOException failure;
    /** The last bytes received (an encapsulated Pixel Data ends with its sequence delimiter). */
    private final byte[] last = new byte[8];

    FileSink(StoreContext context, Path tmp, FileChannel channel, int headerLength, boolean reserved) {
      this.context = context;
      this.reserved = reserved;
      this.tmp = tmp;
      this.channel = channel;
      this.headerLength = headerLength;
      this.size = headerLength;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      if (failure != null) {
        return;
      }
      try {
        if (kept < prefix.length) {
          int n = Math.min(length, prefix.length - kept);
          System.arraycopy(bytes, offset, prefix, kept, n);
          kept += n;
        }
        crc.update(bytes, offset, length);
        keepLast(bytes, offset, length);
        ByteBuffer b = ByteBuffer.wrap(bytes, offset, length);
        while (b.hasRemaining()) {
          channel.write(b);
        }
        size += length;
      } catch (IOException e) {
        failure = e; // keep consuming the PDVs; the response will say A700
      }
    }

    @Override
    public Outcome complete() {
      try {
        if (failure != null) {
          throw failure;
        }
        if (size == headerLength) {
          discard();
          return new Outcome(Dimse.CANNOT_UNDERSTAND, "Empty data set");
        }
        DataSet header = header(tmp, size);
        String sop = header.getString(Tag.SOPInstanceUID, "");
        String sopClass = header.getString(Tag.SOPClassUID, "");
        if (!sop.equals(context.sopInstanceUid()) || !sopClass.equals(context.sopClassUid())) {
          discard();
          return new Outcome(Dimse.DATA_SET_DOES_NOT_MATCH_SOP_CLASS, "SOP Class/Instance UID differ from the command");
        }
        String study = header.getString(Tag.StudyInstanceUID, "");
        String series = header.getString(Tag.SeriesInstanceUID, "");
        if (!validUid(study) || !validUid(series) || !validUid(sop)) {
          discard();
          return new Outcome(Dimse.CANNOT_UNDERSTAND, "Missing or invalid Study, Series or SOP Instance UID");
        }
        String truncated = truncation();
        if (truncated != null) {
          discard();
          return new Outcome(Dimse.CANNOT_UNDERSTAND, truncated);
        }
        if (reserved) {
          // The receipt and the data become durable together with one fdatasync: the blocks were
          // written before, so no metadata needs a journal commit.
          reserve.inUse();
          channel.write(SpoolReserve.receipt(size, (int) crc.getValue()), 0);
          channel.force(false);
        } else {
          // One fsync makes the data and the new name durable together (the journal commits them
          // in order).
          Path ready = incoming.resolve(tmp.getFileName().toString().replace(".part", "")
              + "." + size + "." + Integer.toHexString((int) crc.getValue()) + ".ok");
          Files.move(tmp, ready, StandardCopyOption.ATOMIC_MOVE);
          tmp = ready;
          channel.force(true);
        }
        InstanceRecord record = InstanceRecord.of(header, root.resolve(study).resolve(series).resolve(sop + ".dcm"));
        // Durable now: what remains (cut a reserve file to its length, rename into place, index,
        // tell the listener) is done after the response, in receipt order; the next start
        // finishes it from the receipt or the .ok name if a crash comes first.
        Path durable = tmp;
        noteCarried(context.associationId(), series);
        finisher.execute(() -> putInPlace(durable, channel, reserved, size, record));
        return Outcome.success();
      } catch (DicomFormatException e) {
        discard();
        return new Outcome(Dimse.CANNOT_UNDERSTAND, e.getMessage());
      } catch (IOException | RuntimeException e) {
        discard();
        return new Outcome(Dimse.OUT_OF_RESOURCES, "Could not store: " + e.getMessage());
      }
    }

    private void keepLast(byte[] bytes, int offset, int length) {
      int n = Math.min(length, last.length);
      System.arraycopy(last, n, last, 0, last.length - n);
      System.arraycopy(bytes, offset + length - n, last, last.length - n, n);
    }

    /**
     * Why the data set is not whole (Pixel Data cut short, or an encapsulated one not delimited,
     * or an element after it cut short), or null. Checked before the response: a PACS that is told C000 sends the instance again,
     * one told 0000 never does. Judged from the bytes kept while streaming, which hold the header
     * of any image (a header beyond them is not checked here).
     */
    private String truncation() throws DicomFormatException {
      long received = size - headerLength;
      byte[] tail = received >= last.length ? last : new byte[0];
      return DataSetReader.pixelDataProblem(prefix, 0, kept, TransferSyntax.of(context.transferSyntaxUid()), received,
          tail, channel, headerLength);
    }

    /** The header from the bytes kept while streaming; the file is read again only if they end inside it. */
    private DataSet header(Path file, long size) throws IOException, DicomFormatException {
      TransferSyntax ts = TransferSyntax.of(context.transferSyntaxUid());
      if (kept == size - headerLength) {
        return DataSetReader.readHeader(prefix, 0, kept, ts, Tag.PixelData);
      }
      if (!ts.deflated()) {
        try {
          return DataSetReader.readHeaderOfPrefix(prefix, 0, kept, ts, Tag.PixelData);
        } catch (DicomFormatException truncated) {
          // the header goes on beyond the kept bytes
        }
      }
      return readHeader(file, size);
    }

    private DataSet readHeader(Path file, long size) throws IOException, DicomFormatException {
      int prefix = (int) Math.min(size, HEADER_PREFIX);
      byte[] bytes = new byte[prefix];
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining() && ch.read(b) >= 0) {
          // fill
        }
      }
      TransferSyntax ts = TransferSyntax.of(context.transferSyntaxUid());
      if (ts.deflated() && size > prefix) {
        bytes = Files.readAllBytes(file);
      }
      return DataSetReader.readHeader(bytes, headerLength, bytes.length - headerLength, ts, Tag.PixelData);
    }

    @Override
    public void abandon() {
      discard();
    }

    private void discard() {
      try {
        channel.close();
      } catch (IOException ignored) {
        // deleting it anyway
      }
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // a leftover in .incoming is removed at the next start
      }
    }
  }

  private static boolean validUid(String uid) {
    return uid.length() <= 64 && UID.matcher(uid).matches();
  }

  private synchronized void appendToIndex(InstanceRecord record) throws IOException {
    try (FileChannel ch = FileChannel.open(index, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      // Not fsync'd: the renamed, fsync'd file is the durable record; indexed() rescans the
      // directories and re-indexes any file whose line a crash lost.
      writeAll(ch, (record.toIndexLine() + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }
}
