package io.seedtrace.dicom.codec;

import com.github.jaiimageio.jpeg2000.impl.J2KImageReader;
import com.github.jaiimageio.jpeg2000.impl.J2KImageReaderSpi;
import java.awt.image.Raster;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.stream.ImageInputStream;

/**
 * JPEG 2000 (ISO/IEC 15444-1), lossless and lossy, through the JPEG 2000 reader of jai-imageio
 * (Maven Central {@code com.github.jai-imageio:jai-imageio-jpeg2000}, a pure-Java decoder derived
 * from JJ2000): writing a wavelet, EBCOT and tiling decoder ourselves would be thousands of lines
 * the library already has. The reader is built directly, not looked up through ImageIO's plug-in
 * registry, so it works inside the server's nested jar.
 *
 * <p>Bounds, since the library was not written for hostile input: the image and tile sizes
 * (SIZ segment) are checked by us against the data set before the library sees the stream (a
 * damaged SIZ otherwise makes it allocate per-tile tables for billions of tiles); reading stops at
 * the end of the frame's bytes ({@link BoundedImageInput}: JJ2000 loops for ever on a truncated
 * codestream otherwise); and the library runs on a thread of its own that is stopped after
 * {@link #TIME_LIMIT}. Any exception of the library becomes a {@link CodecException}, also the
 * {@code ThreadDeath} with which JJ2000 reports a broken stream.
 */
final class Jpeg2000Decoder implements FrameDecoder {

  /** Far beyond the ~0.1 s a 512 x 512 CT frame takes. */
  static final Duration TIME_LIMIT = Duration.ofSeconds(10);

  @Override
  public void decode(byte[] encoded, FrameFormat format, byte[] out, int offset) throws CodecException {
    Jpeg2000Header.check(encoded, format);
    AtomicReference<Object> result = new AtomicReference<>();
    Thread worker = new Thread(() -> result.set(read(encoded, format)), "jpeg2000-decoder");
    worker.setDaemon(true);
    worker.start();
    try {
      worker.join(TIME_LIMIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(worker);
      throw new CodecException("JPEG 2000 decoding interrupted", e);
    }
    if (worker.isAlive()) {
      stop(worker);
      throw new CodecException("JPEG 2000 frame not decoded within " + TIME_LIMIT.toSeconds() + " s");
    }
    if (result.get() instanceof CodecException e) {
      throw e;
    }
    write((Raster) result.get(), format, out, offset);
  }

  /** The only way to end a library loop that checks no interrupt; JJ2000 itself ends threads so. */
  @SuppressWarnings({"deprecation", "removal"})
  private static void stop(Thread worker) {
    worker.interrupt();
    try {
      worker.stop();
    } catch (UnsupportedOperationException notOnThisJava) {
      // Java 20+: the daemon thread is left to the interrupt
    }
  }

  /** The decoded raster, or the CodecException saying why not. */
  private static Object read(byte[] encoded, FrameFormat format) {
    J2KImageReader reader = new J2KImageReader(new J2KImageReaderSpi());
    try (ImageInputStream in = new BoundedImageInput(encoded)) {
      reader.setInput(in);
      int width = reader.getWidth(0);
      int height = reader.getHeight(0);
      if (width != format.columns() || height != format.rows()) {
        return new CodecException("JPEG 2000 image of " + width + " x " + height + " does not match the data set's "
            + format.columns() + " x " + format.rows());
      }
      Raster raster = reader.read(0).getRaster();
      if (raster.getNumBands() != format.samples() || raster.getSampleModel().getSampleSize(0) > format.bitsAllocated()) {
        return new CodecException("JPEG 2000 image of " + raster.getNumBands() + " component(s) of "
            + raster.getSampleModel().getSampleSize(0) + " bits does not match the data set");
      }
      return raster;
    } catch (IOException | RuntimeException | StackOverflowError | OutOfMemoryError e) {
      return new CodecException("JPEG 2000 frame cannot be decoded: " + e, e);
    } catch (ThreadDeath stopped) {
      // JJ2000's error handler stops its own thread on a broken codestream
      return new CodecException("JPEG 2000 frame cannot be decoded: the codestream is malformed", stopped);
    } finally {
      reader.dispose();
    }
  }

  private static void write(Raster raster, FrameFormat format, byte[] out, int offset) {
    int width = format.columns();
    int samples = format.samples();
    int bytes = format.bytesPerSample();
    int[] row = new int[width];
    for (int y = 0; y < format.rows(); y++) {
      for (int band = 0; band < samples; band++) {
        raster.getSamples(raster.getMinX(), raster.getMinY() + y, width, 1, band, row);
        int at = offset + (y * width * samples + band) * bytes;
        for (int x = 0; x < width; x++, at += samples * bytes) {
          for (int b = 0; b < bytes; b++) {
            out[at + b] = (byte) (row[x] >> (8 * b));
          }
        }
      }
    }
  }
}
