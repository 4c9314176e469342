package io.seedtrace.dicom.web;

import io.seedtrace.dicom.codec.CodecException;
import io.seedtrace.dicom.codec.Transcoder;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.DicomFormatException;
import io.seedtrace.dicom.data.Element;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.Vr;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The bulk data of a stored instance (PS3.18 10.4.1.1.3), named by a path relative to the
 * instance's {@code bulkdata} resource: the attribute's tag as 8 hex digits, and inside a sequence
 * the item's index (from 0) and the nested attribute's tag, e.g. {@code 7FE00010} or
 * {@code 00540016/0/00281201}. Values are given as in Explicit VR Little Endian: compressed Pixel
 * Data decoded by the node's own decoders ({@link Transcoder}).
 *
 * <pre>{@code
 * if (BulkData.isBulk(element)) writeUri(base + "/" + BulkData.path(parents, element.tag()));
 * Optional<byte[]> bytes = BulkData.value(file, "7FE00010");
 * }</pre>
 *
 * <p>Bounds: the file is read whole ({@link Transcoder#MAX_FILE_BYTES}), pixels decoded within
 * {@code PixelData}'s limit.
 */
public final class BulkData {

  /** Binary values (OB, OD, OF, OL, OV, OW, UN) longer than this many bytes are bulk data. */
  public static final int THRESHOLD = 1024;

  private BulkData() {}

  /** Whether this element's value is given by a BulkDataURI rather than inline. */
  public static boolean isBulk(Element e) {
    return e.isEncapsulated() || binary(e.vr()) && e.value() != null && e.value().length > THRESHOLD;
  }

  /** Whether a VR holds binary values (bulk data when long). */
  public static boolean binary(Vr vr) {
    return switch (vr) {
      case OB, OD, OF, OL, OV, OW, UN -> true;
      default -> false;
    };
  }

  /** The path of an attribute: the enclosing sequence tags and item indexes, then its tag. */
  public static String path(String parent, int tag) {
    String own = String.format("%08X", tag);
    return parent == null || parent.isEmpty() ? own : parent + "/" + own;
  }

  /**
   * Whether a header read up to Pixel Data belongs to an image, whose Pixel Data follows: it has
   * Rows, Columns and Bits Allocated.
   */
  public static boolean hasPixelData(DataSet header) {
    return header.contains(Tag.Rows) && header.contains(Tag.Columns) && header.contains(Tag.BitsAllocated);
  }

  /** The VR Pixel Data has once decoded: OW above 8 bits allocated, else OB. */
  public static Vr pixelDataVr(DataSet header) {
    return header.getInt(Tag.BitsAllocated).orElse(16) > 8 ? Vr.OW : Vr.OB;
  }

  /**
   * The value at {@code path} in the stored file, as in Explicit VR Little Endian; empty when the
   * path names no binary value of the file (not an attribute, an item that is not there, a value
   * that is not binary).
   *
   * @throws IllegalArgumentException if the path is not of the form described above
   * @throws CodecException if the file cannot be given in Explicit VR Little Endian (its syntax,
   *     its size, or Pixel Data that does not decode), with the reason
   */
  public static Optional<byte[]> value(Path file, String path)
      throws IOException, CodecException, DicomFormatException {
    List<String> steps = List.of(path.split("/"));
    if (steps.size() % 2 == 0) {
      throw new IllegalArgumentException("a bulk data path is a tag, or tag/item/tag...: " + path);
    }
    int[] tags = new int[steps.size() / 2 + 1];
    int[] items = new int[steps.size() / 2];
    for (int i = 0; i < steps.size(); i++) {
      String s = steps.get(i);
      if (i % 2 == 0 && s.matches("[0-9A-Fa-f]{8}")) {
        tags[i / 2] = Integer.parseUnsignedInt(s, 16);
      } else if (i % 2 == 1 && s.matches("[0-9]{1,6}")) {
        items[i / 2] = Integer.parseInt(s);
      } else {
        throw new IllegalArgumentException("a bulk data path is a tag, or tag/item/tag...: " + path);
      }
    }
    DataSet ds = Transcoder.toExplicitLittleEndianDataSet(file);
    for (int i = 0; i < items.length; i++) {
      Optional<Element> seq = ds.get(tags[i]);
      if (seq.isEmpty() || !seq.get().isSequence() || seq.get().items().size() <= items[i]) {
        return Optional.empty();
      }
      ds = seq.get().items().get(items[i]);
    }
    return ds.get(tags[tags.length - 1]).filter(e -> binary(e.vr()) && e.value() != null).map(Element::value);
  }
}
