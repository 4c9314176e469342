package io.seedtrace.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PduCodecTest {

  static Stream<Pdu> pdus() {
    Pdu.UserInfo user = new Pdu.UserInfo(16384, "1.2.3", "TEST_1", 1, 1);
    return Stream.of(
        new Pdu.AssociateRq("SEEDTRACE", "PACS", Pdu.APPLICATION_CONTEXT,
            List.of(new Pdu.ProposedContext(1, "1.2.840.10008.1.1", List.of("1.2.840.10008.1.2")),
                new Pdu.ProposedContext(3, "1.2.840.10008.5.1.4.1.1.2", List.of("1.2.840.10008.1.2.1", "1.2.840.10008.1.2"))),
            user),
        new Pdu.AssociateAc("SEEDTRACE", "PACS", Pdu.APPLICATION_CONTEXT,
            List.of(new Pdu.AcceptedContext(1, 0, "1.2.840.10008.1.2"), new Pdu.AcceptedContext(3, 3, "")), user),
        new Pdu.AssociateRq("PACS", "SEEDTRACE", Pdu.APPLICATION_CONTEXT,
            List.of(new Pdu.ProposedContext(1, "1.2.840.10008.5.1.4.1.2.2.3", List.of("1.2.840.10008.1.2.1"))),
            new Pdu.UserInfo(16384, "1.2.3", "TEST_1", 1, 1,
                List.of(new Pdu.RoleSelection("1.2.840.10008.5.1.4.1.1.2", false, true)))),
        new Pdu.AssociateAc("PACS", "SEEDTRACE", Pdu.APPLICATION_CONTEXT,
            List.of(new Pdu.AcceptedContext(1, 0, "1.2.840.10008.1.2.1")), new Pdu.UserInfo(16384, "1.2.3", "", 1, 1,
                List.of(new Pdu.RoleSelection("1.2.840.10008.5.1.4.1.1.2", true, true)))),
        new Pdu.AssociateRj(1, 1, 7),
        new Pdu.ReleaseRq(),
        new Pdu.ReleaseRp(),
        new Pdu.Abort(2, 2));
  }

  @ParameterizedTest
  @MethodSource("pdus")
  void encodesAndDecodesBackToTheSameValue(Pdu pdu) throws Exception {
    Pdu back = PduCodec.read(new ByteArrayInputStream(PduCodec.encode(pdu)), 1 << 20);
    assertThat(back).usingRecursiveComparison().isEqualTo(pdu);
  }

  @Test
  void pDataKeepsFragmentsAndFlags() throws Exception {
    Pdu.PDataTf p = new Pdu.PDataTf(List.of(new Pdu.Pdv(3, true, false, new byte[] {1, 2}),
        new Pdu.Pdv(3, false, true, new byte[] {3})));
    Pdu.PDataTf back = (Pdu.PDataTf) PduCodec.read(new ByteArrayInputStream(PduCodec.encode(p)), 1 << 20);
    assertThat(back.pdvs()).hasSize(2);
    assertThat(back.pdvs().get(0).command()).isTrue();
    assertThat(back.pdvs().get(0).last()).isFalse();
    assertThat(back.pdvs().get(1).data()).containsExactly(3);
  }

  @Test
  void refusesAPduLongerThanTheLimitBeforeReadingIt() {
    byte[] header = {0x04, 0, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
    assertThatThrownBy(() -> PduCodec.read(new ByteArrayInputStream(header), 65536))
        .isInstanceOf(PduFormatException.class).hasMessageContaining("exceeds the limit");
  }

  @Test
  void refusesUnknownTypesAndPdvsThatOverrunThePdu() {
    assertThatThrownBy(() -> PduCodec.read(new ByteArrayInputStream(new byte[] {0x09, 0, 0, 0, 0, 0}), 100))
        .isInstanceOf(PduFormatException.class).hasMessageContaining("Unrecognized PDU type");
    byte[] overrun = {0x04, 0, 0, 0, 0, 8, 0, 0, 0, 100, 1, 3, 0, 0};
    assertThatThrownBy(() -> PduCodec.read(new ByteArrayInputStream(overrun), 100))
        .isInstanceOf(PduFormatException.class).hasMessageContaining("PDV length");
  }

  @Test
  void aTruncatedPduIsAnEndOfStreamNotAHang() {
    byte[] rq = PduCodec.encode(pdus().findFirst().orElseThrow());
    assertThatThrownBy(() -> PduCodec.read(new ByteArrayInputStream(Arrays.copyOf(rq, rq.length - 5)), 1 << 20))
        .isInstanceOf(EOFException.class);
  }

  @Test
  void mutatedAssociateRequestsAreRefusedCleanly() {
    byte[] rq = PduCodec.encode(pdus().findFirst().orElseThrow());
    Random random = new Random(3);
    for (int i = 0; i < 5000; i++) {
      byte[] m = rq.clone();
      m[6 + random.nextInt(m.length - 6)] = (byte) random.nextInt(256);
      try {
        PduCodec.read(new ByteArrayInputStream(m), 1 << 20);
      } catch (PduFormatException | java.io.IOException expected) {
        // refused with a reason
      }
    }
  }
}
