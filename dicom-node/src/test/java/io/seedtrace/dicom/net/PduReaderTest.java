package io.seedtrace.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PduReaderTest {

  /** Collects what a P-DATA-TF streams: one entry per PDV with its flags and reassembled value. */
  private static final class Collector implements PduReader.PdvReceiver {
    final List<String> pdvs = new ArrayList<>();
    private final ByteArrayOutputStream value = new ByteArrayOutputStream();
    private String flags;

    @Override
    public void begin(int contextId, boolean command, boolean last, long length) {
      flags = contextId + (command ? " command" : " data") + (last ? " last " : " more ") + length;
      value.reset();
    }

    @Override
    public void value(byte[] bytes, int offset, int length) {
      value.write(bytes, offset, length);
    }

    @Override
    public void end() {
      pdvs.add(flags + " " + Arrays.toString(value.toByteArray()));
    }
  }

  /** A peer whose bytes arrive one at a time. */
  private static InputStream trickle(byte[] bytes) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 1));
      }
    };
  }

  @Test
  void streamsEachPdvValueInPiecesWhateverTheReadSizes() throws Exception {
    byte[] big = new byte[100];
    Arrays.fill(big, (byte) 7);
    byte[] bytes = PduCodec.encode(new Pdu.PDataTf(List.of(new Pdu.Pdv(3, true, true, new byte[] {1, 2}),
        new Pdu.Pdv(3, false, false, big), new Pdu.Pdv(3, false, true, new byte[0]))));
    byte[] twice = new byte[bytes.length * 2];
    System.arraycopy(bytes, 0, twice, 0, bytes.length);
    System.arraycopy(bytes, 0, twice, bytes.length, bytes.length);
    PduReader reader = new PduReader(trickle(twice), 16);
    Collector collector = new Collector();

    for (int i = 0; i < 2; i++) {
      PduReader.Header h = reader.readHeader(1 << 20);
      assertThat(h.type()).isEqualTo(Pdu.P_DATA_TF);
      reader.readPData(h, collector);
    }

    assertThat(collector.pdvs).hasSize(6);
    assertThat(collector.pdvs.get(0)).isEqualTo("3 command last 2 [1, 2]");
    assertThat(collector.pdvs.get(1)).startsWith("3 data more 100 [7, 7");
    assertThat(collector.pdvs.get(2)).isEqualTo("3 data last 0 []");
    assertThat(collector.pdvs.subList(3, 6)).isEqualTo(collector.pdvs.subList(0, 3));
    assertThatThrownBy(() -> reader.readHeader(1 << 20)).isInstanceOf(EOFException.class);
  }

  @Test
  void otherPdusAreDecodedWhole() throws Exception {
    PduReader reader = new PduReader(trickle(PduCodec.encode(new Pdu.Abort(2, 6))), 8);
    Pdu pdu = reader.readBody(reader.readHeader(100));
    assertThat(pdu).isEqualTo(new Pdu.Abort(2, 6));
  }

  @Test
  void refusesAPduOverTheLimitAndAPdvThatOverrunsItsPdu() throws Exception {
    byte[] pdata = PduCodec.encode(new Pdu.PDataTf(List.of(new Pdu.Pdv(1, false, true, new byte[10]))));
    assertThatThrownBy(() -> new PduReader(new ByteArrayInputStream(pdata), 64).readHeader(10))
        .isInstanceOf(PduFormatException.class).hasMessageContaining("exceeds the limit");

    byte[] overrun = pdata.clone();
    overrun[9] = 100; // PDV length beyond the PDU
    PduReader reader = new PduReader(new ByteArrayInputStream(overrun), 64);
    PduReader.Header h = reader.readHeader(1 << 20);
    assertThatThrownBy(() -> reader.readPData(h, new Collector()))
        .isInstanceOf(PduFormatException.class).hasMessageContaining("does not fit the PDU");
  }

  @Test
  void aConnectionThatClosesInsideAPdvIsAnEndOfStream() throws Exception {
    byte[] pdata = PduCodec.encode(new Pdu.PDataTf(List.of(new Pdu.Pdv(1, false, true, new byte[50]))));
    PduReader reader = new PduReader(new ByteArrayInputStream(Arrays.copyOf(pdata, 30)), 64);
    PduReader.Header h = reader.readHeader(1 << 20);
    assertThatThrownBy(() -> reader.readPData(h, new Collector()))
        .isInstanceOf(EOFException.class).hasMessageContaining("inside a PDU");
  }
}
