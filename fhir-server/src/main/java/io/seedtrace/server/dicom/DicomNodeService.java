package io.seedtrace.server.dicom;

import io.seedtrace.dicom.DicomNode;
import io.seedtrace.dicom.NodeConfig;
import io.seedtrace.dicom.net.AssociationLog;
import io.seedtrace.dicom.spool.SeriesStableEvent;
import io.seedtrace.routes.dicom.SeriesStableRoute;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the DICOM node inside the server and hands its "series stable" events to Camel. Starts
 * after the Camel context (the events need their route) and stops before it.
 */
public class DicomNodeService implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(DicomNodeService.class);

  private final NodeConfig config;
  private final ProducerTemplate producer;
  private volatile DicomNode node;

  public DicomNodeService(DicomProperties properties, Path dataDir, ProducerTemplate producer) {
    Path spool = properties.spoolDir().isBlank() ? dataDir.resolve("dicom") : Path.of(properties.spoolDir());
    NodeConfig defaults = NodeConfig.defaults(spool);
    this.config = new NodeConfig(properties.aeTitle(), properties.bindAddress(), properties.port(), spool,
        Set.copyOf(properties.allowedCallingAeTitles()), Set.copyOf(properties.allowedAddresses()),
        sopClasses(defaults, properties), properties.acceptCompressed(), properties.maxAssociations(), defaults.maxPduLength(),
        properties.idleTimeout(), defaults.artimTimeout(), properties.quietTime(), properties.spoolReserveFiles(),
        Math.toIntExact(properties.spoolReserveFileSize().toBytes()), properties.incompleteGrace(),
        properties.queryRetrieveScp(), properties.moveDestinations());
    this.producer = producer;
    DicomProperties.Tls t = properties.tls();
    this.tls = t.enabled() ? java.util.Optional.of(new io.seedtrace.dicom.net.TlsSettings(Path.of(t.keystore()),
        t.keystorePassword().toCharArray(), t.truststore().isBlank() ? java.util.Optional.empty()
            : java.util.Optional.of(Path.of(t.truststore())), t.truststorePassword().toCharArray()))
        : java.util.Optional.empty();
  }

  private final java.util.Optional<io.seedtrace.dicom.net.TlsSettings> tls;

  /** Every storage class of the standard, and the configured private ones. */
  private static Set<String> sopClasses(NodeConfig defaults, DicomProperties properties) {
    Set<String> classes = new java.util.HashSet<>(defaults.sopClasses());
    classes.addAll(properties.privateSopClasses());
    return classes;
  }

  @Override
  public void start() {
    try {
      node = DicomNode.start(config, tls, this::publish, accesses);
      for (StoredListener l : storedListeners) {
        node.spool().alsoTell(l.each());
        l.atStart().accept(node.spool().indexed());
      }
      LOG.info("DICOM node {} listening on port {}{} (spool {}, peers {} / {})", config.aeTitle(), node.port(),
          tls.isPresent() ? " with TLS" : "", config.spoolDir(), config.allowedCallingAeTitles(),
          config.allowedAddresses());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the DICOM node on port " + config.port(), e);
    }
  }

  private volatile io.seedtrace.dicom.net.QueryRetrieveScp.AccessListener accesses = access -> { };

  /** Tells {@code listener} of each C-FIND and C-MOVE answer that disclosed patient data (set before start). */
  public void reportQueryRetrieveTo(io.seedtrace.dicom.net.QueryRetrieveScp.AccessListener listener) {
    this.accesses = listener;
  }

  /** Told of what the spool holds when the node starts, then of each instance it stores. */
  private record StoredListener(java.util.function.Consumer<List<io.seedtrace.dicom.spool.InstanceRecord>> atStart,
      java.util.function.Consumer<io.seedtrace.dicom.spool.InstanceRecord> each) {}

  private final List<StoredListener> storedListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * Keeps {@code atStart} and {@code each} told: when the node starts, of every instance the spool
   * holds; from then on, of each instance once it is durably stored (C-STORE or STOW-RS). Register
   * before the node starts (from a bean's constructor).
   */
  public void onStored(java.util.function.Consumer<List<io.seedtrace.dicom.spool.InstanceRecord>> atStart,
      java.util.function.Consumer<io.seedtrace.dicom.spool.InstanceRecord> each) {
    storedListeners.add(new StoredListener(atStart, each));
  }

  private void publish(SeriesStableEvent event) {
    producer.requestBody(SeriesStableRoute.ENDPOINT, event);
  }

  @Override
  public void stop() {
    DicomNode running = node;
    node = null;
    if (running != null) {
      try {
        running.close();
      } catch (IOException e) {
        LOG.warn("Closing the DICOM node failed", e);
      }
    }
  }

  @Override
  public boolean isRunning() {
    return node != null;
  }

  /** After Camel (whose lifecycle phase is lower), so the route exists when events come. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 1000;
  }

  /** The bound port (useful when configured as 0). */
  public int port() {
    DicomNode running = node;
    if (running == null) {
      throw new IllegalStateException("The DICOM node is not running");
    }
    return running.port();
  }

  /** Series with instances whose "series stable" event has not been delivered yet. */
  public int pendingSeries() {
    DicomNode running = node;
    return running == null ? 0 : running.series().pendingSeries();
  }

  /** The last associations that stored instances, newest first; empty while the node is not running. */
  public List<AssociationLog.Entry> recentAssociations() {
    DicomNode running = node;
    return running == null ? List.of() : running.recentAssociations();
  }

  public NodeConfig config() {
    return config;
  }

  /**
   * Where instances received other than by C-STORE (DICOMweb STOW-RS) go: the same spool, so
   * series assembly, detection and verification follow as for a pushed series.
   *
   * @throws IllegalStateException while the node is not running
   */
  public io.seedtrace.dicom.net.StoreHandler store() {
    return running().spool();
  }

  /** Files of the spool reserve ready to receive (0 while the node is not running). */
  public int spoolReserveReady() {
    DicomNode running = node;
    return running == null ? 0 : running.spool().reserveReady();
  }

  /**
   * Waits until every instance acknowledged so far is in place, in the spool index and told to the
   * listeners of {@link #onStored} (work the spool does after acknowledging).
   */
  public void awaitStored() throws IOException {
    running().spool().awaitInPlace();
  }

  /** Every stored instance (last receipt per SOP Instance UID), in receipt order. */
  public List<io.seedtrace.dicom.spool.InstanceRecord> instances() throws IOException {
    return running().spool().indexed();
  }

  private DicomNode running() {
    DicomNode running = node;
    if (running == null) {
      throw new IllegalStateException("The DICOM node is not running");
    }
    return running;
  }
}
