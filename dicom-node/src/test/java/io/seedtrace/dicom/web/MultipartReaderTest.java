package io.seedtrace.dicom.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartReaderTest {

  private static byte[] body(String boundary, List<byte[]> parts) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MultipartWriter writer = new MultipartWriter(out, boundary);
    for (byte[] p : parts) {
      writer.part("application/dicom", p);
    }
    writer.finish();
    return out.toByteArray();
  }

  private static List<byte[]> read(InputStream in, String boundary) throws IOException {
    MultipartReader reader = new MultipartReader(in, boundary, 1024);
    List<byte[]> parts = new ArrayList<>();
    for (Optional<MultipartReader.Part> p = reader.next(); p.isPresent(); p = reader.next()) {
      assertThat(p.get().header("Content-Type")).contains("application/dicom");
      parts.add(p.get().body().readAllBytes());
    }
    return parts;
  }

  /** Delivers at most {@code n} bytes per read, as a slow socket does. */
  private static InputStream trickle(byte[] bytes, int n) {
    return new FilterInputStream(new ByteArrayInputStream(bytes)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, n));
      }
    };
  }

  @Test
  void partsLargerThanTheBufferAndFullOfNearBoundariesComeBackByteForByte() throws IOException {
    String boundary = "b0undary";
    Random random = new Random(7);
    byte[] big = new byte[3 * MultipartReader.BUFFER + 17];
    random.nextBytes(big);
    // near misses of the delimiter, one right at a buffer edge
    byte[] nearMiss = "\r\n--b0undarX\r\n--b0und".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(nearMiss, 0, big, MultipartReader.BUFFER - 5, nearMiss.length);
    System.arraycopy(nearMiss, 0, big, 1000, nearMiss.length);
    List<byte[]> parts = List.of(big, new byte[0], "x".getBytes(StandardCharsets.US_ASCII), "\r\n".getBytes(StandardCharsets.US_ASCII));
    byte[] body = body(boundary, parts);
    for (int chunk : new int[] {1, 7, 4096, Integer.MAX_VALUE}) {
      List<byte[]> read = read(trickle(body, chunk), boundary);
      assertThat(read).hasSize(parts.size());
      for (int i = 0; i < parts.size(); i++) {
        assertThat(read.get(i)).as("part %d read %d bytes at a time", i, chunk).isEqualTo(parts.get(i));
      }
    }
  }

  @Test
  void aPreambleAndEpilogueAreIgnoredAndAnUnreadPartIsSkipped() throws IOException {
    byte[] body = ("this is a preamble\r\n--xyz\r\nContent-Type: application/dicom\r\n\r\nfirst\r\n--xyz  \r\n"
        + "Content-Type: application/dicom\r\n\r\nsecond\r\n--xyz--\r\nepilogue").getBytes(StandardCharsets.US_ASCII);
    MultipartReader reader = new MultipartReader(new ByteArrayInputStream(body), "xyz", 1024);
    reader.next().orElseThrow(); // not read
    assertThat(reader.next().orElseThrow().body().readAllBytes()).asString(StandardCharsets.US_ASCII).isEqualTo("second");
    assertThat(reader.next()).isEmpty();
  }

  @Test
  void aBodyCutInsideAPartIsRefusedAfterTheWholeParts() throws IOException {
    byte[] whole = body("cut", List.of("one".getBytes(StandardCharsets.US_ASCII), new byte[5000]));
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 2000);
    MultipartReader reader = new MultipartReader(new ByteArrayInputStream(cut), "cut", 1024);
    assertThat(reader.next().orElseThrow().body().readAllBytes()).hasSize(3);
    InputStream second = reader.next().orElseThrow().body();
    assertThatThrownBy(second::readAllBytes).isInstanceOf(MalformedMultipartException.class)
        .hasMessageContaining("ends inside a part");
  }

  @Test
  void bodiesThatAreNotMultipartAreRefusedWithTheReason() {
    assertThatThrownBy(() -> read(new ByteArrayInputStream(new byte[200_000]), "none"))
        .isInstanceOf(MalformedMultipartException.class).hasMessageContaining("before the first boundary");
    String longHeader = "--h\r\nX-Long: " + "a".repeat(2000) + "\r\n\r\nbody\r\n--h--";
    assertThatThrownBy(() -> read(new ByteArrayInputStream(longHeader.getBytes(StandardCharsets.US_ASCII)), "h"))
        .isInstanceOf(MalformedMultipartException.class).hasMessageContaining("longer than 1024");
    assertThatThrownBy(() -> new MultipartReader(InputStream.nullInputStream(), "", 1024))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
