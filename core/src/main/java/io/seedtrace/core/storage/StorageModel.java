package io.seedtrace.core.storage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Decides whether non-conforming seeds stay at the hospital or go back to the manufacturer
 * (MISSION.md stage 2, claim 2, steps S2-1 to S2-5). The claim's formula for the influence value is
 * missing from the source; this implements the reading documented in docs/storage-model.md:
 *
 * <ul>
 *   <li>S2-1: a batch is described by A = {manufacturer, product, model, quantity, total activity}.</li>
 *   <li>S2-2: a population of N historical batches, K of them used in surgery, is drawn (seeded).</li>
 *   <li>S2-3: sub-elements are categories (names) and ranges (numbers, {@code initialBins} equal
 *       ranges over the population). The combinations present in batch i are its five
 *       sub-elements; for each, M_y counts the population batches in that sub-element and M_x those
 *       of them used in surgery. T_i = mean over the five of M_x / M_y.</li>
 *   <li>S2-4: while the mean of T_i over the population stays above the average threshold: delete
 *       every sub-element with M_x / M_y below the judgement threshold, narrow every remaining range
 *       to the used batches it holds ([s0, t0] with s0 >= s, t0 <= t), G = G + 1, and compute S2-3
 *       again on the batches the remaining sub-elements still cover. The last sub-elements whose
 *       average stayed above the threshold are the retention ranges.</li>
 *   <li>S2-5: P = how many of the batch's five parameters fall in a retention range; P >= the
 *       retention threshold means retain at the hospital, else return to the manufacturer.</li>
 * </ul>
 */
public final class StorageModel {

  private final StorageModelSettings settings;

  public StorageModel(StorageModelSettings settings) {
    this.settings = settings;
  }

  /** One pass of S2-3/S2-4, for the explanation. */
  public record Iteration(int g, double averageT, int coveredBatches, List<SubElement> deleted) {
    public Iteration {
      deleted = List.copyOf(deleted);
    }
  }

  /** The decision and everything that led to it. */
  public record Decision(boolean retain, int p, int retentionThreshold, List<SubElement> retentionRanges,
      List<Iteration> iterations, int populationSize, int usedInPopulation) {

    public Decision {
      retentionRanges = List.copyOf(retentionRanges);
      iterations = List.copyOf(iterations);
    }

    public String explanation() {
      if (populationSize == 0) {
        return String.format("return to manufacturer: no earlier cartridges in the history to support retention"
            + " (P = 0 of 5, threshold %d)", retentionThreshold);
      }
      return String.format("%s: %d of 5 parameters inside the retention ranges (threshold %d) after %d iteration(s); "
              + "ranges %s", retain ? "retain at hospital" : "return to manufacturer", p, retentionThreshold,
          iterations.size(), retentionRanges);
    }
  }

  /** S2-2: N batches from the history with K used ones, drawn with the configured seed. */
  List<Batch> population(List<Batch> history) {
    List<Batch> used = new ArrayList<>(history.stream().filter(Batch::usedInSurgery).toList());
    List<Batch> unused = new ArrayList<>(history.stream().filter(b -> !b.usedInSurgery()).toList());
    Random random = new Random(settings.randomSeed());
    Collections.shuffle(used, random);
    Collections.shuffle(unused, random);
    int k = Math.min(settings.usedInPopulation(), used.size());
    int rest = Math.min(settings.populationSize() - k, unused.size());
    List<Batch> population = new ArrayList<>(used.subList(0, k));
    population.addAll(unused.subList(0, rest));
    return population;
  }

  /** S2-3 initial sub-elements: every category seen, and equal ranges over each numeric element. */
  List<SubElement> initialSubElements(List<Batch> population) {
    List<SubElement> subs = new ArrayList<>();
    for (int e = 0; e < Batch.ELEMENTS; e++) {
      if (!Batch.numeric(e)) {
        final int element = e;
        population.stream().map(b -> b.category(element)).distinct().sorted()
            .forEach(c -> subs.add(SubElement.of(element, c)));
        continue;
      }
      final int element = e;
      double min = population.stream().mapToDouble(b -> b.number(element)).min().orElse(0);
      double max = population.stream().mapToDouble(b -> b.number(element)).max().orElse(0);
      int bins = settings.initialBins();
      double width = (max - min) / bins;
      for (int i = 0; i < bins; i++) {
        double low = min + i * width;
        double high = i == bins - 1 ? max : min + (i + 1) * width - Math.ulp(min + (i + 1) * width);
        subs.add(SubElement.range(element, low, high));
        if (width == 0) {
          break;
        }
      }
    }
    return subs;
  }

  /** M_x / M_y of a sub-element over the batches. */
  static double useProbability(SubElement s, List<Batch> batches) {
    int my = 0;
    int mx = 0;
    for (Batch b : batches) {
      if (s.contains(b)) {
        my++;
        if (b.usedInSurgery()) {
          mx++;
        }
      }
    }
    return my == 0 ? 0 : (double) mx / my;
  }

  /** T_i: mean of M_x/M_y over the sub-elements batch i falls in (one per element); NaN if not covered. */
  static double influence(Batch batch, List<SubElement> subs, List<Batch> batches) {
    return influence(batch, subs, probabilities(subs, batches));
  }

  /** M_x/M_y of every sub-element, computed once per pass. */
  static java.util.Map<SubElement, Double> probabilities(List<SubElement> subs, List<Batch> batches) {
    java.util.Map<SubElement, Double> p = new java.util.HashMap<>();
    for (SubElement s : subs) {
      p.put(s, useProbability(s, batches));
    }
    return p;
  }

  private static double influence(Batch batch, List<SubElement> subs, java.util.Map<SubElement, Double> probability) {
    double sum = 0;
    for (int e = 0; e < Batch.ELEMENTS; e++) {
      SubElement mine = null;
      for (SubElement s : subs) {
        if (s.element() == e && s.contains(batch)) {
          mine = s;
          break;
        }
      }
      if (mine == null) {
        return Double.NaN;
      }
      sum += probability.get(mine);
    }
    return sum / Batch.ELEMENTS;
  }

  static double averageInfluence(List<SubElement> subs, List<Batch> batches) {
    java.util.Map<SubElement, Double> p = probabilities(subs, batches);
    return batches.stream().mapToDouble(b -> influence(b, subs, p)).filter(t -> !Double.isNaN(t)).average().orElse(0);
  }

  /** The batches that fall in some sub-element of every element. */
  static List<Batch> covered(List<SubElement> subs, List<Batch> batches) {
    return batches.stream().filter(b -> {
      for (int e = 0; e < Batch.ELEMENTS; e++) {
        final int element = e;
        if (subs.stream().noneMatch(s -> s.element() == element && s.contains(b))) {
          return false;
        }
      }
      return true;
    }).toList();
  }

  /** S2-1 to S2-5 for one non-conforming batch. */
  public Decision decide(Batch nonConforming, List<Batch> history) {
    List<Batch> population = population(history);
    if (population.isEmpty()) {
      return new Decision(false, 0, settings.retentionThreshold(), List.of(), List.of(), 0, 0);
    }
    int k = (int) population.stream().filter(Batch::usedInSurgery).count();
    List<SubElement> subs = initialSubElements(population);
    List<Batch> batches = population;
    List<Iteration> iterations = new ArrayList<>();
    double average = averageInfluence(subs, batches);
    iterations.add(new Iteration(1, average, batches.size(), List.of()));
    List<SubElement> retention = subs;
    int g = 1;
    while (average > settings.averageThreshold() && g < settings.maxIterations()) {
      List<SubElement> deleted = new ArrayList<>();
      List<SubElement> next = new ArrayList<>();
      for (SubElement s : subs) {
        if (useProbability(s, batches) < settings.judgementThreshold()) {
          deleted.add(s);
        } else if (Batch.numeric(s.element())) {
          final List<Batch> scope = batches;
          double lo = scope.stream().filter(b -> b.usedInSurgery() && s.contains(b)).mapToDouble(b -> b.number(s.element()))
              .min().orElse(s.low());
          double hi = scope.stream().filter(b -> b.usedInSurgery() && s.contains(b)).mapToDouble(b -> b.number(s.element()))
              .max().orElse(s.high());
          next.add(SubElement.range(s.element(), Math.max(lo, s.low()), Math.min(hi, s.high())));
        } else {
          next.add(s);
        }
      }
      if (deleted.isEmpty() && next.equals(subs)) {
        break; // nothing left to refine
      }
      List<Batch> nextBatches = covered(next, batches);
      double nextAverage = averageInfluence(next, nextBatches);
      g++;
      iterations.add(new Iteration(g, nextAverage, nextBatches.size(), deleted));
      if (nextBatches.isEmpty() || !(nextAverage > settings.averageThreshold())) {
        break; // the refinement stopped being predictive: keep the previous ranges
      }
      subs = next;
      batches = nextBatches;
      average = nextAverage;
      retention = subs;
    }
    int p = 0;
    for (int e = 0; e < Batch.ELEMENTS; e++) {
      final int element = e;
      if (retention.stream().anyMatch(s -> s.element() == element && s.contains(nonConforming))) {
        p++;
      }
    }
    return new Decision(p >= settings.retentionThreshold(), p, settings.retentionThreshold(), retention, iterations,
        population.size(), k);
  }
}
