package io.seedtrace.core.storage;

/**
 * The five initial parameters of a seed batch (element set A = {A1..A5} of the storage model) and,
 * for historical batches, whether its seeds were used in surgery.
 */
public record Batch(String manufacturer, String productName, String model, double quantity, double totalActivityMbq,
    boolean usedInSurgery) {

  static final int ELEMENTS = 5;
  /** The category of a name the record does not give (a device without a manufacturer, say). */
  static final String UNKNOWN = "unknown";

  /** Names a record leaves out count as one category of their own, {@value #UNKNOWN}. */
  public Batch {
    manufacturer = blankAsUnknown(manufacturer);
    productName = blankAsUnknown(productName);
    model = blankAsUnknown(model);
  }

  private static String blankAsUnknown(String name) {
    return name == null || name.isBlank() ? UNKNOWN : name;
  }

  /** Element e (0-4) as a category (for the three names) or null for the numeric ones. */
  String category(int e) {
    return switch (e) {
      case 0 -> manufacturer;
      case 1 -> productName;
      case 2 -> model;
      default -> null;
    };
  }

  double number(int e) {
    return e == 3 ? quantity : totalActivityMbq;
  }

  static boolean numeric(int e) {
    return e >= 3;
  }

  static String elementName(int e) {
    return switch (e) {
      case 0 -> "manufacturer";
      case 1 -> "product name";
      case 2 -> "model";
      case 3 -> "quantity";
      default -> "total activity (MBq)";
    };
  }
}
