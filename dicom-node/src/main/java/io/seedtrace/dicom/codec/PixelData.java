package io.seedtrace.dicom.codec;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Element;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.data.Vr;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns encapsulated (compressed) Pixel Data into native pixels, so that a compressed CT series
 * is assembled and searched for seeds like an uncompressed one. Decoded here:
 *
 * <ul>
 *   <li>RLE Lossless (1.2.840.10008.1.2.5): our own decoder;</li>
 *   <li>JPEG Baseline (.4.50), Extended 12-bit (.4.51), Lossless process 14 (.4.57) and SV1 (.4.70):
 *       our own decoder (the JDK's reader knows 8-bit baseline only);</li>
 *   <li>JPEG-LS Lossless (.4.80) and Near-Lossless (.4.81): our own decoder, grey images;</li>
 *   <li>JPEG 2000 Lossless (.4.90) and lossy (.4.91): jai-imageio's reader.</li>
 * </ul>
 * Deflated Explicit VR Little Endian is inflated when the data set is read and has native pixels.
 *
 * <pre>{@code
 * Part10.DicomFile f = Part10.read(bytes);
 * if (f.transferSyntax().encapsulated()) PixelData.decodeInPlace(f.dataSet(), f.transferSyntax());
 * }</pre>
 *
 * <p>Bounds: at most {@link #MAX_DECODED_BYTES} are allocated per object, as declared by Rows,
 * Columns, Samples per Pixel, Bits Allocated and Number of Frames; every decoder checks the
 * stream's own header against that declaration and works in time linear in its input and output.
 */
public final class PixelData {

  /** Largest native pixel data decoded from one object: a 1024-frame 512 x 512 16-bit Enhanced CT. */
  public static final long MAX_DECODED_BYTES = 512L << 20;

  private static final String RLE = "1.2.840.10008.1.2.5";

  private PixelData() {}

  /** Whether {@link #decode} knows this transfer syntax (native syntaxes need no decoding). */
  public static boolean decodes(String transferSyntaxUid) {
    return decoderFor(transferSyntaxUid) != null;
  }

  /**
   * Replaces the encapsulated Pixel Data of {@code ds} by the native pixels of all its frames.
   *
   * @throws CodecException if the syntax is not decoded here, or the data are malformed or larger
   *     than declared, with the reason
   */
  public static void decodeInPlace(DataSet ds, TransferSyntax ts) throws CodecException {
    FrameFormat format = format(ds);
    byte[] pixels = decode(ds, ts, format);
    ds.put(Element.ofValue(Tag.PixelData, format.bitsAllocated() == 8 ? Vr.OB : Vr.OW, pixels));
  }

  /** The native pixels (little endian, colour-by-pixel) of all frames of an encapsulated data set. */
  public static byte[] decode(DataSet ds, TransferSyntax ts) throws CodecException {
    return decode(ds, ts, format(ds));
  }

  private static byte[] decode(DataSet ds, TransferSyntax ts, FrameFormat format) throws CodecException {
    FrameDecoder decoder = decoderFor(ts.uid());
    if (decoder == null) {
      throw new CodecException("Transfer syntax " + ts.uid() + " is not decoded");
    }
    Element element = ds.get(Tag.PixelData).orElseThrow(() -> new CodecException("No Pixel Data"));
    if (!element.isEncapsulated() || element.fragments().isEmpty()) {
      throw new CodecException("Pixel Data is not encapsulated although the transfer syntax is " + ts.uid());
    }
    int frames = ds.getInt(Tag.NumberOfFrames).orElse(1);
    long total = format.frameBytes() * frames;
    if (frames < 1 || total > MAX_DECODED_BYTES) {
      throw new CodecException(frames + " frame(s) of " + format.frameBytes() + " bytes exceed the decoding limit of "
          + MAX_DECODED_BYTES + " bytes");
    }
    List<byte[]> encoded = frames(element.fragments(), frames, ts.uid());
    byte[] out = new byte[(int) total];
    for (int f = 0; f < frames; f++) {
      try {
        decoder.decode(encoded.get(f), format, out, (int) (f * format.frameBytes()));
      } catch (CodecException e) {
        throw frames == 1 ? e : new CodecException("Frame " + (f + 1) + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  static FrameFormat format(DataSet ds) throws CodecException {
    try {
      int bitsAllocated = ds.getInt(Tag.BitsAllocated).orElse(16);
      return new FrameFormat(ds.getInt(Tag.Rows).orElse(0), ds.getInt(Tag.Columns).orElse(0),
          ds.getInt(Tag.SamplesPerPixel).orElse(1), bitsAllocated, ds.getInt(Tag.BitsStored).orElse(bitsAllocated),
          ds.getInt(Tag.PixelRepresentation).orElse(0) == 1);
    } catch (IllegalArgumentException e) {
      throw new CodecException("Image Pixel module cannot be decoded: " + e.getMessage(), e);
    }
  }

  private static FrameDecoder decoderFor(String uid) {
    return switch (uid) {
      case RLE -> new RleDecoder();
      case "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70" ->
          new JpegDecoder();
      case "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81" -> new JpegLsDecoder();
      case "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91" -> new Jpeg2000Decoder();
      default -> null;
    };
  }

  /**
   * The compressed bytes of each frame (PS3.5 A.4): the first item is the Basic Offset Table. One
   * frame takes all fragments; as many fragments as frames are one each; otherwise the offset
   * table, or else the fragments that start a new compressed stream, mark where frames begin.
   */
  static List<byte[]> frames(List<byte[]> items, int frames, String uid) throws CodecException {
    List<byte[]> fragments = items.subList(1, items.size());
    if (fragments.isEmpty()) {
      throw new CodecException("Encapsulated Pixel Data holds no fragment");
    }
    if (frames == 1) {
      return List.of(concat(fragments, 0, fragments.size()));
    }
    if (fragments.size() == frames) {
      return fragments;
    }
    List<Integer> starts = items.get(0).length == 4L * frames ? startsFromOffsetTable(items.get(0), fragments)
        : startsFromMarkers(fragments, uid);
    if (starts.size() != frames) {
      throw new CodecException(frames + " frames declared but " + starts.size() + " found in " + fragments.size()
          + " fragments");
    }
    List<byte[]> out = new ArrayList<>();
    for (int f = 0; f < frames; f++) {
      out.add(concat(fragments, starts.get(f), f + 1 < frames ? starts.get(f + 1) : fragments.size()));
    }
    return out;
  }

  private static List<Integer> startsFromOffsetTable(byte[] table, List<byte[]> fragments) throws CodecException {
    List<Integer> starts = new ArrayList<>();
    long position = 0;
    int fragment = 0;
    for (int f = 0; f < table.length / 4; f++) {
      long offset = (table[4 * f] & 0xFFL) | (table[4 * f + 1] & 0xFFL) << 8 | (table[4 * f + 2] & 0xFFL) << 16
          | (table[4 * f + 3] & 0xFFL) << 24;
      while (fragment < fragments.size() && position < offset) {
        position += 8 + fragments.get(fragment++).length;
      }
      if (position != offset || fragment >= fragments.size()) {
        throw new CodecException("Basic Offset Table entry " + (f + 1) + " (" + offset + ") is not a fragment start");
      }
      starts.add(fragment);
    }
    return starts;
  }

  private static List<Integer> startsFromMarkers(List<byte[]> fragments, String uid) {
    List<Integer> starts = new ArrayList<>();
    for (int i = 0; i < fragments.size(); i++) {
      byte[] f = fragments.get(i);
      boolean jpeg = f.length >= 2 && (f[0] & 0xFF) == 0xFF && ((f[1] & 0xFF) == 0xD8 || (f[1] & 0xFF) == 0x4F);
      boolean jp2 = f.length >= 8 && f[4] == 'j' && f[5] == 'P';
      if (i == 0 || (!RLE.equals(uid) && (jpeg || jp2))) {
        starts.add(i);
      }
    }
    return starts;
  }

  private static byte[] concat(List<byte[]> fragments, int from, int to) {
    if (to - from == 1) {
      return fragments.get(from);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = from; i < to; i++) {
      out.writeBytes(fragments.get(i));
    }
    return out.toByteArray();
  }
}
