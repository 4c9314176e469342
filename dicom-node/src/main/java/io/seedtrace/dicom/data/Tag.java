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
  public static final int LossyImageCompression = 0x00282110;
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

  // Referencing, equipment and series attributes written into RT objects.
  public static final int InstanceCreationDate = 0x00080012;
  public static final int InstanceCreationTime = 0x00080013;
  public static final int ContentDate = 0x00080023;
  public static final int SeriesTime = 0x00080031;
  public static final int ContentTime = 0x00080033;
  public static final int ReferringPhysicianName = 0x00080090;
  public static final int OperatorsName = 0x00081070;
  public static final int ReferencedSOPClassUID = 0x00081150;
  public static final int ReferencedSOPInstanceUID = 0x00081155;
  public static final int PositionReferenceIndicator = 0x00201040;

  // RT Structure Set: Structure Set, ROI Contour and RT ROI Observations modules (PS3.3 C.8.8.5-8).
  public static final int StructureSetLabel = 0x30060002;
  public static final int StructureSetName = 0x30060004;
  public static final int StructureSetDescription = 0x30060006;
  public static final int StructureSetDate = 0x30060008;
  public static final int StructureSetTime = 0x30060009;
  public static final int ReferencedFrameOfReferenceSequence = 0x30060010;
  public static final int RTReferencedStudySequence = 0x30060012;
  public static final int RTReferencedSeriesSequence = 0x30060014;
  public static final int ContourImageSequence = 0x30060016;
  public static final int StructureSetROISequence = 0x30060020;
  public static final int ROINumber = 0x30060022;
  public static final int ReferencedFrameOfReferenceUID = 0x30060024;
  public static final int ROIName = 0x30060026;
  public static final int ROIDisplayColor = 0x3006002A;
  public static final int ROIGenerationAlgorithm = 0x30060036;
  public static final int ROIGenerationDescription = 0x30060038;
  public static final int ROIContourSequence = 0x30060039;
  public static final int ContourSequence = 0x30060040;
  public static final int ContourGeometricType = 0x30060042;
  public static final int NumberOfContourPoints = 0x30060046;
  public static final int ContourNumber = 0x30060048;
  public static final int ContourData = 0x30060050;
  public static final int RTROIObservationsSequence = 0x30060080;
  public static final int ObservationNumber = 0x30060082;
  public static final int ReferencedROINumber = 0x30060084;
  public static final int RTROIInterpretedType = 0x300600A4;
  public static final int ROIInterpreter = 0x300600A6;
  public static final int FrameOfReferenceTransformationMatrix = 0x300600C6;

  // RT Plan: RT General Plan and RT Brachy Application Setups modules (PS3.3 C.8.8.9, C.8.8.15).
  public static final int RTPlanLabel = 0x300A0002;
  public static final int RTPlanDate = 0x300A0006;
  public static final int RTPlanTime = 0x300A0007;
  public static final int RTPlanGeometry = 0x300A000C;
  public static final int ControlPointIndex = 0x300A0112;
  public static final int BrachyTreatmentTechnique = 0x300A0200;
  public static final int BrachyTreatmentType = 0x300A0202;
  public static final int ApplicationSetupSequence = 0x300A0230;
  public static final int ApplicationSetupType = 0x300A0232;
  public static final int ApplicationSetupNumber = 0x300A0234;
  public static final int ChannelSequence = 0x300A0280;
  public static final int ChannelNumber = 0x300A0282;
  public static final int SourceMovementType = 0x300A0288;
  public static final int NumberOfControlPoints = 0x300A0110;
  public static final int FinalCumulativeTimeWeight = 0x300A02C8;
  public static final int BrachyControlPointSequence = 0x300A02D0;
  public static final int ControlPointRelativePosition = 0x300A02D2;
  public static final int ControlPoint3DPosition = 0x300A02D4;
  public static final int CumulativeTimeWeight = 0x300A02D6;

  // Spatial Registration module (PS3.3 C.20.2).
  public static final int RegistrationSequence = 0x00700308;
  public static final int MatrixRegistrationSequence = 0x00700309;
  public static final int MatrixSequence = 0x0070030A;
  public static final int FrameOfReferenceTransformationMatrixType = 0x0070030C;

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
  public static final int MoveDestination = 0x00000600;
  public static final int NumberOfRemainingSuboperations = 0x00001020;
  public static final int NumberOfCompletedSuboperations = 0x00001021;
  public static final int NumberOfFailedSuboperations = 0x00001022;
  public static final int NumberOfWarningSuboperations = 0x00001023;

  // Query/Retrieve identifiers (PS3.4 C.4, Study Root).
  public static final int QueryRetrieveLevel = 0x00080052;
  public static final int ModalitiesInStudy = 0x00080061;
  public static final int NumberOfStudyRelatedInstances = 0x00201208;
  public static final int NumberOfSeriesRelatedInstances = 0x00201209;

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
      case ReferencedFrameOfReferenceSequence, RTReferencedStudySequence, RTReferencedSeriesSequence,
          ContourImageSequence, StructureSetROISequence, ROIContourSequence, ContourSequence,
          RTROIObservationsSequence, ApplicationSetupSequence, ChannelSequence, BrachyControlPointSequence,
          RegistrationSequence, MatrixRegistrationSequence, MatrixSequence -> Vr.SQ;
      case ReferencedSOPClassUID, ReferencedSOPInstanceUID, ReferencedFrameOfReferenceUID -> Vr.UI;
      case StructureSetLabel, RTPlanLabel -> Vr.SH;
      case StructureSetName, ROIName, ROIGenerationDescription, PositionReferenceIndicator -> Vr.LO;
      case StructureSetDescription -> Vr.ST;
      case InstanceCreationDate, ContentDate, StructureSetDate, RTPlanDate -> Vr.DA;
      case InstanceCreationTime, SeriesTime, ContentTime, StructureSetTime, RTPlanTime -> Vr.TM;
      case ReferringPhysicianName, OperatorsName, ROIInterpreter -> Vr.PN;
      case ContourGeometricType, ROIGenerationAlgorithm, RTROIInterpretedType, RTPlanGeometry,
          BrachyTreatmentTechnique, BrachyTreatmentType, ApplicationSetupType, SourceMovementType,
          FrameOfReferenceTransformationMatrixType -> Vr.CS;
      case ContourData, FrameOfReferenceTransformationMatrix, FinalCumulativeTimeWeight,
          ControlPointRelativePosition, ControlPoint3DPosition, CumulativeTimeWeight -> Vr.DS;
      case ROINumber, ROIDisplayColor, NumberOfContourPoints, ContourNumber, ObservationNumber,
          ReferencedROINumber, ControlPointIndex, ApplicationSetupNumber, ChannelNumber,
          NumberOfControlPoints -> Vr.IS;
      case MediaStorageSOPClassUID, MediaStorageSOPInstanceUID, TransferSyntaxUID, ImplementationClassUID,
          SOPClassUID, SOPInstanceUID, StudyInstanceUID, SeriesInstanceUID, FrameOfReferenceUID,
          AffectedSOPClassUID, AffectedSOPInstanceUID -> Vr.UI;
      case ImplementationVersionName, AccessionNumber, StudyID -> Vr.SH;
      case SourceApplicationEntityTitle, MoveOriginatorApplicationEntityTitle, MoveDestination -> Vr.AE;
      case SpecificCharacterSet, ImageType, Modality, PatientSex, PhotometricInterpretation, LossyImageCompression,
          QueryRetrieveLevel,
          ModalitiesInStudy -> Vr.CS;
      case StudyDate, SeriesDate, PatientBirthDate -> Vr.DA;
      case StudyTime -> Vr.TM;
      case Manufacturer, StudyDescription, SeriesDescription, PatientID, ErrorComment -> Vr.LO;
      case PatientName -> Vr.PN;
      case SliceThickness, GantryDetectorTilt, ImagePositionPatient, ImageOrientationPatient, PixelSpacing,
          RescaleIntercept, RescaleSlope -> Vr.DS;
      case SeriesNumber, InstanceNumber, NumberOfFrames, NumberOfStudyRelatedInstances,
          NumberOfSeriesRelatedInstances -> Vr.IS;
      case SamplesPerPixel, Rows, Columns, BitsAllocated, BitsStored, HighBit, PixelRepresentation,
          CommandField, MessageID, MessageIDBeingRespondedTo, Priority, CommandDataSetType, Status,
          MoveOriginatorMessageID, NumberOfRemainingSuboperations, NumberOfCompletedSuboperations,
          NumberOfFailedSuboperations, NumberOfWarningSuboperations -> Vr.US;
      case PixelData -> Vr.OW;
      default -> Vr.UN;
    };
  }
}
