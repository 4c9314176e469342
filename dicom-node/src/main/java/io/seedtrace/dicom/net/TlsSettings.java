package io.seedtrace.dicom.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * DICOM TLS (PS3.15 Annex B, secure transport connection profiles) with the BCP 195 profile: TLS
 * 1.2 and 1.3 only, the AEAD cipher suites BCP 195 recommends (ECDHE with AES-GCM; the TLS 1.3
 * suites), the node's certificate and key from a PKCS#12 keystore, and, when a truststore is given,
 * peers must present a certificate it trusts (mutual TLS). As the requesting side (C-STORE SCU,
 * {@link #connect}) the truststore decides which peers we trust. The handshake happens in the
 * association's own thread, so a slow or hostile peer does not hold up the acceptor.
 */
public record TlsSettings(Path keystore, char[] keystorePassword, Optional<Path> truststore,
    char[] truststorePassword) {

  /** BCP 195 (RFC 9325) recommended suites, in our order of preference. */
  public static final List<String> CIPHER_SUITES = List.of(
      "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  public SSLContext context() throws IOException {
    try {
      KeyStore keys = load(keystore, keystorePassword);
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, keystorePassword);
      TrustManagerFactory tmf = null;
      if (truststore.isPresent()) {
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(truststore.get(), truststorePassword));
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("DICOM TLS keystore " + keystore + " is unusable: " + e.getMessage(), e);
    }
  }

  /** A listening TLS server socket with the BCP 195 protocols and suites. */
  public ServerSocket bind(InetAddress address, int port) throws IOException {
    SSLServerSocket socket = (SSLServerSocket) context().getServerSocketFactory().createServerSocket();
    List<String> supported = Arrays.asList(socket.getSupportedCipherSuites());
    String[] suites = CIPHER_SUITES.stream().filter(supported::contains).toArray(String[]::new);
    if (suites.length == 0) {
      throw new IOException("this JVM supports none of the BCP 195 cipher suites");
    }
    socket.setEnabledCipherSuites(suites);
    socket.setEnabledProtocols(PROTOCOLS.stream().filter(Arrays.asList(socket.getSupportedProtocols())::contains)
        .toArray(String[]::new));
    socket.setNeedClientAuth(truststore.isPresent());
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(address, port), 64);
    return socket;
  }

  /**
   * The requesting side: wraps a connected socket in TLS with the same protocols and suites,
   * presents our certificate (for a peer that asks for mutual TLS) and checks that the peer's
   * certificate is trusted (by the truststore, or by the JVM's default trust when none is given)
   * and names the host we connected to. The handshake is done before this returns.
   */
  public SSLSocket connect(java.net.Socket connected, String host, int port) throws IOException {
    SSLSocket socket = (SSLSocket) context().getSocketFactory().createSocket(connected, host, port, true);
    List<String> supported = Arrays.asList(socket.getSupportedCipherSuites());
    socket.setEnabledCipherSuites(CIPHER_SUITES.stream().filter(supported::contains).toArray(String[]::new));
    socket.setEnabledProtocols(PROTOCOLS.stream().filter(Arrays.asList(socket.getSupportedProtocols())::contains)
        .toArray(String[]::new));
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    socket.setSSLParameters(parameters);
    socket.startHandshake();
    return socket;
  }

  private static KeyStore load(Path file, char[] password) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, password);
    }
    return store;
  }
}
