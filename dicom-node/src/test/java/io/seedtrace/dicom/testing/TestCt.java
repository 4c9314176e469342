package io.seedtrace.dicom.testing;

import io.seedtrace.dicom.NodeConfig;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Element;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.data.Vr;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/** Makes small CT series in code, as Part 10 files, for tests. */
public final class TestCt {

  private TestCt() {}

  public static String uid() {
    UUID u = UUID.randomUUID();
    return "2.25." + new java.math.BigInteger(1, java.nio.ByteBuffer.allocate(16)
        .putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array());
  }

  /** One CT slice data set with {@code size} x {@code size} 16-bit pixels. */
  public static DataSet slice(String study, String series, String sop, int index, int size, long seed) {
    DataSet ds = new DataSet();
    ds.putString(Tag.SpecificCharacterSet, Vr.CS, "ISO_IR 192");
    ds.putString(Tag.ImageType, Vr.CS, "ORIGINAL\\PRIMARY\\AXIAL");
    ds.putString(Tag.SOPClassUID, Vr.UI, NodeConfig.CT_IMAGE);
    ds.putString(Tag.SOPInstanceUID, Vr.UI, sop);
    ds.putString(Tag.StudyDate, Vr.DA, "20261124");
    ds.putString(Tag.AccessionNumber, Vr.SH, "ACC-2026-77812");
    ds.putString(Tag.Modality, Vr.CS, "CT");
    ds.putString(Tag.PatientName, Vr.PN, "Zhang^Wei");
    ds.putString(Tag.PatientID, Vr.LO, "IP-2026-0042");
    ds.putString(Tag.SliceThickness, Vr.DS, "1");
    ds.putString(Tag.StudyInstanceUID, Vr.UI, study);
    ds.putString(Tag.SeriesInstanceUID, Vr.UI, series);
    ds.putString(Tag.SeriesNumber, Vr.IS, "2");
    ds.putString(Tag.InstanceNumber, Vr.IS, Integer.toString(index + 1));
    ds.putString(Tag.ImagePositionPatient, Vr.DS, "-100\\-100\\" + index);
    ds.putString(Tag.ImageOrientationPatient, Vr.DS, "1\\0\\0\\0\\1\\0");
    ds.putString(Tag.FrameOfReferenceUID, Vr.UI, study + ".1");
    ds.putUS(Tag.SamplesPerPixel, 1);
    ds.putString(Tag.PhotometricInterpretation, Vr.CS, "MONOCHROME2");
    ds.putUS(Tag.Rows, size);
    ds.putUS(Tag.Columns, size);
    ds.putString(Tag.PixelSpacing, Vr.DS, "0.8\\0.8");
    ds.putUS(Tag.BitsAllocated, 16);
    ds.putUS(Tag.BitsStored, 16);
    ds.putUS(Tag.HighBit, 15);
    ds.putUS(Tag.PixelRepresentation, 1);
    ds.putString(Tag.RescaleIntercept, Vr.DS, "-1024");
    ds.putString(Tag.RescaleSlope, Vr.DS, "1");
    byte[] pixels = new byte[size * size * 2];
    new Random(seed + index).nextBytes(pixels);
    ds.put(Element.ofValue(Tag.PixelData, Vr.OW, pixels));
    return ds;
  }

  /** A series of {@code count} slices as Part 10 files in explicit VR little endian. */
  public static List<byte[]> series(int count, int size) {
    String study = uid();
    String series = uid();
    List<byte[]> files = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      files.add(Part10.toBytes(slice(study, series, uid(), i, size, 42), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
    }
    return files;
  }
}
