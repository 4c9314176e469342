package io.seedtrace.dicom;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Configuration of the SeedTrace DICOM node (immutable). {@link #defaults(Path)} gives the
 * documented defaults: AE title SEEDTRACE, port 11112, every storage SOP class of the standard,
 * native and compressed transfer syntaxes, no peer allowed until listed, 5 s quiet time, a spool
 * reserve of 256 files of 640 KiB, 5 min grace for incomplete series.
 *
 * @param allowedCallingAeTitles calling AE titles accepted; {@code *} for any
 * @param allowedAddresses peer IP addresses accepted; {@code *} for any
 * @param sopClasses SOP classes accepted: {@link io.seedtrace.dicom.net.AssociationPolicy#ALL_STORAGE} for
 *     every storage class of the standard, plus any private class UIDs
 * @param acceptCompressed also accept encapsulated (compressed) transfer syntaxes, stored as
 *     received and decoded when a volume is assembled (default true); off, a PACS must decompress
 * @param reservedFiles files kept written ahead in the spool so receiving needs no journal commit (0 = none)
 * @param reservedFileBytes size of each of them; a larger instance still fits, more slowly
 * @param incompleteGrace how long a series with a gap, or whose association broke off, waits after
 *     its last instance for the missing ones before its event says it is incomplete
 * @param queryRetrieveScp also answer C-FIND and C-MOVE of the Patient Root and Study Root models
 *     over what the node holds ({@link io.seedtrace.dicom.net.QueryRetrieveScp}; default false)
 * @param moveDestinations C-MOVE destination AE titles and their {@code host:port}
 */
public record NodeConfig(String aeTitle, String bindAddress, int port, Path spoolDir,
    Set<String> allowedCallingAeTitles, Set<String> allowedAddresses, Set<String> sopClasses,
    boolean acceptCompressed, int maxAssociations, int maxPduLength, Duration idleTimeout,
    Duration artimTimeout, Duration quietTime, int reservedFiles, int reservedFileBytes, Duration incompleteGrace,
    boolean queryRetrieveScp, java.util.Map<String, String> moveDestinations) {

  /** Files kept ready in the spool reserve: one CT series of a few hundred slices. */
  public static final int DEFAULT_RESERVED_FILES = 256;
  /** Size of each reserve file: a 512 x 512 16-bit image with a generous header. */
  public static final int DEFAULT_RESERVED_FILE_BYTES = 640 * 1024;
  /** How long an incomplete series waits for its missing instances: a PACS's usual retry comes within minutes. */
  public static final Duration DEFAULT_INCOMPLETE_GRACE = Duration.ofMinutes(5);

  public static final String CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2";
  public static final String ENHANCED_CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2.1";
  public static final String MR_IMAGE = "1.2.840.10008.5.1.4.1.1.4";
  public static final String ENHANCED_MR_IMAGE = "1.2.840.10008.5.1.4.1.1.4.1";
  public static final String RT_PLAN = "1.2.840.10008.5.1.4.1.1.481.5";
  public static final String RT_STRUCTURE_SET = "1.2.840.10008.5.1.4.1.1.481.3";
  public static final String SPATIAL_REGISTRATION = "1.2.840.10008.5.1.4.1.1.66.1";
  public static final String SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";

  /** Native syntaxes, in our order of preference. */
  public static final List<String> NATIVE_TRANSFER_SYNTAXES = List.of(
      "1.2.840.10008.1.2.1", "1.2.840.10008.1.2", "1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.2");

  /**
   * Compressed syntaxes accepted when {@code acceptCompressed}, lossless first: JPEG Lossless SV1 and
   * process 14, JPEG-LS lossless, JPEG 2000 lossless, RLE, then JPEG-LS near-lossless, JPEG 2000,
   * JPEG Baseline and Extended. All are decoded by {@link io.seedtrace.dicom.codec.PixelData}.
   */
  public static final List<String> COMPRESSED_TRANSFER_SYNTAXES = List.of(
      "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.90",
      "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.4.81", "1.2.840.10008.1.2.4.91", "1.2.840.10008.1.2.4.50",
      "1.2.840.10008.1.2.4.51");

  public NodeConfig {
    if (aeTitle == null || aeTitle.isBlank() || aeTitle.length() > 16) {
      throw new IllegalArgumentException("aeTitle must be 1-16 characters");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (reservedFiles < 0 || reservedFileBytes < 4096) {
      throw new IllegalArgumentException("spool reserve needs >= 0 files of >= 4096 bytes");
    }
    if (maxAssociations < 1) {
      throw new IllegalArgumentException("maxAssociations must be positive");
    }
    if (incompleteGrace == null || incompleteGrace.isNegative()) {
      throw new IllegalArgumentException("incompleteGrace must be zero or positive");
    }
    allowedCallingAeTitles = Set.copyOf(allowedCallingAeTitles);
    allowedAddresses = Set.copyOf(allowedAddresses);
    sopClasses = Set.copyOf(sopClasses);
    moveDestinations = java.util.Map.copyOf(moveDestinations);
    for (String address : moveDestinations.values()) {
      if (!address.matches(".+:[0-9]{1,5}")) {
        throw new IllegalArgumentException("move destination address must be host:port, not '" + address + "'");
      }
    }
  }

  public static NodeConfig defaults(Path spoolDir) {
    return new NodeConfig("SEEDTRACE", "0.0.0.0", 11112, spoolDir, Set.of(), Set.of(),
        Set.of(io.seedtrace.dicom.net.AssociationPolicy.ALL_STORAGE), true, 16, 1 << 20, Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(5),
        DEFAULT_RESERVED_FILES, DEFAULT_RESERVED_FILE_BYTES, DEFAULT_INCOMPLETE_GRACE, false, java.util.Map.of());
  }

  public NodeConfig withPort(int newPort) {
    return new NodeConfig(aeTitle, bindAddress, newPort, spoolDir, allowedCallingAeTitles, allowedAddresses,
        sopClasses, acceptCompressed, maxAssociations, maxPduLength, idleTimeout, artimTimeout, quietTime,
        reservedFiles, reservedFileBytes, incompleteGrace, queryRetrieveScp, moveDestinations);
  }

  public NodeConfig withPeers(Set<String> callingAeTitles, Set<String> addresses) {
    return new NodeConfig(aeTitle, bindAddress, port, spoolDir, callingAeTitles, addresses, sopClasses,
        acceptCompressed, maxAssociations, maxPduLength, idleTimeout, artimTimeout, quietTime,
        reservedFiles, reservedFileBytes, incompleteGrace, queryRetrieveScp, moveDestinations);
  }

  /** Accepted SOP classes: {@link io.seedtrace.dicom.net.AssociationPolicy#ALL_STORAGE} and/or class UIDs. */
  public NodeConfig withSopClasses(Set<String> classes) {
    return new NodeConfig(aeTitle, bindAddress, port, spoolDir, allowedCallingAeTitles, allowedAddresses,
        classes, acceptCompressed, maxAssociations, maxPduLength, idleTimeout, artimTimeout, quietTime,
        reservedFiles, reservedFileBytes, incompleteGrace, queryRetrieveScp, moveDestinations);
  }

  public NodeConfig withQuietTime(Duration quiet) {
    return new NodeConfig(aeTitle, bindAddress, port, spoolDir, allowedCallingAeTitles, allowedAddresses,
        sopClasses, acceptCompressed, maxAssociations, maxPduLength, idleTimeout, artimTimeout, quiet,
        reservedFiles, reservedFileBytes, incompleteGrace, queryRetrieveScp, moveDestinations);
  }

  public NodeConfig withLimits(int associations, Duration idle, Duration artim) {
    return new NodeConfig(aeTitle, bindAddress, port, spoolDir, allowedCallingAeTitles, allowedAddresses,
        sopClasses, acceptCompressed, associations, maxPduLength, idle, artim, quietTime,
        reservedFiles, reservedFileBytes, incompleteGrace, queryRetrieveScp, moveDestinations);
  }

  public NodeConfig withIncompleteGrace(Duration grace) {
    return new NodeConfig(aeTitle, bindAddress, port, spoolDir, allowedCallingAeTitles, allowedAddresses,
        sopClasses, acceptCompressed, maxAssociations, maxPduLength, idleTimeout, artimTimeout, quietTime,
        reservedFiles, reservedFileBytes, grace, queryRetrieveScp, moveDestinations);
  }

  /** A spool reserve of {@code files} files of {@code fileBytes} each; 0 files for none. */
  public NodeConfig withReserve(int files, int fileBytes) {
    return new NodeConfig(aeTitle, bindAddress, port, spoolDir, allowedCallingAeTitles, allowedAddresses,
        sopClasses, acceptCompressed, maxAssociations, maxPduLength, idleTimeout, artimTimeout, quietTime,
        files, fileBytes, incompleteGrace, queryRetrieveScp, moveDestinations);
  }

  /** With the Query/Retrieve SCP on or off, and these C-MOVE destinations (AE title to {@code host:port}). */
  public NodeConfig withQueryRetrieve(boolean scp, java.util.Map<String, String> destinations) {
    return new NodeConfig(aeTitle, bindAddress, port, spoolDir, allowedCallingAeTitles, allowedAddresses,
        sopClasses, acceptCompressed, maxAssociations, maxPduLength, idleTimeout, artimTimeout, quietTime,
        reservedFiles, reservedFileBytes, incompleteGrace, scp, destinations);
  }

  /** Whether the node stores instances of this SOP class (as a C-STORE SCP would accept its presentation context). */
  public boolean acceptsSopClass(String sopClassUid) {
    return sopClasses.contains("*") || sopClasses.contains(sopClassUid)
        || sopClasses.contains(io.seedtrace.dicom.net.AssociationPolicy.ALL_STORAGE)
        && io.seedtrace.dicom.net.StorageSopClasses.isStandardStorage(sopClassUid);
  }

  /** Whether the node stores instances encoded in this transfer syntax. */
  public boolean acceptsTransferSyntax(String transferSyntaxUid) {
    return transferSyntaxes().contains(transferSyntaxUid);
  }

  List<String> transferSyntaxes() {
    if (!acceptCompressed) {
      return NATIVE_TRANSFER_SYNTAXES;
    }
    List<String> all = new java.util.ArrayList<>(NATIVE_TRANSFER_SYNTAXES);
    all.addAll(COMPRESSED_TRANSFER_SYNTAXES);
    return all;
  }
}
