package io.seedtrace.server.network;

import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;

/**
 * What one organisation reports to the authority about one cartridge: the seed counts it knows
 * (null where it does not), carried as the {@code Parameters} focus of a custody message. The
 * manufacturer reports {@code shipped} and, after the return, {@code returned}; the hospital
 * {@code received} (L0, read from the chip), {@code removed} (L3), {@code imaged} (L1) and
 * {@code remaining} (L2), with a pseudonymous patient key and never a name.
 *
 * @param serial the cartridge serial (required)
 * @param orderNumber the order the cartridge fills, when the sender knows it
 * @param hospitalId the network id of the hospital the cartridge goes to or comes from
 * @param patientKey a keyed hash of the patient's id at the hospital ({@link PatientPseudonyms})
 * @param occurredAt when the reported step happened at the sender
 */
public record CountSummary(String serial, String orderNumber, String hospitalId, Integer shipped, Integer received,
    Integer removed, Integer imaged, Integer remaining, Integer returned, String patientKey, Instant occurredAt) {

  /** Counts above this are not a cartridge of seeds; they are refused, not stored. */
  static final int MAX_COUNT = 10_000;

  public CountSummary {
    if (serial == null || serial.isBlank() || serial.length() > 200) {
      throw new IllegalArgumentException("a count summary needs the cartridge serial (1..200 characters)");
    }
    for (Integer n : new Integer[] {shipped, received, removed, imaged, remaining, returned}) {
      if (n != null && (n < 0 || n > MAX_COUNT)) {
        throw new IllegalArgumentException("a seed count must lie in 0.." + MAX_COUNT + ", not " + n);
      }
    }
    if (occurredAt == null) {
      throw new IllegalArgumentException("a count summary needs the time of the step it reports");
    }
  }

  public Parameters toParameters() {
    Parameters p = new Parameters();
    p.addParameter().setName("serial").setValue(new StringType(serial));
    add(p, "orderNumber", orderNumber == null ? null : new StringType(orderNumber));
    add(p, "hospital", hospitalId == null ? null : new StringType(hospitalId));
    add(p, "shipped", shipped);
    add(p, "received", received);
    add(p, "removed", removed);
    add(p, "imaged", imaged);
    add(p, "remaining", remaining);
    add(p, "returned", returned);
    add(p, "patientKey", patientKey == null ? null : new StringType(patientKey));
    p.addParameter().setName("occurredAt").setValue(new DateTimeType(Date.from(occurredAt)));
    return p;
  }

  /**
   * Reads a summary from a message's focus.
   *
   * @throws RefusedMessage (400) when a part is missing, of the wrong type or out of range
   */
  public static CountSummary from(Parameters p) {
    try {
      return new CountSummary(text(p, "serial"), text(p, "orderNumber"), text(p, "hospital"), count(p, "shipped"),
          count(p, "received"), count(p, "removed"), count(p, "imaged"), count(p, "remaining"), count(p, "returned"),
          text(p, "patientKey"), Optional.ofNullable(p.getParameter("occurredAt")).map(v -> v.getValue())
              .filter(DateTimeType.class::isInstance).map(v -> ((DateTimeType) v).getValue().toInstant()).orElse(null));
    } catch (IllegalArgumentException | ClassCastException bad) {
      throw new RefusedMessage(400, "the count summary does not read: " + bad.getMessage());
    }
  }

  private static void add(Parameters p, String name, Integer n) {
    add(p, name, n == null ? null : new IntegerType(n));
  }

  private static void add(Parameters p, String name, Type value) {
    if (value != null) {
      p.addParameter().setName(name).setValue(value);
    }
  }

  private static String text(Parameters p, String name) {
    Parameters.ParametersParameterComponent part = p.getParameter(name);
    return part == null || part.getValue() == null ? null : ((StringType) part.getValue()).getValue();
  }

  private static Integer count(Parameters p, String name) {
    Parameters.ParametersParameterComponent part = p.getParameter(name);
    return part == null || part.getValue() == null ? null : ((IntegerType) part.getValue()).getValue();
  }
}
