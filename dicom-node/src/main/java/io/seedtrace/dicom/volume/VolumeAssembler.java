package io.seedtrace.dicom.volume;

import io.seedtrace.dicom.codec.CodecException;
import io.seedtrace.dicom.codec.PixelData;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.DicomFormatException;
import io.seedtrace.dicom.data.Element;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Builds an {@link ImageVolume} from the files of one CT or MR series: slices sorted along the slice
 * normal, rescale slope and intercept applied (HU for CT; the scanner's signal for MR), and the
 * geometry checked, with the same checks for both modalities. A series that would give a
 * wrong volume is refused with the reason: several series, differing orientation or matrix, gantry
 * tilt (slices sheared along the normal), duplicate or missing slices, non-uniform spacing,
 * compressed pixel data that cannot be decoded. Compressed slices are decoded first
 * ({@link PixelData}), so a JPEG, JPEG-LS, JPEG 2000 or RLE series gives the same volume as the
 * uncompressed one; a multi-frame Enhanced CT or Enhanced MR is split into its frames. Oblique
 * orientations are kept as they are (the volume's directions are the series' own).
 *
 * <p>CT values are stored one to one (clamped to the 16-bit range, which Hounsfield units never
 * leave). MR values have no absolute meaning and some scanners use all 16 bits unsigned or a
 * fractional rescale slope, so an MR volume stores {@code value / valueScale} with the power of two
 * {@code valueScale} that brings the series' extreme possible values (from Bits Stored and each
 * slice's rescale) into the signed 16-bit range using at least half of it: no value is clipped and
 * at least 14 bits of contrast are kept.
 *
 * <pre>{@code
 * ImageVolume ct = VolumeAssembler.assemble(event.paths());               // CT, for seed detection
 * ImageVolume mr = VolumeAssembler.assemble(event.paths(), Modality.MR);  // MR, for fusion
 * }</pre>
 */
public final class VolumeAssembler {

  private static final double ORIENTATION_TOLERANCE = 1e-4;
  private static final double POSITION_TOLERANCE_MM = 0.01;
  private static final double SPACING_TOLERANCE = 0.01; // relative

  private VolumeAssembler() {}

  private record Slice(Path path, DataSet ds, TransferSyntax syntax, double position) {}

  /**
   * The CT volume of a series, for seed detection: any other modality is refused.
   *
   * @throws VolumeException if the files do not form one regular CT volume, with the reason
   * @throws IOException if a file cannot be read
   */
  public static ImageVolume assemble(List<Path> files) throws VolumeException, IOException {
    return assemble(files, Modality.CT);
  }

  /**
   * The volume of a series of the given modality (classic slices or one Enhanced object).
   *
   * @throws VolumeException if the files do not form one regular volume of that modality, with the reason
   * @throws IOException if a file cannot be read
   */
  public static ImageVolume assemble(List<Path> files, Modality modality) throws VolumeException, IOException {
    if (files.isEmpty()) {
      throw new VolumeException("No files: a " + modality + " series is needed");
    }
    List<DataSet> sets = new ArrayList<>();
    List<Path> paths = new ArrayList<>();
    List<TransferSyntax> syntaxes = new ArrayList<>();
    for (Path f : files) {
      Part10.DicomFile file;
      try {
        file = Part10.read(Files.readAllBytes(f));
      } catch (DicomFormatException e) {
        throw new VolumeException("Unreadable DICOM file " + f.getFileName() + ": " + e.getMessage(), e);
      }
      sets.add(file.dataSet());
      paths.add(f);
      syntaxes.add(file.transferSyntax());
    }
    return assembleDataSets(sets, paths, syntaxes, modality);
  }

  static ImageVolume assembleDataSets(List<DataSet> sets, List<Path> paths) throws VolumeException {
    return assembleDataSets(sets, paths, java.util.Collections.nCopies(sets.size(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN),
        Modality.CT);
  }

  /**
   * Compressed slices are decoded one at a time while the voxels are filled, so that at most one
   * decoded slice exists besides the volume; an Enhanced object is decoded whole before it is split
   * into frames.
   */
  private static ImageVolume assembleDataSets(List<DataSet> sets, List<Path> paths, List<TransferSyntax> syntaxes,
      Modality modality) throws VolumeException {
    if (sets.stream().anyMatch(ds -> modality.enhancedSopClass().equals(ds.getString(Tag.SOPClassUID, "")))) {
      if (sets.size() != 1) {
        throw new VolumeException("Mixed series: " + sets.size() + " objects with an Enhanced " + modality
            + " among them; one multi-frame Enhanced " + modality + " object or a classic " + modality
            + " series is needed");
      }
      String name = paths.get(0).getFileName().toString();
      decode(sets.get(0), syntaxes.get(0), name);
      List<DataSet> frames = EnhancedFrames.split(sets.get(0), name, modality);
      List<Path> framePaths = new ArrayList<>();
      for (int f = 0; f < frames.size(); f++) {
        framePaths.add(paths.get(0).resolveSibling(name + "#frame" + (f + 1)));
      }
      sets = frames;
      paths = framePaths;
      syntaxes = java.util.Collections.nCopies(frames.size(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }
    DataSet first = sets.get(0);
    String sopClass = first.getString(Tag.SOPClassUID, "");
    if (!modality.imageSopClass().equals(sopClass)) {
      throw new VolumeException("Not a " + modality + " image (SOP class " + sopClass + ")");
    }
    String series = first.getString(Tag.SeriesInstanceUID, "");
    double[] iop = first.getDoubles(Tag.ImageOrientationPatient);
    if (iop.length != 6) {
      throw new VolumeException("Image Orientation (Patient) missing or malformed");
    }
    double[] row = {iop[0], iop[1], iop[2]};
    double[] col = {iop[3], iop[4], iop[5]};
    double[] normal = cross(row, col);
    int rows = first.getInt(Tag.Rows).orElseThrow(() -> new VolumeException("Rows missing"));
    int cols = first.getInt(Tag.Columns).orElseThrow(() -> new VolumeException("Columns missing"));
    double[] spacing = first.getDoubles(Tag.PixelSpacing);
    if (spacing.length != 2 || spacing[0] <= 0 || spacing[1] <= 0) {
      throw new VolumeException("Pixel Spacing missing or not positive");
    }
    List<Slice> slices = new ArrayList<>();
    for (int n = 0; n < sets.size(); n++) {
      DataSet ds = sets.get(n);
      String name = paths.get(n).getFileName().toString();
      if (!series.equals(ds.getString(Tag.SeriesInstanceUID, ""))) {
        throw new VolumeException("Mixed series: " + name + " belongs to series " + ds.getString(Tag.SeriesInstanceUID, "?")
            + ", not " + series);
      }
      double tilt = ds.getDoubles(Tag.GantryDetectorTilt).length > 0 ? ds.getDoubles(Tag.GantryDetectorTilt)[0] : 0;
      if (Math.abs(tilt) > 1e-3) {
        throw new VolumeException("Gantry tilt of " + tilt + " degrees in " + name + ": tilted acquisitions are not supported");
      }
      double[] o = ds.getDoubles(Tag.ImageOrientationPatient);
      for (int a = 0; a < 6; a++) {
        if (o.length != 6 || Math.abs(o[a] - iop[a]) > ORIENTATION_TOLERANCE) {
          throw new VolumeException("Image orientation of " + name + " differs from the rest of the series");
        }
      }
      if (ds.getInt(Tag.Rows).orElse(-1) != rows || ds.getInt(Tag.Columns).orElse(-1) != cols
          || !Arrays.equals(ds.getDoubles(Tag.PixelSpacing), spacing)) {
        throw new VolumeException("Matrix size or pixel spacing of " + name + " differs from the rest of the series");
      }
      double[] ipp = ds.getDoubles(Tag.ImagePositionPatient);
      if (ipp.length != 3) {
        throw new VolumeException("Image Position (Patient) missing in " + name);
      }
      slices.add(new Slice(paths.get(n), ds, syntaxes.get(n), dot(ipp, normal)));
    }
    slices.sort(Comparator.comparingDouble(Slice::position));
    double[] origin = slices.get(0).ds().getDoubles(Tag.ImagePositionPatient);
    double dz = 1.0;
    if (slices.size() > 1) {
      double[] gaps = new double[slices.size() - 1];
      for (int k = 1; k < slices.size(); k++) {
        gaps[k - 1] = slices.get(k).position() - slices.get(k - 1).position();
        if (gaps[k - 1] < POSITION_TOLERANCE_MM) {
          throw new VolumeException("Two slices at the same position " + String.format("%.2f", slices.get(k).position())
              + " mm: " + slices.get(k - 1).path().getFileName() + " and " + slices.get(k).path().getFileName());
        }
        double[] ipp = slices.get(k).ds().getDoubles(Tag.ImagePositionPatient);
        double along = slices.get(k).position() - slices.get(0).position();
        for (int a = 0; a < 3; a++) {
          if (Math.abs(ipp[a] - origin[a] - along * normal[a]) > Math.max(POSITION_TOLERANCE_MM, 1e-3 * along)) {
            throw new VolumeException("Slices are sheared relative to the slice normal (gantry tilt?) at "
                + slices.get(k).path().getFileName());
          }
        }
      }
      double[] sorted = gaps.clone();
      Arrays.sort(sorted);
      double median = sorted[sorted.length / 2];
      for (int k = 0; k < gaps.length; k++) {
        if (Math.abs(gaps[k] - median) > SPACING_TOLERANCE * median + 1e-3) {
          double ratio = gaps[k] / median;
          String where = String.format("between %.2f and %.2f mm", slices.get(k).position(), slices.get(k + 1).position());
          if (Math.abs(ratio - Math.round(ratio)) < 0.05 && Math.round(ratio) >= 2) {
            throw new VolumeException((Math.round(ratio) - 1) + " slice(s) missing " + where
                + " (spacing " + String.format("%.2f", median) + " mm)");
          }
          throw new VolumeException("Non-uniform slice spacing " + where + ": " + String.format("%.3f", gaps[k])
              + " mm against " + String.format("%.3f", median) + " mm elsewhere");
        }
      }
      dz = median;
    } else {
      double[] thickness = first.getDoubles(Tag.SliceThickness);
      dz = thickness.length > 0 && thickness[0] > 0 ? thickness[0] : 1.0;
    }
    double scale = modality == Modality.CT ? 1 : valueScale(slices);
    short[] voxels = fill(slices, rows * cols, scale, modality);
    return new ImageVolume(modality, cols, rows, slices.size(), spacing[1], spacing[0], dz, origin, row, col, normal,
        voxels, scale, first.getString(Tag.StudyInstanceUID, ""), series, first.getString(Tag.FrameOfReferenceUID, ""));
  }

  /**
   * The voxels of all slices, filled in parallel over the machine's cores (decoding compressed
   * slices is the costly part); the first failure, in slice order, is thrown.
   */
  private static short[] fill(List<Slice> slices, int perSlice, double scale, Modality modality)
      throws VolumeException {
    short[] voxels = new short[Math.multiplyExact(perSlice, slices.size())];
    VolumeException[] failures = new VolumeException[slices.size()];
    java.util.stream.IntStream.range(0, slices.size()).parallel().forEach(k -> {
      try {
        copyValues(slices.get(k), voxels, k * perSlice, perSlice, scale, modality);
      } catch (VolumeException e) {
        failures[k] = e;
      }
    });
    for (VolumeException failure : failures) {
      if (failure != null) {
        throw failure;
      }
    }
    return voxels;
  }

  /**
   * The power of two that brings the extreme values the series can hold (Bits Stored and Pixel
   * Representation through each slice's rescale) into the signed 16-bit range, using at least half
   * of it; 1 for an empty range.
   */
  private static double valueScale(List<Slice> slices) {
    double ratio = 0; // how far the series' extreme values exceed a signed 16-bit voxel
    for (Slice s : slices) {
      DataSet ds = s.ds();
      int stored = Math.max(1, Math.min(16, ds.getInt(Tag.BitsStored).orElse(16)));
      boolean signed = ds.getInt(Tag.PixelRepresentation).orElse(0) == 1;
      double low = signed ? -(1 << (stored - 1)) : 0;
      double high = signed ? (1 << (stored - 1)) - 1 : (1 << stored) - 1;
      double m = first(ds.getDoubles(Tag.RescaleSlope), 1);
      double b = first(ds.getDoubles(Tag.RescaleIntercept), 0);
      double lo = Math.min(low * m + b, high * m + b);
      double hi = Math.max(low * m + b, high * m + b);
      ratio = Math.max(ratio, Math.max(hi / Short.MAX_VALUE, lo / Short.MIN_VALUE));
    }
    if (!(ratio > 0) || Double.isInfinite(ratio)) {
      return 1;
    }
    return Math.pow(2, Math.ceil(Math.log(ratio) / Math.log(2)));
  }

  private static double first(double[] values, double otherwise) {
    return values.length > 0 ? values[0] : otherwise;
  }

  private static void copyValues(Slice slice, short[] into, int offset, int count, double scale, Modality modality)
      throws VolumeException {
    DataSet ds = slice.ds();
    String name = slice.path().getFileName().toString();
    int bits = ds.getInt(Tag.BitsAllocated).orElse(16);
    if (bits != 16) {
      throw new VolumeException(bits + "-bit pixels in " + name + ": 16-bit " + modality + " expected");
    }
    if (ds.getInt(Tag.SamplesPerPixel).orElse(1) != 1) {
      throw new VolumeException("More than one sample per pixel in " + name);
    }
    byte[] raw = nativePixels(slice, name);
    if (raw == null || raw.length < 2L * count) {
      throw new VolumeException("Pixel data of " + name + " is shorter than its matrix");
    }
    boolean signed = ds.getInt(Tag.PixelRepresentation).orElse(0) == 1;
    double m = first(ds.getDoubles(Tag.RescaleSlope), 1) / scale;
    double b = first(ds.getDoubles(Tag.RescaleIntercept), 0) / scale;
    boolean big = ds.bigEndian();
    for (int p = 0; p < count; p++) {
      int lo = raw[2 * p] & 0xFF;
      int hi = raw[2 * p + 1] & 0xFF;
      int v = big ? (lo << 8) | hi : (hi << 8) | lo;
      if (signed) {
        v = (short) v;
      }
      double value = v * m + b;
      into[offset + p] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(value)));
    }
  }

  /** The slice's native pixel bytes; compressed ones decoded into a new array that is dropped after use. */
  private static byte[] nativePixels(Slice slice, String name) throws VolumeException {
    Element pixels = slice.ds().get(Tag.PixelData).orElseThrow(() -> new VolumeException("No pixel data in " + name));
    if (!pixels.isEncapsulated()) {
      return pixels.value();
    }
    try {
      return PixelData.decode(slice.ds(), slice.syntax());
    } catch (CodecException e) {
      throw new VolumeException("Compressed pixel data (" + slice.syntax().uid() + ") in " + name
          + " cannot be decoded: " + e.getMessage(), e);
    }
  }

  private static void decode(DataSet ds, TransferSyntax syntax, String name) throws VolumeException {
    if (!syntax.encapsulated() || ds.get(Tag.PixelData).map(e -> !e.isEncapsulated()).orElse(true)) {
      return;
    }
    try {
      PixelData.decodeInPlace(ds, syntax);
    } catch (CodecException e) {
      throw new VolumeException("Compressed pixel data (" + syntax.uid() + ") in " + name + " cannot be decoded: "
          + e.getMessage(), e);
    }
  }

  private static double[] cross(double[] a, double[] b) {
    return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
  }

  private static double dot(double[] a, double[] b) {
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  }
}
