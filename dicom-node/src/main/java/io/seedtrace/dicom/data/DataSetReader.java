package io.seedtrace.dicom.data;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes a data set from bytes in a given transfer syntax (PS3.5 section 7). Every declared
 * length is checked against the bytes that remain before anything is allocated, sequences may
 * nest only {@value #MAX_DEPTH} deep, and a deflated data set may not inflate beyond a caller's
 * limit, so hostile input ends in a {@link DicomFormatException}, never in an out-of-memory error,
 * a stack overflow or a hang.
 *
 * <pre>{@code DataSet ds = DataSetReader.read(bytes, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);}</pre>
 */
public final class DataSetReader {

  static final int MAX_DEPTH = 32;
  private static final int UNDEFINED = -1;

  private final byte[] buf;
  private int stopTag = -1;
  private boolean stopped;
  private final boolean explicit;
  private final boolean bigEndian;
  private int pos;

  private DataSetReader(byte[] buf, int offset, TransferSyntax ts) {
    this.buf = buf;
    this.pos = offset;
    this.explicit = ts.explicitVr();
    this.bigEndian = ts.bigEndian();
  }

  public static DataSet read(byte[] bytes, TransferSyntax ts) throws DicomFormatException {
    return read(bytes, 0, bytes.length, ts, 64L * 1024 * 1024 * 1024);
  }

  /**
   * Reads {@code length} bytes from {@code offset}.
   *
   * @param maxInflated largest size a deflated data set may inflate to
   * @throws DicomFormatException if the bytes are not a well-formed data set in {@code ts}
   */
  public static DataSet read(byte[] bytes, int offset, int length, TransferSyntax ts, long maxInflated)
      throws DicomFormatException {
    if (offset < 0 || length < 0 || offset + length > bytes.length) {
      throw new IllegalArgumentException("range outside the buffer");
    }
    byte[] source = bytes;
    int start = offset;
    int end = offset + length;
    if (ts.deflated()) {
      source = inflate(bytes, offset, length, maxInflated);
      start = 0;
      end = source.length;
    }
    DataSetReader reader = new DataSetReader(source, start, ts);
    try {
      return reader.readItems(end, false, 0);
    } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
      throw new DicomFormatException("Malformed data set near byte " + reader.pos + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads the top-level elements that precede {@code stopTag} (e.g. Pixel Data), so the header of
   * a large instance can be read from a prefix of its bytes. A prefix that ends inside the header
   * is reported as truncated.
   */
  public static DataSet readHeader(byte[] bytes, int offset, int length, TransferSyntax ts, int stopTag)
      throws DicomFormatException {
    return readHeader(bytes, offset, length, ts, stopTag, false);
  }

  /**
   * As {@link #readHeader(byte[], int, int, TransferSyntax, int)} for bytes that are only the
   * start of a data set: ending before {@code stopTag}, even between two elements, is reported as
   * truncated, since the rest of the header may follow.
   */
  public static DataSet readHeaderOfPrefix(byte[] bytes, int offset, int length, TransferSyntax ts, int stopTag)
      throws DicomFormatException {
    return readHeader(bytes, offset, length, ts, stopTag, true);
  }

  /**
   * Checks that the Pixel Data of a data set was received whole, from the bytes that hold its
   * header ({@code bytes}, at least up to Pixel Data's own element header) and the data set's
   * total length and last 8 bytes. A defined length must fit in what was received; an encapsulated
   * one must end with its sequence delimiter, either as the data set's last 8 bytes or, when
   * elements follow Pixel Data (Data Set Trailing Padding, Digital Signatures), as found by walking
   * the item and element headers of the stored data set in {@code file} from Pixel Data on (a
   * bounded number of small reads, see {@link EncapsulatedTail}). Returns null when it was (or when
   * there is no Pixel Data, or its element header is not within {@code bytes}, as when a long
   * sequence comes first), else what is wrong.
   *
   * @param file the stored data set, read only when {@code lastBytes} is not the sequence delimiter
   * @param dataSetStart position of the data set's first byte in {@code file}
   * @throws DicomFormatException if the structure after Pixel Data is malformed (not merely cut short)
   */
  public static String pixelDataProblem(byte[] bytes, int offset, int length, TransferSyntax ts, long dataSetLength,
      byte[] lastBytes, java.nio.channels.FileChannel file, long dataSetStart) throws DicomFormatException {
    if (ts.deflated()) {
      return null; // the inflated length is checked when the data set is read
    }
    DataSetReader reader = new DataSetReader(bytes, offset, ts);
    reader.stopTag = Tag.PixelData;
    try {
      try {
        reader.readItems(offset + length, false, 0);
      } catch (DicomFormatException endsInsideAnElement) {
        if (length < dataSetLength) {
          return null; // the bytes end inside a long element before Pixel Data (a waveform, say)
        }
        throw endsInsideAnElement;
      }
      int at = reader.pos;
      if (!reader.stopped || offset + length - at < 12 || reader.readTag() != Tag.PixelData) {
        return null;
      }
      long declared;
      if (ts.explicitVr()) {
        reader.pos += 4; // VR and two reserved bytes
        declared = reader.readUint32();
      } else {
        declared = reader.readUint32();
      }
      long valueStart = reader.pos - offset;
      if (declared == 0xFFFFFFFFL) {
        boolean delimited = lastBytes.length == 8 && (ts.bigEndian()
            ? lastBytes[0] == (byte) 0xFF && lastBytes[1] == (byte) 0xFE && lastBytes[2] == (byte) 0xE0
                && lastBytes[3] == (byte) 0xDD
            : lastBytes[0] == (byte) 0xFE && lastBytes[1] == (byte) 0xFF && lastBytes[2] == (byte) 0xDD
                && lastBytes[3] == (byte) 0xE0);
        if (delimited) {
          return null;
        }
        return EncapsulatedTail.problem(file, dataSetStart + valueStart, dataSetStart + dataSetLength, ts);
      }
      if (valueStart + declared > dataSetLength) {
        return "Pixel Data declares " + declared + " bytes, " + Math.max(0, dataSetLength - valueStart)
            + " were received: data set truncated";
      }
      return null;
    } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
      throw new DicomFormatException("Malformed data set near byte " + reader.pos + ": " + e.getMessage(), e);
    }
  }

  private static DataSet readHeader(byte[] bytes, int offset, int length, TransferSyntax ts, int stopTag,
      boolean prefix) throws DicomFormatException {
    if (ts.deflated()) {
      if (prefix) {
        throw new DicomFormatException("A deflated data set cannot be read from a prefix");
      }
      return read(bytes, offset, length, ts, 64L * 1024 * 1024 * 1024);
    }
    DataSetReader reader = new DataSetReader(bytes, offset, ts);
    reader.stopTag = stopTag;
    try {
      DataSet ds = reader.readItems(offset + length, false, 0);
      if (prefix && !reader.stopped) {
        throw new DicomFormatException("Data set prefix ends at byte " + reader.pos + " before " + Tag.toString(stopTag));
      }
      return ds;
    } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
      throw new DicomFormatException("Malformed data set near byte " + reader.pos + ": " + e.getMessage(), e);
    }
  }

  private static byte[] inflate(byte[] bytes, int offset, int length, long maxInflated) throws DicomFormatException {
    Inflater inflater = new Inflater(true);
    inflater.setInput(bytes, offset, length);
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(length * 4, 1 << 20));
    byte[] chunk = new byte[64 * 1024];
    try {
      while (!inflater.finished()) {
        int n = inflater.inflate(chunk);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          break;
        }
        if (out.size() + (long) n > maxInflated) {
          throw new DicomFormatException("Deflated data set inflates beyond the limit of " + maxInflated + " bytes");
        }
        out.write(chunk, 0, n);
      }
    } catch (DataFormatException e) {
      throw new DicomFormatException("Deflated data set is corrupt: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
    return out.toByteArray();
  }

  /** Reads elements until {@code end}, or until an item delimiter when {@code delimited}. */
  private DataSet readItems(int end, boolean delimited, int depth) throws DicomFormatException {
    DataSet ds = new DataSet(bigEndian);
    while (end == UNDEFINED || pos < end) {
      int limit = end == UNDEFINED ? buf.length : end;
      if (limit - pos < 8) {
        if (delimited || end == UNDEFINED) {
          throw new DicomFormatException("Data set truncated at byte " + pos + ": item not delimited");
        }
        if (limit - pos == 0) {
          break;
        }
        throw new DicomFormatException("Data set truncated at byte " + pos + ": " + (limit - pos) + " bytes left, too few for an element header");
      }
      int tag = readTag();
      if (depth == 0 && stopTag != -1 && Integer.compareUnsigned(tag, stopTag) >= 0) {
        pos -= 4;
        stopped = true;
        return ds;
      }
      if (tag == Tag.ItemDelimitationItem) {
        pos += 4;
        if (!delimited) {
          throw new DicomFormatException("Unexpected item delimiter at byte " + (pos - 8));
        }
        return ds;
      }
      if (tag == Tag.Item || tag == Tag.SequenceDelimitationItem) {
        throw new DicomFormatException("Unexpected " + Tag.toString(tag) + " inside a data set at byte " + (pos - 4));
      }
      ds.put(readElement(tag, limit, depth));
    }
    if (delimited) {
      throw new DicomFormatException("Item with undefined length ends at byte " + pos + " without a delimiter");
    }
    return ds;
  }

  private Element readElement(int tag, int limit, int depth) throws DicomFormatException {
    int headerStart = pos - 4;
    Vr vr;
    long length;
    if (explicit && !isDelimiterGroup(tag)) {
      vr = Vr.of(buf[pos] & 0xFF, buf[pos + 1] & 0xFF);
      if (vr == null) {
        throw new DicomFormatException("Unknown VR bytes 0x" + Integer.toHexString(buf[pos] & 0xFF)
            + Integer.toHexString(buf[pos + 1] & 0xFF) + " for " + Tag.toString(tag) + " at byte " + headerStart);
      }
      pos += 2;
      if (vr.longLength()) {
        if (limit - pos < 6) {
          throw new DicomFormatException("Header of " + Tag.toString(tag) + " truncated at byte " + headerStart);
        }
        pos += 2;
        length = readUint32();
      } else {
        length = readUint16();
      }
    } else {
      vr = Tag.implicitVr(tag);
      length = readUint32();
    }
    if (length == 0xFFFFFFFFL) {
      if (vr == Vr.SQ || (vr == Vr.UN && !(tag == Tag.PixelData))) {
        return Element.ofItems(tag, readSequence(UNDEFINED, depth + 1));
      }
      if (tag == Tag.PixelData) {
        return Element.ofFragments(tag, vr, readFragments());
      }
      throw new DicomFormatException("Undefined length is not allowed for " + Tag.toString(tag) + " (" + vr + ") at byte " + headerStart);
    }
    if (length > limit - pos) {
      throw new DicomFormatException("Declared length " + length + " of " + Tag.toString(tag) + " at byte " + headerStart
          + " exceeds the " + (limit - pos) + " bytes remaining");
    }
    int len = (int) length;
    if (vr == Vr.SQ) {
      return Element.ofItems(tag, readSequence(pos + len, depth + 1));
    }
    byte[] value = new byte[len];
    System.arraycopy(buf, pos, value, 0, len);
    pos += len;
    return Element.ofValue(tag, vr, value);
  }

  private List<DataSet> readSequence(int end, int depth) throws DicomFormatException {
    if (depth > MAX_DEPTH) {
      throw new DicomFormatException("Sequences nested deeper than " + MAX_DEPTH + " at byte " + pos);
    }
    List<DataSet> items = new ArrayList<>();
    while (end == UNDEFINED || pos < end) {
      int limit = end == UNDEFINED ? buf.length : end;
      if (limit - pos < 8) {
        throw new DicomFormatException("Sequence truncated at byte " + pos);
      }
      int tag = readTag();
      long length = readUint32();
      if (tag == Tag.SequenceDelimitationItem) {
        if (end != UNDEFINED) {
          throw new DicomFormatException("Sequence delimiter in a sequence of defined length at byte " + (pos - 8));
        }
        return items;
      }
      if (tag != Tag.Item) {
        throw new DicomFormatException("Expected an item in a sequence, found " + Tag.toString(tag) + " at byte " + (pos - 8));
      }
      if (length == 0xFFFFFFFFL) {
        items.add(readItems(UNDEFINED, true, depth));
      } else {
        if (length > limit - pos) {
          throw new DicomFormatException("Declared item length " + length + " at byte " + (pos - 8)
              + " exceeds the " + (limit - pos) + " bytes remaining");
        }
        items.add(readItems(pos + (int) length, false, depth));
      }
    }
    if (end == UNDEFINED) {
      throw new DicomFormatException("Sequence of undefined length not delimited");
    }
    return items;
  }

  private List<byte[]> readFragments() throws DicomFormatException {
    List<byte[]> fragments = new ArrayList<>();
    while (true) {
      if (buf.length - pos < 8) {
        throw new DicomFormatException("Encapsulated pixel data truncated at byte " + pos);
      }
      int tag = readTag();
      long length = readUint32();
      if (tag == Tag.SequenceDelimitationItem) {
        return fragments;
      }
      if (tag != Tag.Item) {
        throw new DicomFormatException("Expected a fragment item, found " + Tag.toString(tag) + " at byte " + (pos - 8));
      }
      if (length > buf.length - pos) {
        throw new DicomFormatException("Declared fragment length " + length + " at byte " + (pos - 8)
            + " exceeds the " + (buf.length - pos) + " bytes remaining");
      }
      byte[] fragment = new byte[(int) length];
      System.arraycopy(buf, pos, fragment, 0, fragment.length);
      pos += fragment.length;
      fragments.add(fragment);
    }
  }

  private static boolean isDelimiterGroup(int tag) {
    return (tag >>> 16) == 0xFFFE;
  }

  private int readTag() {
    int group = readUint16();
    int element = readUint16();
    return (group << 16) | element;
  }

  private int readUint16() {
    int a = buf[pos] & 0xFF;
    int b = buf[pos + 1] & 0xFF;
    pos += 2;
    return bigEndian ? (a << 8) | b : (b << 8) | a;
  }

  private long readUint32() {
    long a = buf[pos] & 0xFF;
    long b = buf[pos + 1] & 0xFF;
    long c = buf[pos + 2] & 0xFF;
    long d = buf[pos + 3] & 0xFF;
    pos += 4;
    return bigEndian ? (a << 24) | (b << 16) | (c << 8) | d : (d << 24) | (c << 16) | (b << 8) | a;
  }
}
