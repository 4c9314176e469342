package io.seedtrace.dicom.testing;

import java.util.List;

/** A PACS run as a process for a test: it holds studies and answers C-FIND and C-MOVE. */
public interface QrPeer extends AutoCloseable {

  /** Its AE title. */
  String aeTitle();

  /** Its DICOM port on 127.0.0.1. */
  int port();

  /** Puts Part 10 files into the archive (through its own storage service). */
  void load(List<byte[]> files) throws Exception;

  /** Stops it. */
  @Override
  void close();
}
