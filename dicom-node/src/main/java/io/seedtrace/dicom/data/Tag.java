package io.seedtrace.dicom.data;

/**
 * Tags of the attributes SeedTrace reads or writes (facts from PS3.6), as {@code int}s
 * {@code (group << 16) | element}, and the VR of each for implicit VR decoding.
 */
public final class Tag {

  private Tag() {}

  public static final int FileMetaInformationGroupLength = 0x00020000;
  public static final int FileMetaInformationVersion = 0x00020001;
  public static final int MediaStorageSOPClassUID = 0x00020002;
  public static final int MediaStorageSOPInstanceUID = 0x00020003;
  public static final int TransferSyntaxUID = 0x00020010;
  public static final int ImplementationClassUID = 0x00020012;
  public static final int ImplementationVersionName = 0x00020013;
  public static final int SourceApplicationEntityTitle = 0x00020016;

  public static final int SpecificCharacterSet = 0x00080005;
  public static final int ImageType = 0x00080008;
  public static final int SOPClassUID = 0x00080016;
  public static final int SOPInstanceUID = 0x00080018;
  public static final int StudyDate = 0x00080020;
  public static final int SeriesDate = 0x00080021;
  public static final int StudyTime = 0x00080030;
  public static final int AccessionNumber = 0x00080050;
  public static final int Modality = 0x00080060;
  public static final int Manufacturer = 0x00080070;
  public static final int StudyDescription = 0x00081030;
  public static final int SeriesDescription = 0x0008103E;
  public static final int PatientName = 0x00100010;
  public static final int PatientID = 0x00100020;
  public static final int PatientBirthDate = 0x00100030;
  public static final int PatientSex = 0x00100040;
  public static final int SliceThickness = 0x00180050;
  public static final int GantryDetectorTilt = 0x00181120;
  public static final int StudyInstanceUID = 0x0020000D;
  public static final int SeriesInstanceUID = 0x0020000E;
  public static final int StudyID = 0x00200010;
  public static final int SeriesNumber = 0x00200011;
  public static final int InstanceNumber = 0x00200013;
  public static final int ImagePositionPatient = 0x00200032;
  public static final int ImageOrientationPatient = 0x00200037;
  public static final int FrameOfReferenceUID = 0x00200052;
  public static final int SamplesPerPixel = 0x00280002;
  public static final int PhotometricInterpretation = 0x00280004;
  public static final int NumberOfFrames = 0x00280008;
  public static final int Rows = 0x00280010;
  public static final int Columns = 0x00280011;
  public static final int PixelSpacing = 0x00280030;
  public static final int BitsAllocated = 0x00280100;
  public static final int BitsStored = 0x00280101;
  public static final int HighBit = 0x00280102;
  public static final int PixelRepresentation = 0x00280103;
  public static final int RescaleIntercept = 0x00281052;
  public static final int RescaleSlope = 0x00281053;
  public static final int PixelData = 0x7FE00010;

  public static final int Item = 0xFFFEE000;
  public static final int ItemDelimitationItem = 0xFFFEE00D;
  public static final int SequenceDelimitationItem = 0xFFFEE0DD;

  // Command set (PS3.7 E.1), always implicit VR little endian.
  public static final int CommandGroupLength = 0x00000000;
  public static final int AffectedSOPClassUID = 0x00000002;
  public static final int CommandField = 0x00000100;
  public static final int MessageID = 0x00000110;
  public static final int MessageIDBeingRespondedTo = 0x00000120;
  public static final int Priority = 0x00000700;
  public static final int CommandDataSetType = 0x00000800;
  public static final int Status = 0x00000900;
  public static final int ErrorComment = 0x00000902;
  public static final int AffectedSOPInstanceUID = 0x00001000;
  public static final int MoveOriginatorApplicationEntityTitle = 0x00001030;
  public static final int MoveOriginatorMessageID = 0x00001031;

  public static int group(int tag) {
    return tag >>> 16;
  }

  public static String toString(int tag) {
    return String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
  }

  /** The VR of a tag for implicit VR decoding; UN for tags we do not know. */
  public static Vr implicitVr(int tag) {
    int element = tag & 0xFFFF;
    if (element == 0x0000) {
      return Vr.UL; // group length
    }
    return switch (tag) {
      case FileMetaInformationVersion -> Vr.OB;
      case MediaStorageSOPClassUID, MediaStorageSOPInstanceUID, TransferSyntaxUID, ImplementationClassUID,
          SOPClassUID, SOPInstanceUID, StudyInstanceUID, SeriesInstanceUID, FrameOfReferenceUID,
          AffectedSOPClassUID, AffectedSOPInstanceUID -> Vr.UI;
      case ImplementationVersionName, AccessionNumber, StudyID -> Vr.SH;
      case SourceApplicationEntityTitle, MoveOriginatorApplicationEntityTitle -> Vr.AE;
      case SpecificCharacterSet, ImageType, Modality, PatientSex, PhotometricInterpretation -> Vr.CS;
      case StudyDate, SeriesDate, PatientBirthDate -> Vr.DA;
      case StudyTime -> Vr.TM;
      case Manufacturer, StudyDescription, SeriesDescription, PatientID, ErrorComment -> Vr.LO;
      case PatientName -> Vr.PN;
      case SliceThickness, GantryDetectorTilt, ImagePositionPatient, ImageOrientationPatient, PixelSpacing,
          RescaleIntercept, RescaleSlope -> Vr.DS;
      case SeriesNumber, InstanceNumber, NumberOfFrames -> Vr.IS;
      case SamplesPerPixel, Rows, Columns, BitsAllocated, BitsStored, HighBit, PixelRepresentation,
          CommandField, MessageID, MessageIDBeingRespondedTo, Priority, CommandDataSetType, Status,
          MoveOriginatorMessageID -> Vr.US;
      case PixelData -> Vr.OW;
      default -> Vr.UN;
    };
  }
}
