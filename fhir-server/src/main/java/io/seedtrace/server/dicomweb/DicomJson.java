package io.seedtrace.server.dicomweb;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;

/**
 * Writes attributes in the DICOM JSON model (PS3.18 Annex F): an object per data set, keyed by the
 * tag as eight upper-case hex digits, each with its {@code vr} and, when it has one, its
 * {@code Value} array. Empty values are written without {@code Value}, as the model asks.
 */
final class DicomJson {

  static final ObjectMapper MAPPER = new ObjectMapper();
  static final String MEDIA_TYPE = "application/dicom+json";

  private DicomJson() {}

  static ObjectNode dataSet() {
    return MAPPER.createObjectNode();
  }

  private static ObjectNode attribute(ObjectNode dataSet, int tag, String vr) {
    ObjectNode a = dataSet.putObject(String.format("%08X", tag));
    a.put("vr", vr);
    return a;
  }

  /** A text attribute (UI, DA, TM, CS, LO, SH, UR...); backslashes separate values as in DICOM. */
  static void text(ObjectNode dataSet, int tag, String vr, String value) {
    ObjectNode a = attribute(dataSet, tag, vr);
    if (value != null && !value.isEmpty()) {
      ArrayNode values = a.putArray("Value");
      for (String v : value.split("\\\\")) {
        values.add(v);
      }
    }
  }

  static void texts(ObjectNode dataSet, int tag, String vr, Collection<String> values) {
    ObjectNode a = attribute(dataSet, tag, vr);
    if (!values.isEmpty()) {
      ArrayNode array = a.putArray("Value");
      values.forEach(array::add);
    }
  }

  /** A person name: its alphabetic group. */
  static void personName(ObjectNode dataSet, int tag, String value) {
    ObjectNode a = attribute(dataSet, tag, "PN");
    if (value != null && !value.isEmpty()) {
      a.putArray("Value").addObject().put("Alphabetic", value);
    }
  }

  /** A number (US, UL, IS: JSON numbers in the model). */
  static void number(ObjectNode dataSet, int tag, String vr, long value) {
    attribute(dataSet, tag, vr).putArray("Value").add(value);
  }

  /** An IS value as stored (text), written as a number when it is one, else left empty. */
  static void integerString(ObjectNode dataSet, int tag, String value) {
    try {
      number(dataSet, tag, "IS", Long.parseLong(value.trim()));
    } catch (NumberFormatException | NullPointerException e) {
      attribute(dataSet, tag, "IS");
    }
  }

  /** A sequence; items are added to the returned array. */
  static ArrayNode sequence(ObjectNode dataSet, int tag) {
    return attribute(dataSet, tag, "SQ").putArray("Value");
  }
}
