package io.seedtrace.core.sealing;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The traceability password of a sealing (MISSION.md stage 4, claim 3): 160 random bits written as
 * 32 Crockford base-32 characters in groups of four plus a check character, so that a mistyped key
 * is caught before it counts as a failed attempt. Example: {@code 7K3M-Q9TX-...-ZP0W-5}.
 */
public final class TraceKey {

  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private final byte[] secret;

  private TraceKey(byte[] secret) {
    this.secret = secret;
  }

  public static TraceKey generate(SecureRandom random) {
    byte[] b = new byte[20];
    random.nextBytes(b);
    return new TraceKey(b);
  }

  /**
   * Parses a typed key (case and dashes ignored, I/L read as 1, O as 0).
   *
   * @throws IllegalArgumentException if it is malformed or its check character does not match
   */
  public static TraceKey parse(String text) {
    String s = text.toUpperCase().replace("-", "").replace(" ", "").replace('I', '1').replace('L', '1').replace('O', '0');
    if (s.length() != 33) {
      throw new IllegalArgumentException("a trace key has 32 characters and a check character");
    }
    long bits = 0;
    int nbits = 0;
    byte[] out = new byte[20];
    int o = 0;
    int sum = 0;
    for (int i = 0; i < 32; i++) {
      int v = indexOf(s.charAt(i));
      sum = (sum * 31 + v) % 37;
      bits = (bits << 5) | v;
      nbits += 5;
      if (nbits >= 8) {
        out[o++] = (byte) (bits >> (nbits - 8));
        nbits -= 8;
      }
    }
    if (indexOf(s.charAt(32)) != sum % 32) {
      throw new IllegalArgumentException("trace key check character does not match: mistyped?");
    }
    return new TraceKey(out);
  }

  private static int indexOf(char c) {
    for (int i = 0; i < ALPHABET.length; i++) {
      if (ALPHABET[i] == c) {
        return i;
      }
    }
    throw new IllegalArgumentException("'" + c + "' is not a trace key character");
  }

  byte[] secret() {
    return secret.clone();
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    int sum = 0;
    long bits = 0;
    int nbits = 0;
    int written = 0;
    for (byte b : secret) {
      bits = (bits << 8) | (b & 0xFF);
      nbits += 8;
      while (nbits >= 5) {
        int v = (int) (bits >> (nbits - 5)) & 31;
        nbits -= 5;
        sum = (sum * 31 + v) % 37;
        if (written > 0 && written % 4 == 0) {
          s.append('-');
        }
        s.append(ALPHABET[v]);
        written++;
      }
    }
    return s.append('-').append(ALPHABET[sum % 32]).toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TraceKey k && java.security.MessageDigest.isEqual(k.secret, secret);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(secret);
  }
}
