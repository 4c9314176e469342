package io.seedtrace.dicom.codec;

/**
 * What one decoded frame must look like, from the data set's Image Pixel module: the decoder checks
 * the compressed stream's own header against it, so a stream cannot make us allocate or write
 * more than the data set declared.
 *
 * @param bitsAllocated 8, 16 or 32 (per sample in the native output)
 * @param bitsStored significant bits per sample (at most bitsAllocated)
 * @param signed Pixel Representation 1
 */
public record FrameFormat(int rows, int columns, int samples, int bitsAllocated, int bitsStored, boolean signed) {

  public FrameFormat {
    if (rows < 1 || columns < 1 || rows > 65535 || columns > 65535) {
      throw new IllegalArgumentException("frame of " + rows + " x " + columns + " pixels");
    }
    if (samples != 1 && samples != 3) {
      throw new IllegalArgumentException("Samples per Pixel " + samples + ": 1 or 3 expected");
    }
    if (bitsAllocated != 8 && bitsAllocated != 16 && bitsAllocated != 32) {
      throw new IllegalArgumentException("Bits Allocated " + bitsAllocated + ": 8, 16 or 32 expected");
    }
    if (bitsStored < 1 || bitsStored > bitsAllocated) {
      throw new IllegalArgumentException("Bits Stored " + bitsStored + " with Bits Allocated " + bitsAllocated);
    }
  }

  public int bytesPerSample() {
    return bitsAllocated / 8;
  }

  public int pixels() {
    return rows * columns;
  }

  /** Bytes of one native (little endian, colour-by-pixel) frame. */
  public long frameBytes() {
    return (long) rows * columns * samples * bytesPerSample();
  }
}
