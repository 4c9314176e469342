package io.seedtrace.core.chip;

import io.seedtrace.core.chip.ChipPayloadException.Reason;

/**
 * The patient-identifying fields of a sealing, as the plaintext that is encrypted onto the chip:
 * the CBOR map {@code {1: inpatient number, 2: patient name}}.
 */
public record PatientFields(String inpatientNumber, String patientName) {

  public PatientFields {
    InitialBlock.text("inpatientNumber", inpatientNumber, 32);
    InitialBlock.text("patientName", patientName, 64);
  }

  public byte[] encode() {
    return new CborWriter().map(2).uint(1).text(inpatientNumber).uint(2).text(patientName).toBytes();
  }

  public static PatientFields decode(byte[] plaintext) throws ChipPayloadException {
    CborReader r = new CborReader(plaintext);
    if (r.map(2) != 2 || r.uint() != 1) {
      throw new ChipPayloadException(Reason.MALFORMED, "patient fields must be {1: inpatient number, 2: name}");
    }
    String number = r.text(32);
    if (r.uint() != 2) {
      throw new ChipPayloadException(Reason.MALFORMED, "patient fields must be {1: inpatient number, 2: name}");
    }
    String name = r.text(64);
    if (!r.atEnd()) {
      throw new ChipPayloadException(Reason.TRAILING_BYTES, "bytes after the patient fields");
    }
    try {
      return new PatientFields(number, name);
    } catch (IllegalArgumentException blank) {
      // a well-formed text that the record refuses (empty or blank): a refusal like any other
      throw new ChipPayloadException(Reason.FIELD_OUT_OF_RANGE, blank.getMessage());
    }
  }
}
