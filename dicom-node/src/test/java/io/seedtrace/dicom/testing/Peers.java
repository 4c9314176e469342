package io.seedtrace.dicom.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/** Helpers for tests that run independent DICOM peers (DCMTK, Orthanc) as processes. */
public final class Peers {

  private Peers() {}

  /** A TCP port that was free a moment ago. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Waits until {@code process} listens on {@code port}, failing early if it exits. */
  public static void awaitListening(int port, Process process, int timeoutSeconds) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("peer exited with " + process.exitValue());
      }
      try (Socket probe = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.onSpinWait();
      }
    }
    throw new IOException("peer did not listen on " + port + " within " + timeoutSeconds + " s");
  }
}
