package io.seedtrace.dicom.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * DICOM files (PS3.10): 128-byte preamble, {@code DICM}, the file meta group in explicit VR little
 * endian, then the data set in the transfer syntax the meta group names.
 */
public final class Part10 {

  /** Our implementation class UID and version name, written into every file and association. */
  public static final String IMPLEMENTATION_CLASS_UID = "2.25.126180496734228271883843132825236668709";
  public static final String IMPLEMENTATION_VERSION = "SEEDTRACE_010";

  private Part10() {}

  /** A decoded file: its meta group, its data set, and where the data set starts in the bytes. */
  public record DicomFile(DataSet meta, DataSet dataSet, TransferSyntax transferSyntax, int dataSetOffset) {}

  /**
   * Decodes a whole file.
   *
   * @throws DicomFormatException if there is no preamble and DICM prefix, the meta group is broken
   *     or lacks the transfer syntax, or the data set is malformed
   */
  public static DicomFile read(byte[] bytes) throws DicomFormatException {
    int offset = dataSetOffset(bytes);
    DataSet meta = DataSetReader.read(bytes, 132, offset - 132, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, 0);
    String tsUid = meta.getString(Tag.TransferSyntaxUID)
        .filter(s -> !s.isEmpty())
        .orElseThrow(() -> new DicomFormatException("File meta group has no Transfer Syntax UID (0002,0010)"));
    TransferSyntax ts = TransferSyntax.of(tsUid);
    DataSet ds = DataSetReader.read(bytes, offset, bytes.length - offset, ts, 16L * bytes.length + (1 << 20));
    return new DicomFile(meta, ds, ts, offset);
  }

  /**
   * The byte offset where the data set starts: after the meta group whose length the group length
   * element states (or, if that is missing, after the last group 0002 element).
   */
  public static int dataSetOffset(byte[] bytes) throws DicomFormatException {
    if (bytes.length < 132 || bytes[128] != 'D' || bytes[129] != 'I' || bytes[130] != 'C' || bytes[131] != 'M') {
      throw new DicomFormatException("Not a DICOM file: no 'DICM' after the 128-byte preamble");
    }
    int pos = 132;
    while (pos + 8 <= bytes.length) {
      int group = (bytes[pos] & 0xFF) | (bytes[pos + 1] & 0xFF) << 8;
      if (group != 0x0002) {
        return pos;
      }
      Vr vr = Vr.of(bytes[pos + 4] & 0xFF, bytes[pos + 5] & 0xFF);
      if (vr == null) {
        throw new DicomFormatException("File meta group is not explicit VR at byte " + pos);
      }
      long length;
      int header;
      if (vr.longLength()) {
        if (pos + 12 > bytes.length) {
          throw new DicomFormatException("File meta group truncated at byte " + pos);
        }
        length = (bytes[pos + 8] & 0xFFL) | (bytes[pos + 9] & 0xFFL) << 8 | (bytes[pos + 10] & 0xFFL) << 16
            | (bytes[pos + 11] & 0xFFL) << 24;
        header = 12;
      } else {
        length = (bytes[pos + 6] & 0xFF) | (bytes[pos + 7] & 0xFF) << 8;
        header = 8;
      }
      if (length > bytes.length - pos - header) {
        throw new DicomFormatException("File meta element at byte " + pos + " declares " + length
            + " bytes, more than the file holds");
      }
      pos += header + (int) length;
    }
    if (pos == bytes.length) {
      return pos;
    }
    throw new DicomFormatException("File truncated inside the meta group");
  }

  /**
   * Writes a file around an already encoded data set, so what was received is stored bit for bit.
   */
  public static void write(String sopClassUid, String sopInstanceUid, String transferSyntaxUid,
      String sourceAeTitle, byte[] dataSet, int offset, int length, OutputStream out) throws IOException {
    out.write(metaHeader(sopClassUid, sopInstanceUid, transferSyntaxUid, sourceAeTitle));
    out.write(dataSet, offset, length);
  }

  /** Preamble, prefix and file meta group. */
  public static byte[] metaHeader(String sopClassUid, String sopInstanceUid, String transferSyntaxUid, String sourceAeTitle) {
    DataSet meta = new DataSet();
    meta.put(Element.ofValue(Tag.FileMetaInformationVersion, Vr.OB, new byte[] {0, 1}));
    meta.putString(Tag.MediaStorageSOPClassUID, Vr.UI, sopClassUid);
    meta.putString(Tag.MediaStorageSOPInstanceUID, Vr.UI, sopInstanceUid);
    meta.putString(Tag.TransferSyntaxUID, Vr.UI, transferSyntaxUid);
    meta.putString(Tag.ImplementationClassUID, Vr.UI, IMPLEMENTATION_CLASS_UID);
    meta.putString(Tag.ImplementationVersionName, Vr.SH, IMPLEMENTATION_VERSION);
    if (sourceAeTitle != null && !sourceAeTitle.isBlank()) {
      meta.putString(Tag.SourceApplicationEntityTitle, Vr.AE, sourceAeTitle);
    }
    byte[] group = DataSetWriter.toBytes(meta, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    ByteArrayOutputStream out = new ByteArrayOutputStream(144 + group.length);
    out.writeBytes(new byte[128]);
    out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
    try {
      DataSet length = new DataSet().putUL(Tag.FileMetaInformationGroupLength, group.length);
      DataSetWriter.write(length, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.writeBytes(group);
    return out.toByteArray();
  }

  /**
   * The elements of a stored file's data set that come before Pixel Data, reading at most its first
   * {@code maxBytes} (a deflated data set is inflated, so it must fit whole).
   *
   * @throws DicomFormatException if the file is not Part 10, is deflated and larger than the limit,
   *     or its header is malformed or longer than the limit
   */
  public static DataSet readHeader(java.nio.file.Path file, int maxBytes) throws IOException, DicomFormatException {
    byte[] bytes;
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
      bytes = in.readNBytes(maxBytes);
    }
    int offset = dataSetOffset(bytes);
    DataSet meta = DataSetReader.read(bytes, 132, offset - 132, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, 0);
    TransferSyntax ts = TransferSyntax.of(meta.getString(Tag.TransferSyntaxUID, "1.2.840.10008.1.2.1"));
    boolean whole = bytes.length < maxBytes;
    if (ts.deflated() && !whole) {
      throw new DicomFormatException("deflated data set larger than " + maxBytes + " bytes");
    }
    return whole || ts.deflated()
        ? DataSetReader.readHeader(bytes, offset, bytes.length - offset, ts, Tag.PixelData)
        : DataSetReader.readHeaderOfPrefix(bytes, offset, bytes.length - offset, ts, Tag.PixelData);
  }

  /** Encodes a whole file from a data set. */
  public static byte[] toBytes(DataSet ds, TransferSyntax ts) {
    byte[] body = DataSetWriter.toBytes(ds, ts);
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 256);
    try {
      write(ds.getString(Tag.SOPClassUID, ""), ds.getString(Tag.SOPInstanceUID, ""), ts.uid(), null,
          body, 0, body.length, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
