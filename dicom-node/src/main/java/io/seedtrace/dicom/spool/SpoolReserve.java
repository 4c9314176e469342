package io.seedtrace.dicom.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32C;

/**
 * Files written in full with zeros and fsync'd ahead of time ({@code <spool>/.reserve/<uuid>.slot}),
 * each ready to receive one instance. Overwriting blocks that are already allocated and written
 * changes no file-system metadata, so making a received instance durable costs one {@code
 * fdatasync} of its data, without the journal commit a new file needs; and space for the files in
 * the reserve is already taken, so a burst never meets a full disk halfway through an instance.
 *
 * <p>A used file carries, in the 128-byte Part 10 preamble (free for implementation use, PS3.10
 * 7.1), a {@linkplain #receipt receipt}: a magic, the file's length and the CRC-32C of the bytes
 * after the preamble. It is written with the data and made durable by the same {@code fdatasync},
 * before the C-STORE response. After a crash, a file here whose receipt checks is an acknowledged
 * (or about to be acknowledged) instance, whatever its name; a {@code .slot} of the reserve's size
 * with an empty preamble is reserve; anything else is removed.
 *
 * <p>The reserve is refilled in the background while no instance is being received (1 s after the
 * last), so filling it never competes with a transfer for the disk.
 */
final class SpoolReserve implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(SpoolReserve.class.getName());
  /** "STSPOOL1" read as a little-endian long. */
  private static final long MAGIC = 0x314C_4F4F_5053_5453L;
  static final int RECEIPT_LENGTH = 20;
  private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Path dir;
  private final int files;
  private final int fileBytes;
  private final ConcurrentLinkedQueue<Path> ready = new ConcurrentLinkedQueue<>();
  private final List<Path> receipts = new ArrayList<>();
  private final ScheduledExecutorService refill;
  private volatile long lastUse = System.nanoTime() - IDLE_NANOS;
  /** After a failure to write (disk full), the next attempt waits a minute. */
  private long retryAt = System.nanoTime();

  /**
   * Scans what a previous run left: keeps unused reserve files, collects files holding a receipt
   * ({@link #receipts()}), deletes the rest; then starts refilling.
   *
   * @param files how many files to keep ready; 0 for none
   * @param fileBytes the size of each file (an instance larger than this still fits, more slowly)
   */
  SpoolReserve(Path dir, int files, int fileBytes) throws IOException {
    if (files < 0 || fileBytes < 4096) {
      throw new IllegalArgumentException("reserve of " + files + " files of " + fileBytes + " bytes");
    }
    this.dir = dir;
    this.files = files;
    this.fileBytes = fileBytes;
    Files.createDirectories(dir);
    try (var left = Files.list(dir)) {
      for (Path p : left.sorted().toList()) {
        if (receipt(p).isPresent()) {
          receipts.add(p);
        } else if (ready.size() < files && p.getFileName().toString().endsWith(".slot")
            && Files.size(p) == fileBytes && preambleEmpty(p)) {
          ready.add(p);
        } else {
          Files.delete(p);
        }
      }
    }
    refill = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dicom-spool-reserve");
      t.setDaemon(true);
      t.setPriority(Thread.MIN_PRIORITY);
      return t;
    });
    if (files > 0) {
      refill.scheduleWithFixedDelay(this::fillWhileIdle, 0, 200, TimeUnit.MILLISECONDS);
    }
  }

  /** Files found at start that hold a valid receipt: received instances to put in place. */
  List<Path> receipts() {
    return List.copyOf(receipts);
  }

  /** A reserve file to receive into, if one is ready. */
  Optional<Path> take() {
    lastUse = System.nanoTime();
    return Optional.ofNullable(ready.poll());
  }

  /** A receipt is being made durable: the reserve stays untouched for another second. */
  void inUse() {
    lastUse = System.nanoTime();
  }

  int readyCount() {
    return ready.size();
  }

  private void fillWhileIdle() {
    if (System.nanoTime() - retryAt < 0) {
      return;
    }
    try {
      int made = 0;
      while (ready.size() < files && System.nanoTime() - lastUse >= IDLE_NANOS && !Thread.currentThread().isInterrupted()) {
        ready.add(make());
        made++;
      }
      if (made > 0) {
        fsyncDirectory(dir);
      }
    } catch (IOException | RuntimeException e) {
      retryAt = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
      LOG.log(Level.WARNING, "Could not refill the DICOM spool reserve in " + dir + " (" + e
          + "); receiving goes on with " + ready.size() + " reserve files, next attempt in a minute");
    }
  }

  /** Writes a file of zeros, fsyncs it and only then gives it its {@code .slot} name. */
  private Path make() throws IOException {
    String id = UUID.randomUUID().toString();
    Path fresh = dir.resolve(id + ".new");
    ByteBuffer zeros = ByteBuffer.allocateDirect(64 * 1024);
    try (FileChannel ch = FileChannel.open(fresh, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      long left = fileBytes;
      while (left > 0) {
        zeros.clear().limit((int) Math.min(zeros.capacity(), left));
        while (zeros.hasRemaining()) {
          left -= ch.write(zeros);
        }
      }
      ch.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(fresh);
      throw e;
    }
    Path slot = dir.resolve(id + ".slot");
    Files.move(fresh, slot, StandardCopyOption.ATOMIC_MOVE);
    return slot;
  }

  /** The receipt written into a file's preamble once all its bytes are there. */
  static ByteBuffer receipt(long length, int crcAfterPreamble) {
    ByteBuffer b = ByteBuffer.allocate(RECEIPT_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(MAGIC).putLong(length).putInt(crcAfterPreamble);
    return b.flip();
  }

  /**
   * The length a file's receipt records, if it has one that its content proves: the magic, a
   * length the file holds, and the CRC-32C of the bytes from 128 to that length.
   */
  static Optional<Long> receipt(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer head = ByteBuffer.allocate(RECEIPT_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
      if (!readFully(ch, head, 0) || head.getLong(0) != MAGIC) {
        return Optional.empty();
      }
      long length = head.getLong(8);
      int expected = head.getInt(16);
      if (length < 132 || length > ch.size()) {
        return Optional.empty();
      }
      return crc32c(ch, 128, length) == expected ? Optional.of(length) : Optional.empty();
    }
  }

  /** CRC-32C of the bytes {@code from} (inclusive) to {@code to} (exclusive), which the file holds. */
  static int crc32c(FileChannel ch, long from, long to) throws IOException {
    CRC32C crc = new CRC32C();
    ByteBuffer b = ByteBuffer.allocate(256 * 1024);
    for (long pos = from; pos < to; pos += b.limit()) {
      b.clear().limit((int) Math.min(b.capacity(), to - pos));
      if (!readFully(ch, b, pos)) {
        throw new java.io.EOFException("file ends before byte " + to);
      }
      crc.update(b.flip());
    }
    return (int) crc.getValue();
  }

  private static boolean readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
    while (b.hasRemaining()) {
      if (ch.read(b, position + b.position()) < 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean preambleEmpty(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate(128);
      if (!readFully(ch, b, 0)) {
        return false;
      }
      for (int i = 0; i < b.limit(); i++) {
        if (b.get(i) != 0) {
          return false;
        }
      }
      return true;
    }
  }

  static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException notSupported) {
      // some file systems do not allow opening a directory; the names are then as durable as they allow
    }
  }

  @Override
  public void close() {
    refill.shutdownNow();
    try {
      refill.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
