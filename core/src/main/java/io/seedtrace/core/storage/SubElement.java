package io.seedtrace.core.storage;

/**
 * A restriction on one element: a category (e.g. model 6711) or a numeric range [low, high]
 * (e.g. total activity in [s, t]).
 */
public record SubElement(int element, String category, double low, double high) {

  static SubElement of(int element, String category) {
    return new SubElement(element, category, Double.NaN, Double.NaN);
  }

  static SubElement range(int element, double low, double high) {
    return new SubElement(element, null, low, high);
  }

  boolean contains(Batch b) {
    return Batch.numeric(element)
        ? b.number(element) >= low && b.number(element) <= high
        : category.equals(b.category(element));
  }

  @Override
  public String toString() {
    return Batch.elementName(element) + (Batch.numeric(element)
        ? String.format(" in [%.3f, %.3f]", low, high)
        : " = " + category);
  }
}
