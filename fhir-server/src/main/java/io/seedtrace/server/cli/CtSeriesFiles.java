package io.seedtrace.server.cli;

import io.seedtrace.detection.CtScan;
import io.seedtrace.dicom.NodeConfig;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Element;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.data.Vr;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A generated CT scan (axial, HU) as the classic CT Image files a scanner sends: one Part 10 file
 * per slice, Explicit VR Little Endian, stored value = HU + 1024. Used by the demo and by tests.
 */
public final class CtSeriesFiles {

  /** The identifiers the files carry. */
  public record Ids(String patientId, String patientName, String accessionNumber, String studyDate, String studyUid, String seriesUid,
      String frameOfReferenceUid) {}

  private CtSeriesFiles() {}

  public static String uid() {
    return "2.25." + new java.math.BigInteger(UUID.randomUUID().toString().replace("-", ""), 16);
  }

  public static List<byte[]> files(CtScan scan, Ids ids) {
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
          .putString(0x00080020, Vr.DA, ids.studyDate())
          .putString(0x00080030, Vr.TM, "101500")
          .putString(Tag.Modality, Vr.CS, "CT")
          .putString(0x00100010, Vr.PN, ids.patientName())
          .putString(Tag.PatientID, Vr.LO, ids.patientId())
          .putString(Tag.StudyInstanceUID, Vr.UI, ids.studyUid())
          .putString(Tag.SeriesInstanceUID, Vr.UI, ids.seriesUid())
          .putString(Tag.InstanceNumber, Vr.IS, Integer.toString(k + 1))
          .putString(Tag.ImagePositionPatient, Vr.DS, pos[0] + "\\" + pos[1] + "\\" + pos[2])
          .putString(Tag.ImageOrientationPatient, Vr.DS, "1\\0\\0\\0\\1\\0")
          .putString(Tag.FrameOfReferenceUID, Vr.UI, ids.frameOfReferenceUid())
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
      if (ids.accessionNumber() != null) {
        ds.putString(0x00080050, Vr.SH, ids.accessionNumber());
      }
      files.add(Part10.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
    }
    return files;
  }
}
