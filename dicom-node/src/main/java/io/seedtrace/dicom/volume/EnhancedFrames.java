package io.seedtrace.dicom.volume;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Element;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.Vr;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Splits a multi-frame Enhanced CT Image (PS3.3 A.38) or Enhanced MR Image (A.36) into one data set
 * per frame carrying the attributes a classic slice of that modality has, so the volume is assembled and checked exactly like a classic
 * series: position from each frame's Plane Position (Patient), orientation, pixel spacing and slice
 * thickness from Plane Orientation and Pixel Measures, rescale from Pixel Value Transformation (each
 * per frame or shared). A frame without a position, or a frame that would extend past the pixel
 * data, refuses the object with a reason.
 */
final class EnhancedFrames {

  static final int NUMBER_OF_FRAMES = 0x00280008;
  static final int SHARED_GROUPS = 0x52009229;
  static final int PER_FRAME_GROUPS = 0x52009230;
  static final int PLANE_POSITION = 0x00209113;
  static final int PLANE_ORIENTATION = 0x00209116;
  static final int PIXEL_MEASURES = 0x00289110;
  static final int PIXEL_VALUE_TRANSFORMATION = 0x00289145;

  private EnhancedFrames() {}

  static List<DataSet> split(DataSet ds, String name, Modality modality) throws VolumeException {
    String kind = "Enhanced " + modality + " " + name;
    int frames = ds.getInt(NUMBER_OF_FRAMES).orElseThrow(() -> new VolumeException(kind + " has no Number of Frames"));
    int rows = ds.getInt(Tag.Rows).orElseThrow(() -> new VolumeException("Rows missing in " + name));
    int cols = ds.getInt(Tag.Columns).orElseThrow(() -> new VolumeException("Columns missing in " + name));
    int bytesPerPixel = ds.getInt(Tag.BitsAllocated).orElse(16) / 8;
    Element pixels = ds.get(Tag.PixelData).orElseThrow(() -> new VolumeException("No pixel data in " + name));
    if (pixels.value() == null) {
      throw new VolumeException("Compressed pixel data in " + name + ": configure the PACS to send uncompressed");
    }
    long frameBytes = (long) rows * cols * bytesPerPixel;
    if (frames < 1 || frameBytes * frames > pixels.value().length) {
      throw new VolumeException(kind + " declares " + frames + " frames of " + rows + " x " + cols
          + " but holds " + pixels.value().length + " bytes of pixel data");
    }
    List<DataSet> perFrame = items(ds, PER_FRAME_GROUPS);
    if (perFrame.size() != frames) {
      throw new VolumeException(kind + " has " + perFrame.size() + " per-frame functional groups for "
          + frames + " frames");
    }
    Optional<DataSet> shared = items(ds, SHARED_GROUPS).stream().findFirst();
    List<DataSet> out = new ArrayList<>();
    for (int f = 0; f < frames; f++) {
      DataSet frame = perFrame.get(f);
      double[] position = macro(frame, shared, PLANE_POSITION).map(m -> m.getDoubles(Tag.ImagePositionPatient))
          .orElse(new double[0]);
      if (position.length != 3) {
        throw new VolumeException("Frame " + (f + 1) + " of " + name + " has no Plane Position (Patient)");
      }
      double[] orientation = macro(frame, shared, PLANE_ORIENTATION)
          .map(m -> m.getDoubles(Tag.ImageOrientationPatient)).orElse(new double[0]);
      Optional<DataSet> measures = macro(frame, shared, PIXEL_MEASURES);
      double[] spacing = measures.map(m -> m.getDoubles(Tag.PixelSpacing)).orElse(new double[0]);
      Optional<DataSet> rescale = macro(frame, shared, PIXEL_VALUE_TRANSFORMATION);
      DataSet slice = new DataSet()
          .putString(Tag.SOPClassUID, Vr.UI, modality.imageSopClass())
          .putString(Tag.StudyInstanceUID, Vr.UI, ds.getString(Tag.StudyInstanceUID, ""))
          .putString(Tag.SeriesInstanceUID, Vr.UI, ds.getString(Tag.SeriesInstanceUID, ""))
          .putString(Tag.FrameOfReferenceUID, Vr.UI, ds.getString(Tag.FrameOfReferenceUID, ""))
          .putString(Tag.ImagePositionPatient, Vr.DS, join(position))
          .putUS(Tag.Rows, rows)
          .putUS(Tag.Columns, cols)
          .putUS(Tag.SamplesPerPixel, ds.getInt(Tag.SamplesPerPixel).orElse(1))
          .putUS(Tag.BitsAllocated, bytesPerPixel * 8)
          .putUS(Tag.BitsStored, ds.getInt(Tag.BitsStored).orElse(bytesPerPixel * 8))
          .putUS(Tag.PixelRepresentation, ds.getInt(Tag.PixelRepresentation).orElse(0));
      if (orientation.length == 6) {
        slice.putString(Tag.ImageOrientationPatient, Vr.DS, join(orientation));
      }
      if (spacing.length == 2) {
        slice.putString(Tag.PixelSpacing, Vr.DS, join(spacing));
      }
      measures.map(m -> m.getDoubles(Tag.SliceThickness)).filter(t -> t.length == 1)
          .ifPresent(t -> slice.putString(Tag.SliceThickness, Vr.DS, join(t)));
      rescale.ifPresent(r -> {
        if (r.getDoubles(Tag.RescaleSlope).length == 1) {
          slice.putString(Tag.RescaleSlope, Vr.DS, join(r.getDoubles(Tag.RescaleSlope)));
        }
        if (r.getDoubles(Tag.RescaleIntercept).length == 1) {
          slice.putString(Tag.RescaleIntercept, Vr.DS, join(r.getDoubles(Tag.RescaleIntercept)));
        }
      });
      byte[] data = new byte[(int) frameBytes];
      System.arraycopy(pixels.value(), (int) (f * frameBytes), data, 0, data.length);
      slice.put(Element.ofValue(Tag.PixelData, bytesPerPixel == 1 ? Vr.OB : Vr.OW, data));
      out.add(slice);
    }
    return out;
  }

  /** A functional group macro of one frame, else the shared one. */
  private static Optional<DataSet> macro(DataSet frame, Optional<DataSet> shared, int tag) {
    Optional<DataSet> own = items(frame, tag).stream().findFirst();
    return own.isPresent() ? own : shared.flatMap(s -> items(s, tag).stream().findFirst());
  }

  private static List<DataSet> items(DataSet ds, int tag) {
    return ds.get(tag).filter(Element::isSequence).map(Element::items).orElse(List.of());
  }

  private static String join(double[] v) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < v.length; i++) {
      s.append(i == 0 ? "" : "\\").append(v[i]);
    }
    return s.toString();
  }
}
