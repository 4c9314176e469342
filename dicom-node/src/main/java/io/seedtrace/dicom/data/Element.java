package io.seedtrace.dicom.data;

import java.util.List;

/**
 * One attribute of a data set: a tag, its VR and either raw value bytes (in the byte order of the
 * data set it came from, little endian when built here), the items of a sequence, or the fragments
 * of encapsulated pixel data (kept as they are).
 */
public record Element(int tag, Vr vr, byte[] value, List<DataSet> items, List<byte[]> fragments) {

  public Element {
    if (vr == null) {
      throw new IllegalArgumentException("VR of " + Tag.toString(tag) + " is missing");
    }
    items = items == null ? null : List.copyOf(items);
    fragments = fragments == null ? null : List.copyOf(fragments);
    if ((value == null ? 0 : 1) + (items == null ? 0 : 1) + (fragments == null ? 0 : 1) != 1) {
      throw new IllegalArgumentException(Tag.toString(tag) + " must hold exactly one of value, items or fragments");
    }
  }

  public static Element ofValue(int tag, Vr vr, byte[] value) {
    return new Element(tag, vr, value, null, null);
  }

  public static Element ofItems(int tag, List<DataSet> items) {
    return new Element(tag, Vr.SQ, null, items, null);
  }

  public static Element ofFragments(int tag, Vr vr, List<byte[]> fragments) {
    return new Element(tag, vr, null, null, fragments);
  }

  public boolean isSequence() {
    return items != null;
  }

  public boolean isEncapsulated() {
    return fragments != null;
  }
}
