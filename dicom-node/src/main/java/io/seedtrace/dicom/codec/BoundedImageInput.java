package io.seedtrace.dicom.codec;

import java.io.EOFException;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * The bytes of one compressed frame as an ImageIO stream whose single-byte read past the end throws
 * {@link EOFException} instead of returning -1. JJ2000's packet header reader takes -1 for data and
 * loops for ever on a codestream cut short; with this it stops at the end of the frame.
 */
final class BoundedImageInput extends ImageInputStreamImpl {

  private final byte[] data;

  BoundedImageInput(byte[] data) {
    this.data = data;
  }

  @Override
  public int read() throws EOFException {
    if (streamPos >= data.length) {
      throw new EOFException("JPEG 2000 codestream ends at byte " + data.length);
    }
    bitOffset = 0;
    return data[(int) streamPos++] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (streamPos >= data.length) {
      return -1;
    }
    int n = (int) Math.min(len, data.length - streamPos);
    System.arraycopy(data, (int) streamPos, b, off, n);
    streamPos += n;
    bitOffset = 0;
    return n;
  }

  @Override
  public long length() {
    return data.length;
  }
}
