package io.seedtrace.core.chip;

import io.seedtrace.core.chip.ChipPayloadException.Reason;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * A strict reader of deterministic CBOR: shortest-form heads only, no indefinite lengths, no floats,
 * every length checked against the bytes left before anything is allocated.
 *
 * <p>It reads only what the caller asks for, one item at a time, and never skips or recurses into
 * an item it does not expect: the chip format's fixed layout (docs/chip-format.md) sets the
 * nesting depth, and any other item is refused where it stands. So the reader needs no depth
 * limit, and a byte or text string is the only thing it allocates: at most the bytes left in the
 * input, and at most the caller's limit for that field.
 */
final class CborReader {

  private final byte[] buf;
  private int pos;
  private final int end;

  CborReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  CborReader(byte[] buf, int from, int to) {
    this.buf = buf;
    this.pos = from;
    this.end = to;
  }

  int position() {
    return pos;
  }

  boolean atEnd() {
    return pos == end;
  }

  /** Reads a head of the expected major type and returns its argument. */
  long head(int expectedMajor) throws ChipPayloadException {
    if (pos >= end) {
      throw new ChipPayloadException(Reason.TRUNCATED, "payload ends at byte " + pos);
    }
    int first = buf[pos++] & 0xFF;
    int major = first >> 5;
    int info = first & 0x1F;
    if (major != expectedMajor) {
      throw new ChipPayloadException(Reason.MALFORMED, "expected CBOR major type " + expectedMajor + ", found "
          + major + " at byte " + (pos - 1));
    }
    long value;
    if (info < 24) {
      return info;
    } else if (info <= 27) {
      int n = 1 << (info - 24);
      if (end - pos < n) {
        throw new ChipPayloadException(Reason.TRUNCATED, "CBOR head truncated at byte " + pos);
      }
      value = 0;
      for (int i = 0; i < n; i++) {
        value = (value << 8) | (buf[pos++] & 0xFF);
      }
      if (value < 0) {
        // 2^63 and above: no length, count or field of the format comes near it
        throw new ChipPayloadException(Reason.TOO_LARGE, "CBOR argument of 2^63 or more at byte " + (pos - n - 1));
      }
      long minimum = n == 1 ? 24 : n == 2 ? 0x100 : n == 4 ? 0x10000 : 0x100000000L;
      if (value < minimum) {
        throw new ChipPayloadException(Reason.NOT_DETERMINISTIC, "CBOR integer not in shortest form at byte " + (pos - n - 1));
      }
      return value;
    }
    throw new ChipPayloadException(Reason.MALFORMED, "indefinite length or reserved CBOR head at byte " + (pos - 1));
  }

  long uint() throws ChipPayloadException {
    return head(0);
  }

  int peekMajor() throws ChipPayloadException {
    if (pos >= end) {
      throw new ChipPayloadException(Reason.TRUNCATED, "payload ends at byte " + pos);
    }
    return (buf[pos] & 0xFF) >> 5;
  }

  long integer() throws ChipPayloadException {
    int major = peekMajor();
    if (major == 0) {
      return head(0);
    }
    if (major == 1) {
      return -1 - head(1);
    }
    throw new ChipPayloadException(Reason.MALFORMED, "expected an integer at byte " + pos);
  }

  byte[] bytes(int maxLength) throws ChipPayloadException {
    long n = head(2);
    return take(n, maxLength);
  }

  String text(int maxLength) throws ChipPayloadException {
    long n = head(3);
    byte[] raw = take(n, maxLength);
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
    } catch (CharacterCodingException e) {
      throw new ChipPayloadException(Reason.MALFORMED, "text is not UTF-8 at byte " + (pos - raw.length));
    }
  }

  private byte[] take(long n, int maxLength) throws ChipPayloadException {
    if (n > end - pos) {
      throw new ChipPayloadException(Reason.TRUNCATED, "declared length " + n + " exceeds the " + (end - pos)
          + " bytes left at byte " + pos);
    }
    if (n > maxLength) {
      throw new ChipPayloadException(Reason.FIELD_OUT_OF_RANGE, "field of " + n + " bytes exceeds its limit of " + maxLength);
    }
    byte[] out = new byte[(int) n];
    System.arraycopy(buf, pos, out, 0, out.length);
    pos += out.length;
    return out;
  }

  int array(int min, int max) throws ChipPayloadException {
    long n = head(4);
    if (n < min || n > max) {
      throw new ChipPayloadException(Reason.MALFORMED, "array of " + n + " items where " + min + "-" + max + " expected");
    }
    return (int) n;
  }

  int map(int max) throws ChipPayloadException {
    long n = head(5);
    if (n > max) {
      throw new ChipPayloadException(Reason.TOO_LARGE, "map of " + n + " entries exceeds " + max);
    }
    return (int) n;
  }

  /** Reads a map head and returns its entry count, for a caller that wants one exact count. */
  long mapCount() throws ChipPayloadException {
    return head(5);
  }

  long tag() throws ChipPayloadException {
    return head(6);
  }
}
