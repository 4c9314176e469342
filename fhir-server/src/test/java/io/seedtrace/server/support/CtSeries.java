package io.seedtrace.server.support;

import io.seedtrace.detection.CtScan;
import io.seedtrace.dicom.NodeConfig;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Element;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.data.Vr;
import io.seedtrace.dicom.net.StoreScu;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A generated CT scan as the Part 10 files a CT scanner would send, and sending them over DICOM. */
public final class CtSeries {

  public final String studyUid = uid();
  public final String seriesUid = uid();
  public final String frameOfReferenceUid;
  public final String patientId;
  public final String accessionNumber;
  public final String studyDate;

  public CtSeries(String patientId, String accessionNumber, String studyDate) {
    this(patientId, accessionNumber, studyDate, uid());
  }

  public CtSeries(String patientId, String accessionNumber, String studyDate, String frameOfReferenceUid) {
    this.patientId = patientId;
    this.accessionNumber = accessionNumber;
    this.studyDate = studyDate;
    this.frameOfReferenceUid = frameOfReferenceUid;
  }

  public static String uid() {
    return "2.25." + new java.math.BigInteger(UUID.randomUUID().toString().replace("-", ""), 16);
  }

  public List<byte[]> files(CtScan scan) {
    List<byte[]> files = new ArrayList<>();
    int plane = scan.nx() * scan.ny();
    for (int k = 0; k < scan.nz(); k++) {
      double[] pos = scan.toPatient(0, 0, k);
      byte[] pixels = new byte[plane * 2];
      for (int p = 0; p < plane; p++) {
        int stored = scan.hu()[k * plane + p] + 1024;
        pixels[2 * p] = (byte) stored;
        pixels[2 * p + 1] = (byte) (stored >> 8);
      }
      DataSet ds = new DataSet()
          .putString(Tag.SOPClassUID, Vr.UI, NodeConfig.CT_IMAGE)
          .putString(Tag.SOPInstanceUID, Vr.UI, uid())
          .putString(0x00080020, Vr.DA, studyDate)
          .putString(0x00080030, Vr.TM, "101500")
          .putString(0x00080050, Vr.SH, accessionNumber)
          .putString(Tag.Modality, Vr.CS, "CT")
          .putString(0x00100010, Vr.PN, "TEST^PATIENT")
          .putString(Tag.PatientID, Vr.LO, patientId)
          .putString(Tag.StudyInstanceUID, Vr.UI, studyUid)
          .putString(Tag.SeriesInstanceUID, Vr.UI, seriesUid)
          .putString(Tag.InstanceNumber, Vr.IS, Integer.toString(k + 1))
          .putString(Tag.ImagePositionPatient, Vr.DS, pos[0] + "\\" + pos[1] + "\\" + pos[2])
          .putString(Tag.ImageOrientationPatient, Vr.DS, "1\\0\\0\\0\\1\\0")
          .putString(Tag.FrameOfReferenceUID, Vr.UI, frameOfReferenceUid)
          .putUS(Tag.SamplesPerPixel, 1)
          .putUS(Tag.Rows, scan.ny())
          .putUS(Tag.Columns, scan.nx())
          .putString(Tag.PixelSpacing, Vr.DS, scan.dy() + "\\" + scan.dx())
          .putUS(Tag.BitsAllocated, 16)
          .putUS(Tag.BitsStored, 16)
          .putUS(Tag.HighBit, 15)
          .putUS(Tag.PixelRepresentation, 0)
          .putString(Tag.RescaleIntercept, Vr.DS, "-1024")
          .putString(Tag.RescaleSlope, Vr.DS, "1")
          .put(Element.ofValue(Tag.PixelData, Vr.OW, pixels));
      files.add(Part10.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
    }
    return files;
  }

  /** Sends the files over one association as AE "PACS"; returns the time of the last success response. */
  public static long send(int port, List<byte[]> files) throws IOException {
    try (StoreScu scu = StoreScu.open("127.0.0.1", port, "PACS", "SEEDTRACE", List.of(new StoreScu.Proposal(
        NodeConfig.CT_IMAGE, List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid()))), 10_000)) {
      for (byte[] f : files) {
        int status = scu.store(f);
        if (status != 0) {
          throw new IOException("C-STORE status 0x" + Integer.toHexString(status));
        }
      }
      return System.nanoTime();
    }
  }
}
