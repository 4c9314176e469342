package io.seedtrace.core.chip;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes deterministic CBOR (RFC 8949 section 4.2.1): shortest-form heads, definite lengths; the
 * caller writes map keys in ascending order. Only what the chip format needs.
 */
final class CborWriter {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  CborWriter head(int major, long value) {
    int mt = major << 5;
    if (value < 24) {
      out.write(mt | (int) value);
    } else if (value < 0x100) {
      out.write(mt | 24);
      out.write((int) value);
    } else if (value < 0x10000) {
      out.write(mt | 25);
      out.write((int) (value >> 8));
      out.write((int) value);
    } else if (value < 0x100000000L) {
      out.write(mt | 26);
      for (int s = 24; s >= 0; s -= 8) {
        out.write((int) (value >> s));
      }
    } else {
      out.write(mt | 27);
      for (int s = 56; s >= 0; s -= 8) {
        out.write((int) (value >> s));
      }
    }
    return this;
  }

  CborWriter uint(long v) {
    if (v < 0) {
      throw new IllegalArgumentException("negative: " + v);
    }
    return head(0, v);
  }

  CborWriter integer(long v) {
    return v >= 0 ? head(0, v) : head(1, -1 - v);
  }

  CborWriter bytes(byte[] b) {
    head(2, b.length);
    out.writeBytes(b);
    return this;
  }

  CborWriter text(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    head(3, b.length);
    out.writeBytes(b);
    return this;
  }

  CborWriter array(int n) {
    return head(4, n);
  }

  CborWriter map(int n) {
    return head(5, n);
  }

  CborWriter tag(long t) {
    return head(6, t);
  }

  CborWriter raw(byte[] encoded) {
    out.writeBytes(encoded);
    return this;
  }

  byte[] toBytes() {
    return out.toByteArray();
  }
}
