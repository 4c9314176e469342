package io.seedtrace.core.trace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AddressRangeTest {

  @Test
  void matchesAddressesInsideTheRangeOnly() {
    AddressRange range = AddressRange.parse("10.1.0.0/16").orElseThrow();
    assertThat(range.contains("10.1.200.3")).isTrue();
    assertThat(range.contains("10.2.0.1")).isFalse();
    assertThat(range.contains("2001:db8::1")).isFalse();
    assertThat(AddressRange.parse("2001:db8::/32").orElseThrow().contains("2001:DB8:0:1::5")).isTrue();
    assertThat(AddressRange.parse("127.0.0.1").orElseThrow().contains("127.0.0.1")).isTrue();
    assertThat(AddressRange.parse("127.0.0.1").orElseThrow().contains("127.0.0.2")).isFalse();
  }

  @Test
  void namesAndGarbageAreNotRanges() {
    assertThat(AddressRange.parse("proxy.example")).isEmpty();
    assertThat(AddressRange.parse("10.0.0.0/33")).isEmpty();
    assertThat(AddressRange.parse("10.0.0.0/x")).isEmpty();
    assertThat(AddressRange.parse("localhost")).isEmpty();
    assertThat(AddressRange.parse("10.0.0.0/8").orElseThrow().contains("localhost")).isFalse();
  }
}
