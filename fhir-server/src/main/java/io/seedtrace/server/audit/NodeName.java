package io.seedtrace.server.audit;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** This node's name in audit records: as configured, else the host name. */
final class NodeName {

  private NodeName() {}

  static String or(String configured) {
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "seedtrace";
    }
  }
}
