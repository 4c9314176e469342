package io.seedtrace.dicom.data;

/**
 * A transfer syntax (PS3.5 section 10): how a data set is encoded. The four native ones are named
 * constants; any other UID is treated as an encapsulated (compressed) explicit VR little endian
 * syntax whose pixel data fragments are kept as they are.
 */
public record TransferSyntax(String uid, boolean explicitVr, boolean bigEndian, boolean deflated, boolean encapsulated) {

  public static final TransferSyntax IMPLICIT_VR_LITTLE_ENDIAN =
      new TransferSyntax("1.2.840.10008.1.2", false, false, false, false);
  public static final TransferSyntax EXPLICIT_VR_LITTLE_ENDIAN =
      new TransferSyntax("1.2.840.10008.1.2.1", true, false, false, false);
  public static final TransferSyntax DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN =
      new TransferSyntax("1.2.840.10008.1.2.1.99", true, false, true, false);
  public static final TransferSyntax EXPLICIT_VR_BIG_ENDIAN =
      new TransferSyntax("1.2.840.10008.1.2.2", true, true, false, false);

  public static TransferSyntax of(String uid) {
    return switch (uid) {
      case "1.2.840.10008.1.2" -> IMPLICIT_VR_LITTLE_ENDIAN;
      case "1.2.840.10008.1.2.1" -> EXPLICIT_VR_LITTLE_ENDIAN;
      case "1.2.840.10008.1.2.1.99" -> DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN;
      case "1.2.840.10008.1.2.2" -> EXPLICIT_VR_BIG_ENDIAN;
      default -> new TransferSyntax(uid, true, false, false, true);
    };
  }

  /** Native (uncompressed pixel data) syntaxes: the ones a PACS can always convert to. */
  public boolean isNative() {
    return !encapsulated;
  }
}
