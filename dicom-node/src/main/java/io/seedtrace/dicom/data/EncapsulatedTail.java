package io.seedtrace.dicom.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Judges whether a stored data set whose encapsulated Pixel Data is not its last element (a Data
 * Set Trailing Padding (FFFC,FFFC) or a Digital Signatures Sequence (FFFA,FFFA) may follow) was
 * received whole. It walks, by positional reads of the stored file, the fragment item headers up to
 * the sequence delimiter and then the header of each element after it, without reading any value:
 * the data set is whole when the walk ends exactly at its last byte. At most
 * {@value #MAX_HEADERS} headers are read and sequences nest at most {@value DataSetReader#MAX_DEPTH}
 * deep, so a hostile file costs a bounded number of small reads.
 */
final class EncapsulatedTail {

  static final int MAX_HEADERS = 1_000_000;
  private static final long UNDEFINED = 0xFFFFFFFFL;

  private final FileChannel file;
  private final long end;
  private final boolean explicit;
  private final ByteBuffer header;
  private long pos;
  private int headers;

  private EncapsulatedTail(FileChannel file, long valueStart, long end, TransferSyntax ts) {
    this.file = file;
    this.pos = valueStart;
    this.end = end;
    this.explicit = ts.explicitVr();
    this.header = ByteBuffer.allocate(12).order(ts.bigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Why the data set in {@code file} is not whole, or null.
   *
   * @param valueStart file position of the first fragment item of Pixel Data
   * @param end file position just after the data set's last byte
   */
  static String problem(FileChannel file, long valueStart, long end, TransferSyntax ts) throws DicomFormatException {
    EncapsulatedTail tail = new EncapsulatedTail(file, valueStart, end, ts);
    try {
      tail.skipFragments();
      while (tail.pos < tail.end) {
        tail.skipElement(true, 0);
      }
      return null;
    } catch (Truncated t) {
      return t.getMessage() + ": data set truncated after " + (end - valueStart) + " bytes of Pixel Data and what follows";
    } catch (IOException e) {
      throw new DicomFormatException("Could not read the stored data set: " + e.getMessage(), e);
    }
  }

  private void skipFragments() throws IOException, DicomFormatException {
    while (true) {
      readHeader(8, "Encapsulated Pixel Data");
      int tag = tag();
      long length = uint32(4);
      if (tag == Tag.SequenceDelimitationItem) {
        return;
      }
      if (tag != Tag.Item) {
        throw new DicomFormatException("Expected a fragment item, found " + Tag.toString(tag) + " at byte " + (pos - 8));
      }
      skip(length, "Fragment");
    }
  }

  /** Skips one element; returns false at an item delimiter (only legal inside an item). */
  private boolean skipElement(boolean topLevel, int depth) throws IOException, DicomFormatException {
    readHeader(8, "Element after Pixel Data");
    int tag = tag();
    if (tag == Tag.ItemDelimitationItem && !topLevel) {
      return false;
    }
    if ((tag >>> 16) == 0xFFFE) {
      throw new DicomFormatException("Unexpected " + Tag.toString(tag) + " at byte " + (pos - 8));
    }
    if (topLevel && Integer.compareUnsigned(tag, Tag.PixelData) <= 0) {
      throw new DicomFormatException(Tag.toString(tag) + " after Pixel Data is out of order at byte " + (pos - 8));
    }
    long length;
    boolean sequence;
    if (explicit) {
      Vr vr = Vr.of(header.get(4) & 0xFF, header.get(5) & 0xFF);
      if (vr == null) {
        throw new DicomFormatException("Unknown VR for " + Tag.toString(tag) + " at byte " + (pos - 8));
      }
      if (vr.longLength()) {
        pos -= 8;
        readHeader(12, Tag.toString(tag));
        length = uint32(8);
      } else {
        length = header.getShort(6) & 0xFFFF;
      }
      sequence = vr == Vr.SQ || vr == Vr.UN;
    } else {
      length = uint32(4);
      sequence = true; // implicit VR: only a sequence has an undefined length
    }
    if (length == UNDEFINED) {
      if (!sequence) {
        throw new DicomFormatException("Undefined length is not allowed for " + Tag.toString(tag));
      }
      skipSequence(depth + 1);
    } else {
      skip(length, Tag.toString(tag));
    }
    return true;
  }

  private void skipSequence(int depth) throws IOException, DicomFormatException {
    if (depth > DataSetReader.MAX_DEPTH) {
      throw new DicomFormatException("Sequences nested deeper than " + DataSetReader.MAX_DEPTH + " at byte " + pos);
    }
    while (true) {
      readHeader(8, "Sequence");
      int tag = tag();
      long length = uint32(4);
      if (tag == Tag.SequenceDelimitationItem) {
        return;
      }
      if (tag != Tag.Item) {
        throw new DicomFormatException("Expected an item in a sequence, found " + Tag.toString(tag) + " at byte " + (pos - 8));
      }
      if (length != UNDEFINED) {
        skip(length, "Item");
        continue;
      }
      while (skipElement(false, depth)) {
        // elements of the item up to its delimiter
      }
    }
  }

  private void readHeader(int length, String what) throws IOException, DicomFormatException {
    if (++headers > MAX_HEADERS) {
      throw new DicomFormatException("More than " + MAX_HEADERS + " items or elements after Pixel Data's header");
    }
    if (end - pos < length) {
      throw new Truncated(what + " ends at byte " + pos + " without a whole header");
    }
    header.clear().limit(length);
    while (header.hasRemaining()) {
      if (file.read(header, pos + header.position()) < 0) {
        throw new Truncated(what + " ends at byte " + pos + ": the stored file is shorter");
      }
    }
    pos += length;
  }

  private void skip(long length, String what) throws Truncated {
    if (length > end - pos) {
      throw new Truncated(what + " declares " + length + " bytes, " + (end - pos) + " remain");
    }
    pos += length;
  }

  private int tag() {
    return ((header.getShort(0) & 0xFFFF) << 16) | (header.getShort(2) & 0xFFFF);
  }

  private long uint32(int at) {
    return header.getInt(at) & 0xFFFFFFFFL;
  }

  /** The bytes end before the structure does: the data set was cut short. */
  private static final class Truncated extends DicomFormatException {
    Truncated(String message) {
      super(message);
    }
  }
}
