package io.seedtrace.routes.verification;

import io.seedtrace.dicom.spool.SeriesStableEvent;
import java.util.Optional;

/**
 * The durable queue of CT studies waiting for verification, shared by every node that uses the
 * same database: a node takes the next study with a lease, renews the lease while it works, and
 * settles the study when done. A node that dies leaves a lease that runs out, after which any
 * node takes the study again; the verification steps make the repeat harmless.
 */
public interface StudyQueue {

  /**
   * Queues a study once: the same series version offered again (a repeated event) is not queued
   * twice; one that was given up on is queued again.
   */
  void offer(SeriesStableEvent event);

  /** Takes the oldest due study that no node holds, or nothing. */
  Optional<QueuedStudy> claim();

  /** Keeps holding a study; false when the claim no longer stands (another node took it over). */
  boolean renew(QueuedStudy study);

  /** The study is verified (or its outcome recorded): it leaves the queue. */
  void done(QueuedStudy study);

  /**
   * An attempt failed: the study is taken again after a pause that grows with each attempt, or,
   * after the last attempt, given up on. Returns true when it was given up on.
   */
  boolean failed(QueuedStudy study, String error);
}
