package io.seedtrace.server.custody;

import io.seedtrace.core.trace.MaliciousNodeLibrary.ListedNode;
import io.seedtrace.core.trace.MaliciousNodeLibrary.Listing;
import io.seedtrace.core.trace.MaliciousNodeLibrary;
import io.seedtrace.server.alerts.AdminChannel;
import io.seedtrace.server.security.Caller;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who may try a trace key, and what a failed try costs. Failures are counted per authenticated
 * client ({@code client:<id>}) and per originating address (resolved through the trusted
 * proxies, so a proxy or the server's own peer is never blamed for its clients). A count that
 * reaches its threshold <em>quarantines</em> the client or address: its trace calls are refused and
 * the administrator is told, but a valid key it presents is not rotated, since the caller may be
 * the key's honest holder. A key is rotated only when the request names a <em>confirmed</em> entry:
 * one an administrator listed, or a quarantine an administrator confirmed by listing it.
 */
public final class TraceGuard {

  /** The library entry of an authenticated client. */
  static String clientEntry(String actor) {
    return "client:" + actor;
  }

  /** What the library says about a caller. */
  public record Verdict(Optional<ListedNode> listed) {
    boolean open() {
      return listed.isEmpty();
    }

    boolean confirmed() {
      return listed.map(ListedNode::confirmed).orElse(false);
    }

    String node() {
      return listed.map(ListedNode::node).orElse("");
    }
  }

  private final MaliciousNodeLibrary library;
  private final CustodyTables tables;
  private final AdminChannel admin;
  private final int failuresPerClient;
  private final int failuresPerAddress;

  public TraceGuard(MaliciousNodeLibrary library, CustodyTables tables, AdminChannel admin, int failuresPerClient,
      int failuresPerAddress) {
    this.library = library;
    this.tables = tables;
    this.admin = admin;
    this.failuresPerClient = failuresPerClient;
    this.failuresPerAddress = failuresPerAddress;
  }

  /** The caller's client, or a hop of its path, as listed: a confirmed listing before a quarantine. */
  public Verdict check(Caller caller) {
    Optional<ListedNode> client = library.listing(clientEntry(caller.actor()))
        .map(listing -> new ListedNode(clientEntry(caller.actor()), listing));
    Optional<ListedNode> hop = library.firstListedHop(caller.path());
    List<ListedNode> found = new ArrayList<>();
    client.ifPresent(found::add);
    hop.ifPresent(found::add);
    return new Verdict(found.stream().filter(ListedNode::confirmed).findFirst().or(() -> found.stream().findFirst()));
  }

  /**
   * Counts a failed try against the caller's client and originating address; quarantines whichever
   * reached its threshold, stores that and tells the administrator.
   *
   * @param device the device tried ({@code Device/<id>}), or a plain name when there is no such device
   *
   * @return the entries this failure quarantined
   */
  public List<String> recordFailure(Caller caller, String device) {
    List<String> quarantined = new ArrayList<>();
    String client = clientEntry(caller.actor());
    if (library.recordFailure(client, failuresPerClient)) {
      quarantined.add(client);
    }
    if (!caller.peer().isBlank() && library.recordFailure(caller.peer(), failuresPerAddress)) {
      quarantined.add(caller.peer());
    }
    for (String entry : quarantined) {
      tables.addMaliciousNode(entry, "quarantined automatically after repeated failed trace calls", Listing.QUARANTINED);
    }
    if (!quarantined.isEmpty()) {
      admin.tell("trace-caller-quarantined", "Quarantined " + quarantined + " after repeated failed trace calls (last on "
          + device + "). Their trace calls are refused; no trace key was rotated. If they are malicious, confirm with"
          + " POST /fhir/$malicious-nodes add=<entry>; if not, release with remove=<entry>.",
          device.startsWith("Device/") ? device : null);
    }
    return quarantined;
  }
}
