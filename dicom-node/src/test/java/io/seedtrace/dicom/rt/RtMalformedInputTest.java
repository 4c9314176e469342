package io.seedtrace.dicom.rt;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.dicom.data.DicomFormatException;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.TransferSyntax;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * RT objects arrive from other systems and from the network: whatever their bytes, reading them
 * ends in a result, an {@link RtObjectException} or a {@link DicomFormatException}, never in another
 * exception that would escape the comparison as a crash.
 */
class RtMalformedInputTest {

  private static final String FRAME = "1.2.826.0.1.3680043.10.543.77.20";

  /** One reader of Part 10 bytes, by kind of object. */
  enum Kind {
    PLAN {
      byte[] valid() {
        return Part10.toBytes(RtTestObjects.brachyPlan(FRAME, 2, 2, 3, 0), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
      }

      Object read(byte[] file) throws DicomFormatException, RtObjectException {
        return BrachyPlanReader.read(file);
      }
    },
    STRUCTURE_SET {
      byte[] valid() {
        return Part10.toBytes(RtTestObjects.structureSet(FRAME, FRAME, RtTestObjects.fiveSeedsAndAProstate()),
            TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
      }

      Object read(byte[] file) throws DicomFormatException, RtObjectException {
        return StructureSetPointReader.read(file);
      }
    },
    REGISTRATION {
      byte[] valid() {
        return Part10.toBytes(RtTestObjects.registration(FRAME, Map.of(FRAME + ".1", RtTestObjects.rotateZ90AndShift()),
            "RIGID"), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
      }

      Object read(byte[] file) throws DicomFormatException, RtObjectException {
        return SpatialRegistrationReader.read(file);
      }
    };

    abstract byte[] valid();

    abstract Object read(byte[] file) throws DicomFormatException, RtObjectException;
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void truncatedFilesAreRefusedWithAReason(Kind kind) throws Exception {
    byte[] valid = kind.valid();
    assertThat(kind.read(valid)).isNotNull();
    List<String> unexpected = new ArrayList<>();
    int refused = 0;
    for (int cut = 0; cut < valid.length; cut += 3) {
      try {
        kind.read(Arrays.copyOf(valid, cut));
      } catch (DicomFormatException | RtObjectException expected) {
        refused++;
      } catch (RuntimeException | StackOverflowError e) {
        unexpected.add("cut at " + cut + ": " + e);
      }
    }
    assertThat(unexpected).isEmpty();
    assertThat(refused).isGreaterThan(valid.length / 3 / 2);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void corruptedBytesNeverEscapeAsAnotherException(Kind kind) {
    byte[] valid = kind.valid();
    Random random = new Random(kind.ordinal() + 125);
    List<String> unexpected = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      byte[] mutated = valid.clone();
      for (int k = 0; k < 1 + random.nextInt(6); k++) {
        int at = 132 + random.nextInt(mutated.length - 132);
        // half of the changes put characters that DS, IS and UI values can hold, so values stay parseable-looking
        mutated[at] = random.nextBoolean() ? (byte) random.nextInt(256) : (byte) "0123456789.+-eE\\ N"
            .charAt(random.nextInt(18));
      }
      try {
        kind.read(mutated);
      } catch (DicomFormatException | RtObjectException expected) {
        // refused with a reason
      } catch (RuntimeException | StackOverflowError e) {
        unexpected.add(e.toString());
      }
    }
    assertThat(unexpected).isEmpty();
  }
}
