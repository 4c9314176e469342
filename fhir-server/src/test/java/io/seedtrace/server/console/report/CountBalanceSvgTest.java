package io.seedtrace.server.console.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CountBalanceSvgTest {

  @Test
  void aMissingSeedIsDrawnAsAHatchedGapAndSaidInWords() {
    ReportView.Counts counts = new ReportView.Counts(20, 17, 0, 2, null);
    String svg = CountBalanceSvg.draw(counts);
    assertThat(counts.unaccounted()).isEqualTo(1);
    assertThat(svg).startsWith("<svg").endsWith("</svg>").contains("fill=\"url(#gap)\"", "stroke-dasharray",
        "Shipped (L0) = 20", "L1 imaged = 17, L2 remaining = 0, L3 removed = 2",
        "Not balanced: 1 seed unaccounted for (hatched).");
  }

  @Test
  void aBalancedCountHasNoGap() {
    String svg = CountBalanceSvg.draw(new ReportView.Counts(20, 18, 0, 2, null));
    assertThat(svg).doesNotContain("url(#gap)\" stroke").contains("Balanced: 20 = 18 + 0 + 2.");
  }

  @Test
  void moreSeenThanShippedAndAMissingCountAreSaid() {
    assertThat(CountBalanceSvg.verdict(new ReportView.Counts(20, 21, 0, 0, null)))
        .isEqualTo("Not balanced: 1 more seen than shipped.");
    ReportView.Counts unsealed = new ReportView.Counts(20, 18, null, 2, null);
    assertThat(unsealed.unaccounted()).isNull();
    assertThat(CountBalanceSvg.draw(unsealed)).contains("L2 remaining not recorded",
        "A count is not recorded: the balance cannot be proven.");
  }
}
