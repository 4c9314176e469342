package io.seedtrace.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seedtrace.server.dicom.DicomNodeService;
import io.seedtrace.server.support.ServerTestBase;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 13, finding 9: with the development defaults (no prod profile) the server listens on
 * loopback only, for HTTP and for DICOM. The refusal to listen elsewhere with those settings is in
 * {@link ProductionStartupIT}.
 */
class LoopbackBindingIT extends ServerTestBase {

  @Autowired
  DicomNodeService dicom;

  @Test
  void httpAndDicomAnswerOnLoopbackAndNowhereElse() throws IOException {
    Optional<InetAddress> outside = nonLoopbackAddress();
    assumeTrue(outside.isPresent(), "this machine has no non-loopback IPv4 address to try");
    for (int listening : new int[] {port, dicom.port()}) {
      try (Socket loopback = new Socket()) {
        loopback.connect(new InetSocketAddress("127.0.0.1", listening), 5000);
        assertThat(loopback.isConnected()).isTrue();
      }
      assertThatThrownBy(() -> {
        try (Socket other = new Socket()) {
          other.connect(new InetSocketAddress(outside.get(), listening), 5000);
        }
      }).as("port " + listening + " on " + outside.get()).isInstanceOf(IOException.class);
    }
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback()) {
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (address instanceof Inet4Address) {
            return Optional.of(address);
          }
        }
      }
    }
    return Optional.empty();
  }
}
