package io.seedtrace.dicom.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.seedtrace.dicom.data.DicomFormatException;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.net.PduCodec;
import io.seedtrace.dicom.net.PduFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Fuzz targets for the two parsers of outside input. Any exception other than the declared
 * "refused" ones, an out-of-memory or a hang is a finding.
 */
class DicomFuzzTest {

  @FuzzTest(maxDuration = "10m")
  void pduDecoder(byte[] input) {
    try {
      PduCodec.read(new ByteArrayInputStream(input), 1 << 20);
    } catch (PduFormatException | IOException refused) {
      // a clear refusal is the expected outcome for malformed input
    }
  }

  @FuzzTest(maxDuration = "10m")
  void part10Parser(byte[] input) {
    try {
      Part10.read(input);
    } catch (DicomFormatException refused) {
      // a clear refusal is the expected outcome for malformed input
    }
  }
}
