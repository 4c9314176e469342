package io.seedtrace.server.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import javax.crypto.spec.SecretKeySpec;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.junit.jupiter.api.Test;

/** Count summaries survive the trip through a message; bad ones are refused; patient keys are keyed. */
class CountSummaryTest {

  @Test
  void aSummaryReadsBackAsSentThroughJson() {
    CountSummary sent = new CountSummary("CART-1", "ORD-1", "HOSP-1", null, 20, 2, 17, 0, null, "pk1-ab",
        Instant.parse("2026-12-01T08:00:00Z"));
    FhirContext fhir = FhirContext.forR4Cached();
    Parameters wire = fhir.newJsonParser().parseResource(Parameters.class,
        fhir.newJsonParser().encodeResourceToString(sent.toParameters()));
    assertThat(CountSummary.from(wire)).isEqualTo(sent);
    assertThat(fhir.newJsonParser().encodeResourceToString(sent.toParameters())).doesNotContain("shipped", "returned");
  }

  @Test
  void aSummaryWithoutSerialOrWithAnImpossibleCountIsRefused() {
    Parameters noSerial = new CountSummary("X", null, null, 1, null, null, null, null, null, null, Instant.EPOCH)
        .toParameters();
    noSerial.getParameter().removeIf(p -> p.getName().equals("serial"));
    assertThatThrownBy(() -> CountSummary.from(noSerial)).isInstanceOf(RefusedMessage.class)
        .hasMessageContaining("serial");
    Parameters negative = new CountSummary("X", null, null, 1, null, null, null, null, null, null, Instant.EPOCH)
        .toParameters();
    negative.getParameter("shipped").setValue(new IntegerType(-1));
    assertThatThrownBy(() -> CountSummary.from(negative)).isInstanceOf(RefusedMessage.class)
        .hasMessageContaining("0..10000");
  }

  @Test
  void thePatientKeyIsStableForOneHospitalKeyAndDiffersUnderAnother() {
    PatientPseudonyms hospital = new PatientPseudonyms(new SecretKeySpec(new byte[32], "AES"));
    byte[] other = new byte[32];
    other[0] = 1;
    assertThat(hospital.of("Patient/zhang")).isEqualTo(hospital.of("Patient/zhang")).startsWith("pk1-").hasSize(36)
        .isNotEqualTo(hospital.of("Patient/wang"))
        .isNotEqualTo(new PatientPseudonyms(new SecretKeySpec(other, "AES")).of("Patient/zhang"))
        .doesNotContain("zhang");
  }
}
