package io.seedtrace.core.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaliciousNodeLibraryTest {

  private static TransmissionPath path(String peer, String forwarded, String xff, String nodes) {
    return TransmissionPath.of(peer, forwarded == null ? List.of() : List.of(forwarded),
        xff == null ? List.of() : List.of(xff), nodes == null ? List.of() : List.of(nodes));
  }

  @Test
  void readsEveryHopOfForwardedXForwardedForAndNodeIds() {
    TransmissionPath p = path("10.0.0.9:51234", "for=192.0.2.60;proto=https, for=\"[2001:db8:cafe::17]:4711\"",
        "203.0.113.7, 198.51.100.2", "relay-ward-3");
    assertThat(p.addresses()).containsExactly("192.0.2.60", "2001:db8:cafe::17", "203.0.113.7", "198.51.100.2", "10.0.0.9");
    assertThat(p.nodeIds()).containsExactly("relay-ward-3");
  }

  @Test
  void matchesAddressesRangesAndNodeIdsAnywhereOnThePath() {
    MaliciousNodeLibrary library = new MaliciousNodeLibrary(3, Duration.ofMinutes(10), Clock.systemUTC());
    library.add("203.0.113.0/24");
    library.add("2001:db8:cafe::/48");
    library.add("relay-leaky");
    assertThat(library.firstMaliciousHop(path("10.0.0.9", null, "203.0.113.7", null))).contains("203.0.113.7");
    assertThat(library.firstMaliciousHop(path("10.0.0.9", "for=\"[2001:db8:cafe::17]\"", null, null)))
        .contains("2001:db8:cafe::17");
    assertThat(library.firstMaliciousHop(path("10.0.0.9", null, null, "relay-ok, relay-leaky"))).contains("relay-leaky");
    assertThat(library.firstMaliciousHop(path("10.0.0.9", "for=192.0.2.60", "198.51.100.2", "relay-ok"))).isEmpty();
    assertThat(library.firstMaliciousHop(path("203.0.114.1", null, null, null))).as("outside the /24").isEmpty();
  }

  @Test
  void listsANodeAutomaticallyAfterRepeatedFailuresWithinTheWindow() {
    MutableClock clock = new MutableClock();
    MaliciousNodeLibrary library = new MaliciousNodeLibrary(3, Duration.ofMinutes(10), clock);
    assertThat(library.recordFailure("198.51.100.9")).isFalse();
    clock.now = clock.now.plus(Duration.ofMinutes(11));
    assertThat(library.recordFailure("198.51.100.9")).isFalse();
    assertThat(library.recordFailure("198.51.100.9")).as("the first failure left the window").isFalse();
    assertThat(library.recordFailure("198.51.100.9")).isTrue();
    assertThat(library.firstMaliciousHop(path("198.51.100.9", null, null, null))).contains("198.51.100.9");
    assertThat(library.entries()).contains("198.51.100.9");
  }

  @Test
  void namesAreNeverResolvedAndGarbageIsNotAnAddress() {
    MaliciousNodeLibrary library = new MaliciousNodeLibrary(3, Duration.ofMinutes(10), Clock.systemUTC());
    library.add("not-an-ip");
    library.add("10.0.0.0/99");
    assertThat(library.entries()).containsExactly("not-an-ip", "10.0.0.0/99");
    assertThat(library.firstMaliciousHop(path("10.0.0.1", null, null, null))).isEmpty();
  }

  @Test
  void nodeIdsAreComparedWithoutRegardToCase() {
    MaliciousNodeLibrary library = new MaliciousNodeLibrary(3, Duration.ofMinutes(10), Clock.systemUTC());
    library.add("Relay-Leaky");
    assertThat(library.firstMaliciousHop(path("10.0.0.9", null, null, "RELAY-LEAKY"))).contains("RELAY-LEAKY");
    assertThat(library.listing("relay-leaky")).contains(MaliciousNodeLibrary.Listing.CONFIRMED);
    assertThat(library.remove("RELAY-leaky")).isTrue();
    assertThat(library.entries()).isEmpty();
  }

  @Test
  void automaticListingOnlyQuarantinesAndAnAdministratorsListingConfirms() {
    MaliciousNodeLibrary library = new MaliciousNodeLibrary(2, Duration.ofMinutes(10), Clock.systemUTC());
    library.recordFailure("client:Nurse-CLI");
    assertThat(library.recordFailure("client:nurse-cli")).isTrue();
    assertThat(library.listing("CLIENT:nurse-cli")).contains(MaliciousNodeLibrary.Listing.QUARANTINED);
    library.add("client:nurse-cli");
    assertThat(library.listing("client:nurse-cli")).contains(MaliciousNodeLibrary.Listing.CONFIRMED);
    library.quarantine("client:nurse-cli");
    assertThat(library.listing("client:nurse-cli")).as("a quarantine never downgrades").contains(
        MaliciousNodeLibrary.Listing.CONFIRMED);
  }

  @Test
  void aConfirmedHopWinsOverAQuarantinedOneAnywhereOnThePath() {
    MaliciousNodeLibrary library = new MaliciousNodeLibrary(3, Duration.ofMinutes(10), Clock.systemUTC());
    library.quarantine("203.0.113.7");
    library.add("10.0.0.0/8");
    assertThat(library.firstListedHop(path("10.0.0.9", null, "203.0.113.7", null)))
        .contains(new MaliciousNodeLibrary.ListedNode("10.0.0.9", MaliciousNodeLibrary.Listing.CONFIRMED));
    assertThat(library.firstListedHop(path("192.0.2.1", null, "203.0.113.7", null)))
        .contains(new MaliciousNodeLibrary.ListedNode("203.0.113.7", MaliciousNodeLibrary.Listing.QUARANTINED));
  }

  @Test
  void removingAnEntryForgetsItsFailures() {
    MaliciousNodeLibrary library = new MaliciousNodeLibrary(2, Duration.ofMinutes(10), Clock.systemUTC());
    library.recordFailure("198.51.100.9");
    library.remove("198.51.100.9");
    assertThat(library.recordFailure("198.51.100.9")).isFalse();
  }

  private static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-11-24T10:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
