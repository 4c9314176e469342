package io.seedtrace.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The storage model on a history small enough to compute by hand (docs/storage-model.md walks
 * through the same numbers).
 */
class StorageModelTest {

  static final List<Batch> HISTORY = List.of(
      new Batch("M1", "P", "X", 60, 888, true),
      new Batch("M1", "P", "X", 60, 900, true),
      new Batch("M1", "P", "X", 50, 740, true),
      new Batch("M1", "P", "X", 20, 300, false),
      new Batch("M2", "P", "X", 60, 880, false),
      new Batch("M1", "P", "X", 20, 290, false),
      new Batch("M1", "P", "Y", 60, 890, true),
      new Batch("M2", "P", "Y", 20, 310, false));

  static final StorageModelSettings SETTINGS = new StorageModelSettings(8, 4, 2, 0.45, 0.3, 4, 10, 1);

  /**
   * A batch of the history whose record gives no manufacturer (a device delivered without one)
   * is one category of its own, not a crash of every later assembly.
   */
  @Test
  void aHistoricalBatchWithoutAManufacturerIsACategoryOfItsOwn() {
    List<Batch> history = new java.util.ArrayList<>(HISTORY);
    history.add(new Batch(null, "P", "X", 60, 880, true));
    history.add(new Batch(" ", null, "X", 20, 300, false));

    StorageModel.Decision decision = new StorageModel(SETTINGS).decide(new Batch("M1", "P", "X", 55, 800, false),
        history);

    assertThat(decision.iterations()).isNotEmpty();
    assertThat(new StorageModel(SETTINGS).initialSubElements(history)).extracting(SubElement::toString)
        .anyMatch(sub -> sub.contains(Batch.UNKNOWN));
  }

  @Test
  void stepByStepAsComputedByHand() {
    StorageModel model = new StorageModel(SETTINGS);
    List<Batch> population = model.population(HISTORY);
    assertThat(population).hasSize(8);
    List<SubElement> initial = model.initialSubElements(population);
    // S2-3: M_x/M_y per sub-element
    assertThat(StorageModel.useProbability(SubElement.of(0, "M1"), population)).isCloseTo(4.0 / 6, within(1e-12));
    assertThat(StorageModel.useProbability(SubElement.of(0, "M2"), population)).isZero();
    assertThat(StorageModel.useProbability(SubElement.range(3, 40, 60), population)).isCloseTo(0.8, within(1e-12));
    // T_i of batch 1: (2/3 + 1/2 + 1/2 + 4/5 + 4/5) / 5
    assertThat(StorageModel.influence(HISTORY.get(0), initial, population)).isCloseTo(3.2666667 / 5, within(1e-6));
    assertThat(StorageModel.influence(HISTORY.get(7), initial, population)).isCloseTo(0.2, within(1e-12));
    // S2-4: the average over the population is exactly 0.5
    assertThat(StorageModel.averageInfluence(initial, population)).isCloseTo(0.5, within(1e-12));

    StorageModel.Decision keep = model.decide(new Batch("M1", "P", "X", 55, 800, false), HISTORY);
    assertThat(keep.iterations()).hasSize(2);
    assertThat(keep.iterations().get(0).averageT()).isCloseTo(0.5, within(1e-12));
    assertThat(keep.iterations().get(1).averageT()).isCloseTo(1.0, within(1e-12));
    assertThat(keep.iterations().get(1).coveredBatches()).isEqualTo(4);
    assertThat(keep.iterations().get(1).deleted()).extracting(SubElement::toString)
        .containsExactlyInAnyOrder("manufacturer = M2", "quantity in [20.000, 40.000]", "total activity (MBq) in [290.000, 595.000]");
    assertThat(keep.retentionRanges()).extracting(SubElement::toString).containsExactly(
        "manufacturer = M1", "product name = P", "model = X", "model = Y",
        "quantity in [50.000, 60.000]", "total activity (MBq) in [740.000, 900.000]");
    // S2-5
    assertThat(keep.p()).isEqualTo(5);
    assertThat(keep.retain()).isTrue();
    assertThat(keep.explanation()).startsWith("retain at hospital: 5 of 5 parameters");

    StorageModel.Decision back = model.decide(new Batch("M2", "P", "X", 20, 300, false), HISTORY);
    assertThat(back.p()).isEqualTo(2);
    assertThat(back.retain()).isFalse();
    assertThat(back.explanation()).startsWith("return to manufacturer: 2 of 5");
  }

  @Test
  void drawsNBatchesWithKUsedDeterministicallyForAFixedSeed() {
    List<Batch> history = new ArrayList<>();
    Random r = new Random(5);
    for (int i = 0; i < 1000; i++) {
      history.add(new Batch("M" + r.nextInt(3), "P", "X" + r.nextInt(2), 20 + r.nextInt(130), 200 + r.nextInt(2000),
          r.nextBoolean()));
    }
    StorageModelSettings s = new StorageModelSettings(100, 60, 4, 0.4, 0.3, 4, 10, 42);
    List<Batch> a = new StorageModel(s).population(history);
    List<Batch> b = new StorageModel(s).population(history);
    assertThat(a).hasSize(100).isEqualTo(b);
    assertThat(a.stream().filter(Batch::usedInSurgery).count()).isEqualTo(60);
    Batch probe = new Batch("M1", "P", "X1", 60, 900, false);
    assertThat(new StorageModel(s).decide(probe, history)).isEqualTo(new StorageModel(s).decide(probe, history));
  }

  @Test
  void withoutAnyHistoryTheSeedsGoBackAndTheAnswerSaysWhy() {
    StorageModel.Decision d = new StorageModel(StorageModelSettings.defaults())
        .decide(new Batch("M1", "P", "X", 2, 29.6, false), List.of());
    assertThat(d.retain()).isFalse();
    assertThat(d.retentionRanges()).isEmpty();
    assertThat(d.explanation()).contains("no earlier cartridges");
  }
}
