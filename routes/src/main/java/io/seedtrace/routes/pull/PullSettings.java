package io.seedtrace.routes.pull;

import io.seedtrace.dicom.net.QueryRetrieveScu;
import io.seedtrace.dicom.net.TlsSettings;
import java.time.Duration;
import java.util.Optional;

/**
 * The pull rule's configuration ({@code seedtrace.dicom.pull.*}).
 *
 * @param deadline how long after the implant its CT may take to arrive before it is pulled
 * @param lookback implants performed longer ago than this are not pulled any more
 * @param searchDays the studies searched are dated from the implant's day to this many days after it
 * @param pollPeriod how often the rule looks for overdue implants and due retries
 * @param pacsAeTitle the PACS's AE title (its C-FIND/C-MOVE SCP)
 * @param pacsHost the PACS's host
 * @param pacsPort the PACS's DICOM port
 * @param ourAeTitle the AE title the PACS moves the CT to (our node's), also our calling AE title
 * @param maxAttempts failed or empty pulls after which the rule gives up on an implant
 * @param initialBackoff the pause after the first failed attempt; it doubles with each further one
 * @param maxBackoff the longest pause between attempts
 * @param lease how long a node's claim on an implant holds (longer than one pull can take)
 * @param limits the bounds of each C-FIND and C-MOVE
 * @param tls DICOM TLS for the Query/Retrieve association, or empty for plain TCP
 * @param retrieve how the CT comes to us: C-MOVE (the PACS connects to our Storage SCP) or C-GET
 *     (on our own association, for a PACS that cannot connect back)
 */
public record PullSettings(Duration deadline, Duration lookback, int searchDays, Duration pollPeriod,
    String pacsAeTitle, String pacsHost, int pacsPort, String ourAeTitle, int maxAttempts, Duration initialBackoff,
    Duration maxBackoff, Duration lease, QueryRetrieveScu.Limits limits, Optional<TlsSettings> tls,
    Retrieve retrieve) {

  /** The DIMSE service that brings the CT. */
  public enum Retrieve {
    /** C-MOVE to our AE title: the PACS opens an association to our Storage SCP. */
    MOVE,
    /** C-GET: the PACS sends the instances on the association we opened. */
    GET
  }

  /** Retrieving by C-MOVE. */
  public PullSettings(Duration deadline, Duration lookback, int searchDays, Duration pollPeriod, String pacsAeTitle,
      String pacsHost, int pacsPort, String ourAeTitle, int maxAttempts, Duration initialBackoff, Duration maxBackoff,
      Duration lease, QueryRetrieveScu.Limits limits, Optional<TlsSettings> tls) {
    this(deadline, lookback, searchDays, pollPeriod, pacsAeTitle, pacsHost, pacsPort, ourAeTitle, maxAttempts,
        initialBackoff, maxBackoff, lease, limits, tls, Retrieve.MOVE);
  }

  public PullSettings {
    if (deadline.isNegative() || lookback.compareTo(deadline) <= 0 || searchDays < 0 || pollPeriod.isNegative()
        || pollPeriod.isZero() || maxAttempts < 1 || initialBackoff.isNegative()
        || maxBackoff.compareTo(initialBackoff) < 0 || lease.compareTo(limits.maxDuration()) <= 0) {
      throw new IllegalArgumentException("seedtrace.dicom.pull: deadline >= 0, lookback > deadline, search-days >= 0,"
          + " poll-period > 0, max-attempts >= 1, max-backoff >= initial-backoff and lease > the longest C-MOVE"
          + " (max-duration) are required");
    }
    if (retrieve == null) {
      throw new IllegalArgumentException("seedtrace.dicom.pull.retrieve must be move or get");
    }
    if (blank(pacsAeTitle) || blank(pacsHost) || pacsPort < 1 || pacsPort > 65535 || blank(ourAeTitle)) {
      throw new IllegalArgumentException("seedtrace.dicom.pull needs pacs-ae-title, pacs-host, pacs-port (1-65535)"
          + " and our AE title");
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /** The pause before attempt {@code attempt + 1}. */
  Duration backoffAfter(int attempt) {
    Duration pause = initialBackoff.multipliedBy(1L << Math.min(Math.max(attempt - 1, 0), 20));
    return pause.compareTo(maxBackoff) > 0 ? maxBackoff : pause;
  }
}
