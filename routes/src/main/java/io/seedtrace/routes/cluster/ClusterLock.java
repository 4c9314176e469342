package io.seedtrace.routes.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Named leases in the database every node shares ({@code st_cluster_lock}), so that a periodic job
 * runs on one node at a time: a node runs a round only while it holds the job's lease, and takes or
 * renews it with a conditional update that succeeds for one node only. A node that stops releases
 * its leases; one that dies keeps them until they run out, then another node takes over. Leases
 * are timed by each node's clock, so the nodes' clocks must agree (NTP) to well within a lease.
 * The leases of one cluster are named {@code <cluster>/<job>}: nodes configured with another cluster
 * name on the same database (a test suite's servers) do not share jobs with them.
 *
 * <pre>{@code
 * ClusterLock lock = new ClusterLock(dataSource, "seedtrace", "node-a#1f3c", Duration.ofSeconds(30), Clock.systemUTC());
 * if (lock.hold("dicom-ct-pull", lock.lease())) { runOneRound(); }
 * }</pre>
 *
 * @throws IllegalStateException from every method when the database fails
 */
public final class ClusterLock {

  /** The table; the statement can run again. */
  public static final List<String> SCHEMA = List.of("CREATE TABLE IF NOT EXISTS st_cluster_lock (name VARCHAR(300)"
      + " PRIMARY KEY, owner VARCHAR(400) NOT NULL, lease_until TIMESTAMP NOT NULL, taken_at TIMESTAMP NOT NULL)");

  /** Who holds a lease, until when, and since when. */
  public record Holder(String owner, Instant leaseUntil, Instant takenAt) {}

  private static final String TAKE_OR_RENEW = "UPDATE st_cluster_lock SET taken_at = CASE WHEN owner = ? THEN taken_at"
      + " ELSE ? END, owner = ?, lease_until = ? WHERE name = ? AND (owner = ? OR lease_until <= ?)";

  private final DataSource dataSource;
  private final String cluster;
  private final String owner;
  private final Duration lease;
  private final Clock clock;

  /**
   * @param cluster the name shared by the nodes that share jobs (1 to 100 characters)
   * @param owner this node (and run): unique among the nodes sharing the database
   * @param lease how long a lease lasts when a job does not ask for longer
   * @throws IllegalArgumentException when the lease is not positive or the owner is blank
   */
  public ClusterLock(DataSource dataSource, String cluster, String owner, Duration lease, Clock clock) {
    if (cluster == null || cluster.isBlank() || cluster.length() > 100) {
      throw new IllegalArgumentException("a cluster needs a name of 1 to 100 characters");
    }
    if (owner == null || owner.isBlank() || owner.length() > 400) {
      throw new IllegalArgumentException("a cluster lock owner needs a name of 1 to 400 characters");
    }
    if (lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException("the cluster lease must be positive, got " + lease);
    }
    this.dataSource = dataSource;
    this.cluster = cluster;
    this.owner = owner;
    this.lease = lease;
    this.clock = clock;
  }

  private String row(String job) {
    if (job.isBlank() || job.length() > 150) {
      throw new IllegalArgumentException("a job needs a name of 1 to 150 characters, got '" + job + "'");
    }
    return cluster + "/" + job;
  }

  public String owner() {
    return owner;
  }

  /** The default lease of this node's jobs ({@code seedtrace.cluster.lease}). */
  public Duration lease() {
    return lease;
  }

  /** Takes the lease {@code name} (free, expired or already ours) for {@code duration} from now; false when another node holds it. */
  public boolean hold(String name, Duration duration) {
    Instant now = clock.instant();
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement update = c.prepareStatement(TAKE_OR_RENEW)) {
        update.setString(1, owner);
        update.setTimestamp(2, Timestamp.from(now));
        update.setString(3, owner);
        update.setTimestamp(4, Timestamp.from(now.plus(duration)));
        update.setString(5, row(name));
        update.setString(6, owner);
        update.setTimestamp(7, Timestamp.from(now));
        if (update.executeUpdate() == 1) {
          return true;
        }
      }
      return insertFirst(c, row(name), now, duration);
    } catch (SQLException e) {
      throw new IllegalStateException("cluster lease " + name + " could not be taken: " + e.getMessage(), e);
    }
  }

  private boolean insertFirst(Connection c, String name, Instant now, Duration duration) throws SQLException {
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO st_cluster_lock (name, owner, lease_until, taken_at)"
        + " VALUES (?, ?, ?, ?)")) {
      insert.setString(1, name);
      insert.setString(2, owner);
      insert.setTimestamp(3, Timestamp.from(now.plus(duration)));
      insert.setTimestamp(4, Timestamp.from(now));
      return insert.executeUpdate() == 1;
    } catch (SQLException e) {
      if ("23505".equals(e.getSQLState())) {
        return false; // the row exists: another node holds the lease (or took it just now)
      }
      throw e;
    }
  }

  /** Gives the lease up at once if this node holds it, so another node takes over at its next tick. */
  public void release(String name) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement update = c.prepareStatement("UPDATE st_cluster_lock SET lease_until = ? WHERE name = ?"
            + " AND owner = ?")) {
      update.setTimestamp(1, Timestamp.from(clock.instant()));
      update.setString(2, row(name));
      update.setString(3, owner);
      update.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cluster lease " + name + " could not be released: " + e.getMessage(), e);
    }
  }

  /** Who holds the lease {@code name} now, if anybody (an expired lease is held by nobody). */
  public Optional<Holder> holder(String name) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement select = c.prepareStatement("SELECT owner, lease_until, taken_at FROM st_cluster_lock"
            + " WHERE name = ? AND lease_until > ?")) {
      select.setString(1, row(name));
      select.setTimestamp(2, Timestamp.from(clock.instant()));
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(new Holder(rs.getString(1), rs.getTimestamp(2).toInstant(),
            rs.getTimestamp(3).toInstant())) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cluster lease " + name + " could not be read: " + e.getMessage(), e);
    }
  }
}
