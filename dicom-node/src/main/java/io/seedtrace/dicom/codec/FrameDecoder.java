package io.seedtrace.dicom.codec;

/**
 * Decodes one compressed frame into native pixels: little endian, colour-by-pixel, exactly
 * {@link FrameFormat#frameBytes()} bytes written from {@code offset}. Implementations read only
 * the bytes given, never allocate more than a few frames' worth, and finish in time linear in the
 * input and the frame size, whatever the input claims.
 */
interface FrameDecoder {

  void decode(byte[] encoded, FrameFormat format, byte[] out, int offset) throws CodecException;
}
