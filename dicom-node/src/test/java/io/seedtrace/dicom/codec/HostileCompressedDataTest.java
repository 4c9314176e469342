package io.seedtrace.dicom.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Element;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.data.Vr;
import io.seedtrace.dicom.testing.TestCt;
import io.seedtrace.dicom.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compressed pixel data from a hostile or broken sender: every decoder refuses it with a
 * {@link CodecException} that says why, allocates no more than the data set declared, and ends
 * quickly; nothing else escapes.
 */
class HostileCompressedDataTest {

  private static final FrameFormat CT_8X8 = new FrameFormat(8, 8, 1, 16, 12, false);
  private static final int ROUNDS = Integer.getInteger("hostile.rounds", 1500);
  private static final String RLE = "1.2.840.10008.1.2.5";
  private static final String JPEG_SV1 = "1.2.840.10008.1.2.4.70";

  @TempDir
  Path work;

  @Test
  void rleSegmentOffsetsOutsideTheFrameAreRefused() {
    byte[] frame = new byte[80];
    frame[0] = 2; // two segments for one 16-bit sample
    put32(frame, 4, 64);
    put32(frame, 8, 0x7FFFFFF0);
    assertThatThrownBy(() -> new RleDecoder().decode(frame, CT_8X8, new byte[128], 0))
        .isInstanceOf(CodecException.class).hasMessageContaining("outside the frame");
  }

  @Test
  void rleWithTheWrongNumberOfSegmentsIsRefused() {
    byte[] frame = new byte[64];
    frame[0] = 15;
    assertThatThrownBy(() -> new RleDecoder().decode(frame, CT_8X8, new byte[128], 0))
        .isInstanceOf(CodecException.class).hasMessageContaining("declares 15 segments; 2 expected");
  }

  @Test
  void rleSegmentThatEndsEarlyOrRunsPastTheFrameIsRefused() {
    byte[] shortSegment = new byte[68];
    shortSegment[0] = 2;
    put32(shortSegment, 4, 64);
    put32(shortSegment, 8, 66);
    shortSegment[64] = (byte) -10; // 11 copies of the next byte: fine, but then nothing more
    assertThatThrownBy(() -> new RleDecoder().decode(shortSegment, CT_8X8, new byte[128], 0))
        .isInstanceOf(CodecException.class).hasMessageContaining("ends after 11 of 64 bytes");
    byte[] overrun = new byte[70];
    overrun[0] = 2;
    put32(overrun, 4, 64);
    put32(overrun, 8, 68);
    overrun[64] = (byte) -127; // 128 copies into a 64-byte plane
    assertThatThrownBy(() -> new RleDecoder().decode(overrun, CT_8X8, new byte[128], 0))
        .isInstanceOf(CodecException.class).hasMessageContaining("overruns");
  }

  @Test
  void aJpegHeaderClaimingAHugeImageIsRefusedBeforeAnyAllocation() {
    byte[] sof = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xC3, 0, 11, 16, (byte) 0xFF, (byte) 0xFF,
        (byte) 0xFF, (byte) 0xFF, 1, 1, 0x11, 0};
    assertThatThrownBy(() -> new JpegDecoder().decode(sof, CT_8X8, new byte[128], 0))
        .isInstanceOf(CodecException.class).hasMessageContaining("65535 x 65535 x 1 does not match");
    byte[] sof55 = sof.clone();
    sof55[3] = (byte) 0xF7;
    assertThatThrownBy(() -> new JpegLsDecoder().decode(sof55, CT_8X8, new byte[128], 0))
        .isInstanceOf(CodecException.class).hasMessageContaining("65535 x 65535 x 1 does not match");
  }

  @Test
  void aJpegPrecisionAboveBitsAllocatedAndProgressiveJpegAreRefused() {
    byte[] wide = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xC3, 0, 11, 16, 0, 8, 0, 8, 1, 1, 0x11, 0};
    FrameFormat eightBit = new FrameFormat(8, 8, 1, 8, 8, false);
    assertThatThrownBy(() -> new JpegDecoder().decode(wide, eightBit, new byte[64], 0))
        .isInstanceOf(CodecException.class).hasMessageContaining("precision of 16 bits");
    byte[] progressive = wide.clone();
    progressive[3] = (byte) 0xC2;
    assertThatThrownBy(() -> new JpegDecoder().decode(progressive, CT_8X8, new byte[128], 0))
        .isInstanceOf(CodecException.class).hasMessageContaining("SOF2");
  }

  @Test
  void aHuffmanTableWithMoreCodesThanFitIsRefused() {
    int[] counts = new int[17];
    counts[1] = 3; // three 1-bit codes
    assertThatThrownBy(() -> new HuffmanTable(counts, new int[] {0, 1, 2}))
        .isInstanceOf(CodecException.class).hasMessageContaining("more codes of length 1");
  }

  @Test
  void framesBeyondTheDecodingLimitAreRefusedBeforeAllocation() {
    DataSet ds = TestCt.slice("1.2.3", "1.2.3.4", "1.2.3.4.5", 0, 512, 1);
    ds.putString(Tag.NumberOfFrames, Vr.IS, "100000");
    ds.put(Element.ofFragments(Tag.PixelData, Vr.OB, List.of(new byte[0], new byte[] {(byte) 0xFF, (byte) 0xD8})));
    assertThatThrownBy(() -> PixelData.decode(ds, TransferSyntax.of(JPEG_SV1)))
        .isInstanceOf(CodecException.class).hasMessageContaining("exceed the decoding limit");
  }

  @Test
  void fewerFramesThanDeclaredAreRefused() {
    DataSet ds = TestCt.slice("1.2.3", "1.2.3.4", "1.2.3.4.5", 0, 8, 1);
    ds.putString(Tag.NumberOfFrames, Vr.IS, "3");
    ds.put(Element.ofFragments(Tag.PixelData, Vr.OB, List.of(new byte[0], new byte[] {(byte) 0xFF, (byte) 0xD8, 0, 0},
        new byte[] {1, 2})));
    assertThatThrownBy(() -> PixelData.decode(ds, TransferSyntax.of(JPEG_SV1)))
        .isInstanceOf(CodecException.class).hasMessageContaining("3 frames declared but 1 found");
  }

  @Test
  void garbageInEverySyntaxIsRefusedWithAReason() {
    byte[] garbage = new byte[256];
    new Random(7).nextBytes(garbage);
    for (String ts : List.of(RLE, JPEG_SV1, "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.80",
        "1.2.840.10008.1.2.4.90")) {
      DataSet ds = TestCt.slice("1.2.3", "1.2.3.4", "1.2.3.4.5", 0, 8, 1);
      ds.put(Element.ofFragments(Tag.PixelData, Vr.OB, List.of(new byte[0], garbage)));
      assertThatThrownBy(() -> PixelData.decode(ds, TransferSyntax.of(ts))).as(ts)
          .isInstanceOf(CodecException.class).hasMessageNotContaining("null");
    }
  }

  /**
   * Streams made by DCMTK and OpenJPEG from a small CT slice, then damaged at random (bytes
   * changed, cut short): each damaged stream decodes or is refused with a CodecException, and all
   * of them together within a time bound.
   */
  @ParameterizedTest
  @ValueSource(strings = {"dcmcrle", "dcmcjpeg +e1", "dcmcjpeg +ee", "dcmcjpls +el", "dcmcjpls +en", "opj_compress"})
  void damagedStreamsAreDecodedOrRefusedQuickly(String encoder) throws Exception {
    String tool = encoder.split(" ")[0];
    assumeTrue(Tools.installed(tool), tool + " is not installed; skipped");
    DataSet original = TestCt.slice(TestCt.uid(), TestCt.uid(), TestCt.uid(), 0, 64, 3);
    original.putUS(Tag.BitsStored, 12).putUS(Tag.HighBit, 11).putUS(Tag.PixelRepresentation, 0);
    byte[] pixels = original.get(Tag.PixelData).orElseThrow().value();
    for (int i = 1; i < pixels.length; i += 2) {
      pixels[i] &= 0x0F;
    }
    Part10.DicomFile file = compress(original, encoder);
    DataSet valid = file.dataSet();
    PixelData.decode(valid, file.transferSyntax());
    byte[] stream = valid.get(Tag.PixelData).orElseThrow().fragments().get(1);
    Random random = new Random(42);
    List<String> outcomes = new ArrayList<>();
    long[] slowest = new long[1];
    int rounds = ROUNDS;
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      for (int round = 0; round < rounds; round++) {
        long start = System.nanoTime();
        byte[] damaged = damage(stream, random);
        valid.put(Element.ofFragments(Tag.PixelData, Vr.OB, List.of(new byte[0], damaged)));
        try {
          assertThat(PixelData.decode(valid, file.transferSyntax())).hasSize(64 * 64 * 2);
          outcomes.add("decoded");
        } catch (CodecException refused) {
          outcomes.add("refused");
        }
        slowest[0] = Math.max(slowest[0], System.nanoTime() - start);
      }
    });
    System.out.printf("%s: %d damaged streams, %d refused, slowest %.1f ms%n", encoder, outcomes.size(),
        outcomes.stream().filter("refused"::equals).count(), slowest[0] / 1e6);
    assertThat(outcomes).hasSize(rounds).contains("refused");
  }

  private Part10.DicomFile compress(DataSet original, String encoder) throws Exception {
    Path in = work.resolve("in.dcm");
    Path out = work.resolve("out.dcm");
    Files.write(in, Part10.toBytes(original, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
    if (encoder.equals("opj_compress")) {
      Path raw = work.resolve("in.rawl");
      Path j2k = work.resolve("out.j2k");
      Files.write(raw, original.get(Tag.PixelData).orElseThrow().value());
      Tools.check(List.of("opj_compress", "-i", raw.toString(), "-o", j2k.toString(), "-F", "64,64,1,12,u"),
          work.resolve("log"));
      byte[] cs = Files.readAllBytes(j2k);
      original.put(Element.ofFragments(Tag.PixelData, Vr.OB,
          List.of(new byte[0], java.util.Arrays.copyOf(cs, cs.length + cs.length % 2))));
      return Part10.read(Part10.toBytes(original, TransferSyntax.of("1.2.840.10008.1.2.4.90")));
    }
    List<String> command = new ArrayList<>(List.of(encoder.split(" ")));
    command.addAll(List.of(in.toString(), out.toString()));
    Tools.check(command, work.resolve("log"));
    return Part10.read(Files.readAllBytes(out));
  }

  private static byte[] damage(byte[] stream, Random random) {
    byte[] d = stream.clone();
    switch (random.nextInt(3)) {
      case 0 -> d[random.nextInt(d.length)] = (byte) random.nextInt(256);
      case 1 -> {
        for (int k = 0; k < 8; k++) {
          d[random.nextInt(d.length)] ^= (byte) (1 << random.nextInt(8));
        }
      }
      default -> d = java.util.Arrays.copyOf(d, random.nextInt(d.length));
    }
    return d;
  }

  private static void put32(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >> 8);
    b[at + 2] = (byte) (v >> 16);
    b[at + 3] = (byte) (v >> 24);
  }
}
