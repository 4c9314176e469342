package io.seedtrace.dicom;

import io.seedtrace.dicom.net.AssociationLog;
import io.seedtrace.dicom.net.AssociationPolicy;
import io.seedtrace.dicom.net.DicomServer;
import io.seedtrace.dicom.net.QueryRetrieveScp;
import io.seedtrace.dicom.spool.AssociationListener;
import io.seedtrace.dicom.spool.SeriesListener;
import io.seedtrace.dicom.spool.SeriesTracker;
import io.seedtrace.dicom.spool.Spool;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * SeedTrace's DICOM node: a C-ECHO/C-STORE SCP that spools every instance durably before it
 * answers, and emits a "series stable" event per series after the quiet time (at least once,
 * across restarts).
 *
 * <pre>{@code
 * try (DicomNode node = DicomNode.start(NodeConfig.defaults(Path.of("data/dicom"))
 *         .withPeers(Set.of("PACS"), Set.of("10.0.0.5")), event -> verify(event))) {
 *   ...
 * }
 * }</pre>
 */
public final class DicomNode implements Closeable {

  /** How many associations {@link #recentAssociations()} keeps. */
  public static final int RECENT_ASSOCIATIONS = 50;

  private final DicomServer server;
  private final Spool spool;
  private final SeriesTracker tracker;
  private final ScheduledExecutorService ticker;
  private final AssociationLog associationLog;

  private DicomNode(DicomServer server, Spool spool, SeriesTracker tracker, ScheduledExecutorService ticker,
      AssociationLog associationLog) {
    this.server = server;
    this.spool = spool;
    this.tracker = tracker;
    this.ticker = ticker;
    this.associationLog = associationLog;
  }

  /**
   * Recovers the spool (pending series events come again), then binds and accepts.
   *
   * @throws IOException if the spool cannot be read or the port cannot be bound
   */
  public static DicomNode start(NodeConfig config, SeriesListener listener) throws IOException {
    return start(config, java.util.Optional.empty(), listener);
  }

  /** As {@link #start(NodeConfig, SeriesListener)}, listening with DICOM TLS when {@code tls} is given. */
  public static DicomNode start(NodeConfig config, java.util.Optional<io.seedtrace.dicom.net.TlsSettings> tls,
      SeriesListener listener) throws IOException {
    return start(config, tls, listener, access -> { });
  }

  /**
   * As {@link #start(NodeConfig, java.util.Optional, SeriesListener)}; {@code accesses} is told of
   * every C-FIND and C-MOVE answer of the Query/Retrieve SCP that disclosed patient data.
   */
  public static DicomNode start(NodeConfig config, java.util.Optional<io.seedtrace.dicom.net.TlsSettings> tls,
      SeriesListener listener, QueryRetrieveScp.AccessListener accesses) throws IOException {
    SeriesTracker[] trackerRef = new SeriesTracker[1];
    AssociationListener associations = new AssociationListener() {
      @Override
      public void carried(String seriesUid) {
        trackerRef[0].carried(seriesUid);
      }

      @Override
      public void ended(String seriesUid, boolean released) {
        trackerRef[0].ended(seriesUid, released);
      }
    };
    Spool spool = new Spool(config.spoolDir(), record -> trackerRef[0].accept(record), associations,
        config.reservedFiles(), config.reservedFileBytes());
    SeriesTracker tracker = new SeriesTracker(spool.root(), config.quietTime(), config.incompleteGrace(),
        Clock.systemUTC(), listener);
    trackerRef[0] = tracker;
    tracker.recover(spool.indexed());
    Set<String> services = new java.util.HashSet<>(config.sopClasses());
    QueryRetrieveScp queryRetrieve = null;
    if (config.queryRetrieveScp()) {
      services.addAll(QueryRetrieveScp.FIND_CLASSES);
      services.addAll(QueryRetrieveScp.MOVE_CLASSES);
      queryRetrieve = new QueryRetrieveScp(config.aeTitle(), spool::indexed, config.moveDestinations(), accesses);
    }
    AssociationPolicy policy = new AssociationPolicy(config.aeTitle(), config.allowedCallingAeTitles(),
        config.allowedAddresses(), services, config.transferSyntaxes(), config.maxPduLength());
    AssociationLog associationLog = new AssociationLog(spool, RECENT_ASSOCIATIONS, Clock.systemUTC());
    DicomServer server = DicomServer.start(InetAddress.getByName(config.bindAddress()), config.port(), tls, policy,
        associationLog, queryRetrieve, config.maxAssociations(), (int) config.artimTimeout().toMillis(), (int) config.idleTimeout().toMillis());
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dicom-series-events");
      t.setDaemon(true);
      return t;
    });
    long period = Math.max(50, Math.min(1000, config.quietTime().toMillis() / 4));
    ticker.scheduleWithFixedDelay(tracker::tick, period, period, TimeUnit.MILLISECONDS);
    return new DicomNode(server, spool, tracker, ticker, associationLog);
  }

  public int port() {
    return server.port();
  }

  public Spool spool() {
    return spool;
  }

  public SeriesTracker series() {
    return tracker;
  }

  /** The last {@value #RECENT_ASSOCIATIONS} associations that stored instances, newest first. */
  public List<AssociationLog.Entry> recentAssociations() {
    return associationLog.recent();
  }

  @Override
  public void close() throws IOException {
    server.close();
    spool.close();
    ticker.shutdown();
    try {
      // let a delivery in progress finish and be recorded, so it is not repeated after a restart
      if (!ticker.awaitTermination(10, TimeUnit.SECONDS)) {
        ticker.shutdownNow();
      }
    } catch (InterruptedException e) {
      ticker.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
