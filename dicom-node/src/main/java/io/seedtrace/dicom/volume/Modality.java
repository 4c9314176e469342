package io.seedtrace.dicom.volume;

import io.seedtrace.dicom.NodeConfig;

/**
 * The image modalities that are assembled into an {@link ImageVolume}: each with its classic
 * single-frame SOP class, its multi-frame Enhanced SOP class, and what its voxel values mean. CT
 * values are Hounsfield units; MR values are the scanner's rescaled signal, meaningful only relative
 * to each other (which is all a mutual-information registration needs).
 */
public enum Modality {
  CT(NodeConfig.CT_IMAGE, NodeConfig.ENHANCED_CT_IMAGE, "HU"),
  MR(NodeConfig.MR_IMAGE, NodeConfig.ENHANCED_MR_IMAGE, "");

  private final String imageSopClass;
  private final String enhancedSopClass;
  private final String unit;

  Modality(String imageSopClass, String enhancedSopClass, String unit) {
    this.imageSopClass = imageSopClass;
    this.enhancedSopClass = enhancedSopClass;
    this.unit = unit;
  }

  /** SOP Class UID of one classic slice (CT Image Storage, MR Image Storage). */
  public String imageSopClass() {
    return imageSopClass;
  }

  /** SOP Class UID of the multi-frame object (Enhanced CT / Enhanced MR Image Storage). */
  public String enhancedSopClass() {
    return enhancedSopClass;
  }

  /** The unit of the voxel values ("HU"), or empty when the values have no absolute meaning. */
  public String unit() {
    return unit;
  }

  /** The modality whose classic or enhanced image SOP class this is, if any. */
  public static java.util.Optional<Modality> ofSopClass(String sopClassUid) {
    for (Modality m : values()) {
      if (m.imageSopClass.equals(sopClassUid) || m.enhancedSopClass.equals(sopClassUid)) {
        return java.util.Optional.of(m);
      }
    }
    return java.util.Optional.empty();
  }
}
