package io.seedtrace.dicom.web;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.DataSetReader;
import io.seedtrace.dicom.data.DicomFormatException;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.data.Vr;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The start of a Part 10 file read from a stream: preamble, {@code DICM} and the file meta group
 * (element by element, since its group length is optional), leaving the stream at the data set.
 * The bytes read past the meta group (the first tag of the data set) are kept in {@link #dataSetStart()}.
 *
 * @param sopClassUid Media Storage SOP Class UID (0002,0002)
 * @param sopInstanceUid Media Storage SOP Instance UID (0002,0003)
 * @param transferSyntaxUid Transfer Syntax UID (0002,0010)
 * @param dataSetStart the data set's first bytes, already read
 */
record Part10Head(String sopClassUid, String sopInstanceUid, String transferSyntaxUid, byte[] dataSetStart) {

  /**
   * @throws DicomFormatException if there is no {@code DICM} prefix, the meta group is malformed,
   *     longer than {@code maxMetaBytes}, or lacks one of the three UIDs
   * @throws IOException if the stream fails or ends inside the meta group
   */
  static Part10Head read(InputStream in, int maxMetaBytes) throws IOException, DicomFormatException {
    byte[] preamble = in.readNBytes(132);
    if (preamble.length < 132 || preamble[128] != 'D' || preamble[129] != 'I' || preamble[130] != 'C'
        || preamble[131] != 'M') {
      throw new DicomFormatException("not a DICOM Part 10 file: no 'DICM' after the 128-byte preamble");
    }
    ByteArrayOutputStream meta = new ByteArrayOutputStream();
    while (true) {
      byte[] tag = in.readNBytes(4);
      int group = tag.length < 4 ? -1 : (tag[0] & 0xFF) | (tag[1] & 0xFF) << 8;
      if (group != 0x0002) {
        return of(meta.toByteArray(), tag);
      }
      byte[] vrBytes = exactly(in, 4);
      Vr vr = Vr.of(vrBytes[0] & 0xFF, vrBytes[1] & 0xFF);
      if (vr == null) {
        throw new DicomFormatException("file meta group is not explicit VR");
      }
      long length;
      byte[] lengthBytes = new byte[0];
      if (vr.longLength()) {
        lengthBytes = exactly(in, 4);
        length = (lengthBytes[0] & 0xFFL) | (lengthBytes[1] & 0xFFL) << 8 | (lengthBytes[2] & 0xFFL) << 16
            | (lengthBytes[3] & 0xFFL) << 24;
      } else {
        length = (vrBytes[2] & 0xFF) | (vrBytes[3] & 0xFF) << 8;
      }
      if (meta.size() + 12 + length > maxMetaBytes) {
        throw new DicomFormatException("file meta group longer than " + maxMetaBytes + " bytes");
      }
      meta.writeBytes(tag);
      meta.writeBytes(vrBytes);
      meta.writeBytes(lengthBytes);
      meta.writeBytes(exactly(in, (int) length));
    }
  }

  private static Part10Head of(byte[] meta, byte[] dataSetStart) throws DicomFormatException {
    DataSet group = DataSetReader.read(meta, 0, meta.length, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, 0);
    String sopClass = group.getString(Tag.MediaStorageSOPClassUID, "");
    String sop = group.getString(Tag.MediaStorageSOPInstanceUID, "");
    String ts = group.getString(Tag.TransferSyntaxUID, "");
    if (sopClass.isEmpty() || sop.isEmpty() || ts.isEmpty()) {
      throw new DicomFormatException("the file meta group lacks the Media Storage SOP Class or Instance UID or the"
          + " Transfer Syntax UID");
    }
    return new Part10Head(sopClass, sop, ts, dataSetStart);
  }

  private static byte[] exactly(InputStream in, int n) throws IOException, DicomFormatException {
    byte[] bytes = in.readNBytes(n);
    if (bytes.length < n) {
      throw new DicomFormatException("the file ends inside its meta group");
    }
    return bytes;
  }

  /** The same head naming the instance by these UIDs, where they are not empty. */
  Part10Head namedBy(String dataSetSopClass, String dataSetSopInstance) {
    return new Part10Head(dataSetSopClass.isEmpty() ? sopClassUid : dataSetSopClass,
        dataSetSopInstance.isEmpty() ? sopInstanceUid : dataSetSopInstance, transferSyntaxUid, dataSetStart);
  }

  StowReceiver.Instance failed(int status, String comment) {
    return new StowReceiver.Instance(sopClassUid, sopInstanceUid, "", "", status, comment);
  }
}
