package io.seedtrace.dicom.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A DICOM data set: elements ordered by tag (unsigned), with typed accessors for the values
 * SeedTrace uses. Values built here are little endian; {@link #bigEndian()} marks a data set read
 * from Explicit VR Big Endian so numeric accessors read it right.
 */
public final class DataSet {

  private final TreeMap<Integer, Element> elements = new TreeMap<>(Integer::compareUnsigned);
  private final boolean bigEndian;

  public DataSet() {
    this(false);
  }

  public DataSet(boolean bigEndian) {
    this.bigEndian = bigEndian;
  }

  public boolean bigEndian() {
    return bigEndian;
  }

  public DataSet put(Element element) {
    elements.put(element.tag(), element);
    return this;
  }

  public DataSet putString(int tag, Vr vr, String value) {
    return put(Element.ofValue(tag, vr, padded(vr, value.getBytes(vr == Vr.UI || vr == Vr.AE || vr == Vr.CS
        ? StandardCharsets.US_ASCII : StandardCharsets.UTF_8))));
  }

  public DataSet putUS(int tag, int value) {
    return put(Element.ofValue(tag, Vr.US, new byte[] {(byte) value, (byte) (value >> 8)}));
  }

  public DataSet putUL(int tag, long value) {
    return put(Element.ofValue(tag, Vr.UL, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) value).array()));
  }

  public DataSet remove(int tag) {
    elements.remove(tag);
    return this;
  }

  public Optional<Element> get(int tag) {
    return Optional.ofNullable(elements.get(tag));
  }

  public boolean contains(int tag) {
    return elements.containsKey(tag);
  }

  public Collection<Element> elements() {
    return Collections.unmodifiableCollection(elements.values());
  }

  public int size() {
    return elements.size();
  }

  /** The value as text, trailing padding (space, NUL) removed; empty when absent. */
  public Optional<String> getString(int tag) {
    Element e = elements.get(tag);
    if (e == null || e.value() == null) {
      return Optional.empty();
    }
    String text = new String(e.value(), StandardCharsets.UTF_8);
    int end = text.length();
    while (end > 0 && (text.charAt(end - 1) == ' ' || text.charAt(end - 1) == '\0')) {
      end--;
    }
    int start = 0;
    while (start < end && text.charAt(start) == ' ') {
      start++;
    }
    return Optional.of(text.substring(start, end));
  }

  public String getString(int tag, String defaultValue) {
    return getString(tag).filter(s -> !s.isEmpty()).orElse(defaultValue);
  }

  /** Backslash-separated multi-values of a text element. */
  public String[] getStrings(int tag) {
    return getString(tag).map(s -> s.isEmpty() ? new String[0] : s.split("\\\\", -1)).orElse(new String[0]);
  }

  /** Decimal or integer string values (DS, IS) as doubles. */
  public double[] getDoubles(int tag) {
    String[] parts = getStrings(tag);
    double[] values = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      values[i] = Double.parseDouble(parts[i].trim());
    }
    return values;
  }

  public Optional<Integer> getInt(int tag) {
    Element e = elements.get(tag);
    if (e == null || e.value() == null) {
      return Optional.empty();
    }
    ByteBuffer b = ByteBuffer.wrap(e.value()).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    return switch (e.vr()) {
      case US -> e.value().length >= 2 ? Optional.of(b.getShort() & 0xFFFF) : Optional.empty();
      case SS -> e.value().length >= 2 ? Optional.of((int) b.getShort()) : Optional.empty();
      case UL, SL -> e.value().length >= 4 ? Optional.of(b.getInt()) : Optional.empty();
      case IS, DS -> getString(tag).filter(s -> !s.isBlank()).map(s -> (int) Double.parseDouble(s.split("\\\\")[0].trim()));
      default -> Optional.empty();
    };
  }

  static byte[] padded(Vr vr, byte[] raw) {
    if (raw.length % 2 == 0) {
      return raw;
    }
    byte[] out = new byte[raw.length + 1];
    System.arraycopy(raw, 0, out, 0, raw.length);
    out[raw.length] = vr == Vr.UI ? 0 : (byte) ' ';
    return out;
  }

  @Override
  public String toString() {
    return "DataSet" + elements.keySet().stream().map(Tag::toString).toList();
  }
}
