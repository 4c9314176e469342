package io.seedtrace.dicom.net;

import java.util.Set;

/**
 * Which SOP classes are storage classes of the standard (PS3.4 Annex B, B.5 "Standard SOP
 * Classes", and the non-patient object storage classes of Annex GG). Nearly all of them lie under
 * the storage root {@value #STORAGE_ROOT}; the few that do not are listed. A node that accepts
 * {@link AssociationPolicy#ALL_STORAGE} therefore accepts every storage class, including classes
 * added to the standard after this was written, while query/retrieve, worklist, print and
 * storage commitment classes (other roots) are still answered "abstract syntax not supported".
 */
public final class StorageSopClasses {

  /** Root of the image and object storage SOP classes (PS3.6 Annex A). */
  public static final String STORAGE_ROOT = "1.2.840.10008.5.1.4.1.1.";

  /** Storage classes outside the root. */
  private static final Set<String> OUTSIDE_ROOT = Set.of(
      "1.2.840.10008.5.1.4.34.7", // RT Beams Delivery Instruction Storage
      "1.2.840.10008.5.1.4.34.10", // RT Brachy Application Setup Delivery Instruction Storage
      "1.2.840.10008.5.1.4.38.1", // Hanging Protocol Storage
      "1.2.840.10008.5.1.4.39.1", // Color Palette Storage
      "1.2.840.10008.5.1.4.43.1", // Generic Implant Template Storage
      "1.2.840.10008.5.1.4.44.1", // Implant Assembly Template Storage
      "1.2.840.10008.5.1.4.45.1", // Implant Template Group Storage
      "1.2.840.10008.5.1.1.27", // Stored Print Storage (retired)
      "1.2.840.10008.5.1.1.29", // Hardcopy Grayscale Image Storage (retired)
      "1.2.840.10008.5.1.1.30"); // Hardcopy Color Image Storage (retired)

  private StorageSopClasses() {}

  public static boolean isStandardStorage(String sopClassUid) {
    return sopClassUid.startsWith(STORAGE_ROOT) && sopClassUid.length() > STORAGE_ROOT.length()
        || OUTSIDE_ROOT.contains(sopClassUid);
  }
}
