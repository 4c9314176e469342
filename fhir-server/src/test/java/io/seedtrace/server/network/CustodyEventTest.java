package io.seedtrace.server.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CustodyEventTest {

  @Test
  void everyEventGoesFromOneRoleToAnother() {
    // NodeRole first: the two enums must not read each other's constants while initialising
    assertThat(NodeRole.HOSPITAL.sends(CustodyEvent.ORDER)).isTrue();
    for (CustodyEvent event : CustodyEvent.values()) {
      assertThat(event.sender()).as(event.code()).isNotNull();
      assertThat(event.goesTo(event.sender())).as(event.code() + " never goes to its own sender's role").isFalse();
      assertThat(event.receivers()).as(event.code()).isNotEmpty();
      assertThat(CustodyEvent.fromCode(CustodyEvent.SYSTEM, event.code())).contains(event);
    }
  }

  @Test
  void eachRoleSendsOnlyItsOwnEvents() {
    assertThat(Arrays.stream(CustodyEvent.values()).filter(NodeRole.HOSPITAL::sends)).containsExactlyInAnyOrder(
        CustodyEvent.ORDER, CustodyEvent.IMPLANT_SUMMARY, CustodyEvent.RETURN_SHIPMENT);
    assertThat(Arrays.stream(CustodyEvent.values()).filter(NodeRole.MANUFACTURER::sends)).containsExactlyInAnyOrder(
        CustodyEvent.SHIPMENT, CustodyEvent.SHIPMENT_REPORT, CustodyEvent.RETURN_RECEIPT);
    assertThat(Arrays.stream(CustodyEvent.values()).filter(NodeRole.AUTHORITY::sends)).containsExactly(
        CustodyEvent.DISCREPANCY);
    assertThat(CustodyEvent.DISCREPANCY.receivers()).isEqualTo("hospital or manufacturer");
    assertThat(CustodyEvent.fromCode("http://other.example", "custody-order")).isEmpty();
  }
}
