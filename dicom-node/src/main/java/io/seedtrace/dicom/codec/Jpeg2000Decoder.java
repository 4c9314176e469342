package io.seedtrace.dicom.codec;

import com.github.jaiimageio.jpeg2000.impl.J2KImageReader;
import com.github.jaiimageio.jpeg2000.impl.J2KImageReaderSpi;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * JPEG 2000 (ISO/IEC 15444-1), lossless and lossy, through the JPEG 2000 reader of jai-imageio
 * (Maven Central {@code com.github.jai-imageio:jai-imageio-jpeg2000}, a pure-Java decoder derived
 * from JJ2000): writing a wavelet, EBCOT and tiling decoder ourselves would be thousands of lines
 * the library already has. The reader is built directly, not looked up through ImageIO's plug-in
 * registry, so it works inside the server's nested jar.
 *
 * <p>Bounds: the stream's image size and component count are read from its header first and must
 * match the data set before any tile is decoded; any exception of the library becomes a
 * {@link CodecException}.
 */
final class Jpeg2000Decoder implements FrameDecoder {

  @Override
  public void decode(byte[] encoded, FrameFormat format, byte[] out, int offset) throws CodecException {
    J2KImageReader reader = new J2KImageReader(new J2KImageReaderSpi());
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
      reader.setInput(in);
      int width = reader.getWidth(0);
      int height = reader.getHeight(0);
      if (width != format.columns() || height != format.rows()) {
        throw new CodecException("JPEG 2000 image of " + width + " x " + height + " does not match the data set's "
            + format.columns() + " x " + format.rows());
      }
      Raster raster = reader.read(0).getRaster();
      if (raster.getNumBands() != format.samples() || raster.getSampleModel().getSampleSize(0) > format.bitsAllocated()) {
        throw new CodecException("JPEG 2000 image of " + raster.getNumBands() + " component(s) of "
            + raster.getSampleModel().getSampleSize(0) + " bits does not match the data set");
      }
      write(raster, format, out, offset);
    } catch (IOException | RuntimeException | StackOverflowError e) {
      throw new CodecException("JPEG 2000 frame cannot be decoded: " + e, e);
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
