package io.seedtrace.dicom.codec;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.DataSetReader;
import io.seedtrace.dicom.data.DicomFormatException;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.data.Vr;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Gives a stored Part 10 file in Explicit VR Little Endian, the syntax every DICOM reader knows:
 * compressed Pixel Data decoded by the node's own decoders ({@link PixelData}), an Implicit VR or
 * deflated data set re-encoded. For WADO-RS clients that cannot decompress.
 *
 * <pre>{@code
 * if (Transcoder.canMakeExplicitLittleEndian(Transcoder.storedSyntax(file))) {
 *   byte[] native = Transcoder.toExplicitLittleEndian(file);
 * }
 * }</pre>
 *
 * <p>Bounds: a file over {@link #MAX_FILE_BYTES} is not transcoded; decoding keeps the limits of
 * {@link PixelData} (at most {@link PixelData#MAX_DECODED_BYTES} of pixels, each stream's header
 * checked against the declared image before anything is allocated).
 */
public final class Transcoder {

  /** The largest stored file transcoded (it is read whole into memory). */
  public static final long MAX_FILE_BYTES = 256L << 20;

  private static final int META_BYTES = 64 * 1024;

  private Transcoder() {}

  /** The transfer syntax UID of a stored file, from its meta group (the first 64 KiB are read). */
  public static String storedSyntax(Path file) throws IOException, DicomFormatException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(META_BYTES);
    }
    int offset = Part10.dataSetOffset(head);
    DataSet meta = DataSetReader.read(head, 132, offset - 132, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, 0);
    return meta.getString(Tag.TransferSyntaxUID, "");
  }

  /**
   * Whether a file in {@code transferSyntaxUid} can be given in Explicit VR Little Endian: it already
   * is, it is Implicit VR Little Endian or deflated, or its Pixel Data is decoded here. Explicit VR
   * Big Endian (retired) is not converted.
   */
  public static boolean canMakeExplicitLittleEndian(String transferSyntaxUid) {
    TransferSyntax ts = TransferSyntax.of(transferSyntaxUid);
    return ts.isNative() ? !ts.bigEndian() : PixelData.decodes(transferSyntaxUid);
  }

  /**
   * The file in Explicit VR Little Endian, with our file meta group.
   *
   * @throws CodecException if its syntax cannot be converted, it is larger than
   *     {@link #MAX_FILE_BYTES}, or its Pixel Data cannot be decoded (with the reason)
   * @throws DicomFormatException if the file cannot be parsed
   */
  public static byte[] toExplicitLittleEndian(Path file) throws IOException, CodecException, DicomFormatException {
    return Part10.toBytes(toExplicitLittleEndianDataSet(file), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
  }

  /**
   * The file's data set as it is in Explicit VR Little Endian (Pixel Data decoded), for writing or
   * for taking single values from (WADO-RS bulk data).
   *
   * @throws CodecException as {@link #toExplicitLittleEndian}
   * @throws DicomFormatException if the file cannot be parsed
   */
  public static DataSet toExplicitLittleEndianDataSet(Path file)
      throws IOException, CodecException, DicomFormatException {
    if (Files.size(file) > MAX_FILE_BYTES) {
      throw new CodecException(file.getFileName() + " is larger than " + MAX_FILE_BYTES + " bytes; not transcoded");
    }
    Part10.DicomFile f = Part10.read(Files.readAllBytes(file));
    if (!canMakeExplicitLittleEndian(f.transferSyntax().uid())) {
      throw new CodecException("Transfer syntax " + f.transferSyntax().uid() + " cannot be converted to Explicit VR"
          + " Little Endian");
    }
    DataSet ds = f.dataSet();
    if (f.transferSyntax().encapsulated()) {
      PixelData.decodeInPlace(ds, f.transferSyntax());
      if (lossy(f.transferSyntax().uid())) {
        ds.putString(Tag.LossyImageCompression, Vr.CS, "01");
      }
    }
    return ds;
  }

  private static boolean lossy(String uid) {
    return switch (uid) {
      case "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.81", "1.2.840.10008.1.2.4.91" ->
          true;
      default -> false;
    };
  }
}
