package io.seedtrace.server.cli;

import io.seedtrace.detection.CtScan;
import io.seedtrace.dicom.NodeConfig;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Element;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.data.Vr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** Writes a generated scan as a CT series (one Part 10 file per slice), for CLI tests. */
final class PhantomSeries {

  private PhantomSeries() {}

  static String uid() {
    return "2.25." + new java.math.BigInteger(UUID.randomUUID().toString().replace("-", ""), 16);
  }

  static void write(CtScan scan, Path dir, String seriesUid) throws IOException {
    String study = uid();
    int plane = scan.nx() * scan.ny();
    for (int k = 0; k < scan.nz(); k++) {
      double[] pos = scan.toPatient(0, 0, k);
      byte[] pixels = new byte[plane * 2];
      for (int p = 0; p < plane; p++) {
        int stored = scan.hu()[k * plane + p] + 1024; // intercept -1024
        pixels[2 * p] = (byte) stored;
        pixels[2 * p + 1] = (byte) (stored >> 8);
      }
      DataSet ds = new DataSet()
          .putString(Tag.SOPClassUID, Vr.UI, NodeConfig.CT_IMAGE)
          .putString(Tag.SOPInstanceUID, Vr.UI, uid())
          .putString(Tag.Modality, Vr.CS, "CT")
          .putString(Tag.PatientID, Vr.LO, "PHANTOM")
          .putString(Tag.StudyInstanceUID, Vr.UI, study)
          .putString(Tag.SeriesInstanceUID, Vr.UI, seriesUid)
          .putString(Tag.InstanceNumber, Vr.IS, Integer.toString(k + 1))
          .putString(Tag.ImagePositionPatient, Vr.DS, pos[0] + "\\" + pos[1] + "\\" + pos[2])
          .putString(Tag.ImageOrientationPatient, Vr.DS, "1\\0\\0\\0\\1\\0")
          .putString(Tag.FrameOfReferenceUID, Vr.UI, study + ".1")
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
      Files.write(dir.resolve(String.format("slice%04d.dcm", k)), Part10.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
    }
  }
}
