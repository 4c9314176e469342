package io.seedtrace.server.support;

import io.seedtrace.detection.CtScan;
import io.seedtrace.server.cli.CtSeriesFiles;
import io.seedtrace.dicom.NodeConfig;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.net.StoreScu;
import java.io.IOException;
import java.util.List;

/** A generated CT scan as the Part 10 files a CT scanner would send, and sending them over DICOM. */
public final class CtSeries {

  public final String studyUid = uid();
  public final String seriesUid = uid();
  public final String frameOfReferenceUid;
  public final String patientId;
  public final String accessionNumber;
  public final String studyDate;

  public CtSeries(String patientId, String accessionNumber, String studyDate) {
    this(patientId, accessionNumber, studyDate, uid());
  }

  public CtSeries(String patientId, String accessionNumber, String studyDate, String frameOfReferenceUid) {
    this.patientId = patientId;
    this.accessionNumber = accessionNumber;
    this.studyDate = studyDate;
    this.frameOfReferenceUid = frameOfReferenceUid;
  }

  public static String uid() {
    return CtSeriesFiles.uid();
  }

  public List<byte[]> files(CtScan scan) {
    return CtSeriesFiles.files(scan, new CtSeriesFiles.Ids(patientId, "TEST^PATIENT", accessionNumber, studyDate,
        studyUid, seriesUid, frameOfReferenceUid));
  }

  /** Sends the files over one association as AE "PACS", then aborts it (A-ABORT) instead of releasing it. */
  public static void sendAndAbort(int port, List<byte[]> files) throws IOException {
    try (StoreScu scu = open(port)) {
      for (byte[] f : files) {
        stored(scu.store(f));
      }
      scu.abort();
    }
  }

  /** Sends the files over one association as AE "PACS"; returns the time of the last success response. */
  public static long send(int port, List<byte[]> files) throws IOException {
    try (StoreScu scu = open(port)) {
      for (byte[] f : files) {
        stored(scu.store(f));
      }
      return System.nanoTime();
    }
  }

  private static StoreScu open(int port) throws IOException {
    return StoreScu.open("127.0.0.1", port, "PACS", "SEEDTRACE", List.of(new StoreScu.Proposal(
        NodeConfig.CT_IMAGE, List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid()))), 10_000);
  }

  private static void stored(int status) throws IOException {
    if (status != 0) {
      throw new IOException("C-STORE status 0x" + Integer.toHexString(status));
    }
  }
}
