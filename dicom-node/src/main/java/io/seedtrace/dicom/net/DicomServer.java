package io.seedtrace.dicom.net;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Accepts TCP connections and serves each as an association on its own thread. Beyond
 * {@code maxAssociations} concurrent associations, new ones are rejected (transient, local limit
 * exceeded) rather than queued, so a flood cannot starve the peers already connected.
 */
public final class DicomServer implements Closeable {

  private static final Logger LOG = Logger.getLogger(DicomServer.class.getName());

  private final ServerSocket serverSocket;
  private final ExecutorService workers;
  private final AtomicInteger active = new AtomicInteger();
  private final Thread acceptor;
  private volatile boolean running = true;

  private DicomServer(ServerSocket serverSocket, AssociationPolicy policy, StoreHandler store,
      QueryRetrieveScp queryRetrieve, int maxAssociations, int artimMillis, int idleMillis) {
    this.serverSocket = serverSocket;
    this.workers = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "dicom-association");
      t.setDaemon(true);
      return t;
    });
    this.acceptor = new Thread(() -> acceptLoop(policy, store, queryRetrieve, maxAssociations, artimMillis,
        idleMillis),
        "dicom-acceptor-" + serverSocket.getLocalPort());
    this.acceptor.setDaemon(true);
  }

  /**
   * Binds and starts accepting.
   *
   * @param port 0 for an ephemeral port (tests)
   * @throws IOException if the port cannot be bound
   */
  public static DicomServer start(InetAddress bind, int port, AssociationPolicy policy, StoreHandler store,
      int maxAssociations, int artimMillis, int idleMillis) throws IOException {
    return start(bind, port, java.util.Optional.empty(), policy, store, maxAssociations, artimMillis, idleMillis);
  }

  /** As above, with DICOM TLS when {@code tls} is given. */
  public static DicomServer start(InetAddress bind, int port, java.util.Optional<TlsSettings> tls,
      AssociationPolicy policy, StoreHandler store, int maxAssociations, int artimMillis, int idleMillis)
      throws IOException {
    return start(bind, port, tls, policy, store, null, maxAssociations, artimMillis, idleMillis);
  }

  /**
   * As above, also answering C-FIND and C-MOVE requests on the Query/Retrieve presentation contexts
   * the policy accepts with {@code queryRetrieve} (null: none are answered).
   */
  public static DicomServer start(InetAddress bind, int port, java.util.Optional<TlsSettings> tls,
      AssociationPolicy policy, StoreHandler store, QueryRetrieveScp queryRetrieve, int maxAssociations,
      int artimMillis, int idleMillis) throws IOException {
    ServerSocket socket;
    if (tls.isPresent()) {
      socket = tls.get().bind(bind, port);
    } else {
      socket = new ServerSocket();
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(bind, port), 64);
    }
    DicomServer server = new DicomServer(socket, policy, store, queryRetrieve, maxAssociations, artimMillis,
        idleMillis);
    server.acceptor.start();
    return server;
  }

  public int port() {
    return serverSocket.getLocalPort();
  }

  public int activeAssociations() {
    return active.get();
  }

  private void acceptLoop(AssociationPolicy policy, StoreHandler store, QueryRetrieveScp queryRetrieve,
      int maxAssociations, int artimMillis, int idleMillis) {
    while (running) {
      Socket socket;
      try {
        socket = serverSocket.accept();
        socket.setTcpNoDelay(true);
      } catch (SocketException closed) {
        return;
      } catch (IOException e) {
        LOG.log(Level.WARNING, "accept failed", e);
        continue;
      }
      boolean overLimit = active.incrementAndGet() > maxAssociations;
      workers.execute(() -> {
        try {
          new AcceptorSession(socket, policy, store, queryRetrieve, artimMillis, idleMillis, overLimit).run();
        } finally {
          active.decrementAndGet();
        }
      });
    }
  }

  @Override
  public void close() throws IOException {
    running = false;
    serverSocket.close();
    workers.shutdownNow();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
