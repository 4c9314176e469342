package io.seedtrace.dicom.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SeriesCompletenessTest {

  /** Slices at the given positions (mm), numbered 1, 2, 3, ... in the order given. */
  static List<InstanceRecord> slicesAt(double... positions) {
    List<InstanceRecord> out = new ArrayList<>();
    for (int k = 0; k < positions.length; k++) {
      out.add(slice(OptionalInt.of(k + 1), OptionalDouble.of(positions[k])));
    }
    return out;
  }

  static InstanceRecord slice(OptionalInt number, OptionalDouble position) {
    return new InstanceRecord("1.2", "1.2.3", "1.2.3." + System.nanoTime(), "1.2.840.10008.5.1.4.1.1.2", "CT", "P1",
        "ACC", "1.2.9", Path.of("x.dcm"), number, position);
  }

  static double[] regular(int count, double spacing) {
    double[] p = new double[count];
    for (int k = 0; k < count; k++) {
      p[k] = -50 + k * spacing;
    }
    return p;
  }

  @Test
  void aRegularSeriesReceivedOnReleasedAssociationsIsComplete() {
    SeriesCompleteness c = SeriesCompleteness.of(slicesAt(regular(40, 1.25)), false);
    assertThat(c.complete()).isTrue();
    assertThat(c.describe()).isEmpty();
  }

  @Test
  void aMissingSliceInTheMiddleIsAGapInPositions() {
    double[] p = regular(40, 1.25);
    List<InstanceRecord> slices = slicesAt(p);
    slices.remove(20);
    SeriesCompleteness c = SeriesCompleteness.of(renumbered(slices), false);
    assertThat(c.complete()).isFalse();
    assertThat(c.gaps()).containsExactly("1 slice(s) missing between -26.25 and -23.75 mm (spacing 1.25 mm)");
  }

  @Test
  void threeMissingSlicesAreCountedFromTheSpacing() {
    List<InstanceRecord> slices = slicesAt(regular(30, 2.0));
    slices.subList(10, 13).clear();
    assertThat(SeriesCompleteness.of(renumbered(slices), false).gaps())
        .containsExactly("3 slice(s) missing between -32.00 and -24.00 mm (spacing 2.00 mm)");
  }

  @Test
  void aSkippedInstanceNumberIsAGapEvenWhenPositionsLookRegular() {
    List<InstanceRecord> slices = new ArrayList<>(slicesAt(regular(10, 1.0)));
    slices.set(9, slice(OptionalInt.of(12), slices.get(9).slicePosition()));
    SeriesCompleteness c = SeriesCompleteness.of(slices, false);
    assertThat(c.gaps()).containsExactly("instance numbers 10-11 missing");
    slices.set(9, slice(OptionalInt.of(11), slices.get(9).slicePosition()));
    assertThat(SeriesCompleteness.of(slices, false).gaps()).containsExactly("instance number 10 missing");
  }

  @Test
  void irregularButUnbrokenSpacingIsComplete() {
    // a helical reconstruction with uneven steps between 0.9 and 1.3 mm
    double[] p = {0, 1.0, 2.2, 3.1, 4.4, 5.4, 6.3, 7.5, 8.5, 9.8};
    assertThat(SeriesCompleteness.of(slicesAt(p), false).complete()).isTrue();
  }

  @Test
  void slicesReceivedOutOfOrderAreSortedFirst() {
    assertThat(SeriesCompleteness.of(slicesAt(3, 0, 2, 1, 4), false).gaps()).isEmpty();
  }

  @Test
  void aSingleSliceOrTwoShowNoGap() {
    assertThat(SeriesCompleteness.of(slicesAt(7.5), false).complete()).isTrue();
    assertThat(SeriesCompleteness.of(slicesAt(0, 9), false).gaps()).isEmpty();
  }

  @Test
  void instancesWithoutPositionOrNumberAreNotJudgedOnThem() {
    List<InstanceRecord> objects = List.of(slice(OptionalInt.empty(), OptionalDouble.empty()),
        slice(OptionalInt.of(5), OptionalDouble.empty()));
    assertThat(SeriesCompleteness.of(objects, false).complete()).isTrue();
  }

  @Test
  void anInterruptedTransferIsIncompleteWithoutAnyGap() {
    SeriesCompleteness c = SeriesCompleteness.of(slicesAt(regular(20, 1.0)), true);
    assertThat(c.gaps()).isEmpty();
    assertThat(c.complete()).isFalse();
    assertThat(c.describe()).contains("ended without a release");
  }

  @Test
  void manyGapsAreListedUpToFive() {
    List<InstanceRecord> slices = new ArrayList<>();
    for (int k = 0; k < 40; k++) {
      if (k % 4 != 3) {
        slices.add(slice(OptionalInt.empty(), OptionalDouble.of(k)));
      }
    }
    List<String> gaps = SeriesCompleteness.of(slices, false).gaps();
    assertThat(gaps).hasSize(6);
    assertThat(gaps.get(5)).isEqualTo("and 4 more position gap(s)");
  }

  private static List<InstanceRecord> renumbered(List<InstanceRecord> slices) {
    List<InstanceRecord> out = new ArrayList<>();
    for (int k = 0; k < slices.size(); k++) {
      out.add(slice(OptionalInt.of(k + 1), slices.get(k).slicePosition()));
    }
    return out;
  }
}
