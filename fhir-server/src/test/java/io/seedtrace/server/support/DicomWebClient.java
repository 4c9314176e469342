package io.seedtrace.server.support;

import io.seedtrace.dicom.web.MultipartReader;
import io.seedtrace.dicom.web.MultipartWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * DICOMweb calls made by curl, as a PACS or viewer would make them: real multipart bodies of Part
 * 10 files written to disk and posted with {@code --data-binary}, answers read with headers.
 */
public final class DicomWebClient {

  public static final String BOUNDARY = "DICOMwebBoundary-7d1e";
  public static final String STOW_TYPE = "multipart/related; type=\"application/dicom\"; boundary=" + BOUNDARY;

  private final String baseUrl;
  private final Path dir;

  /** What curl got: status, headers (lower-case names, one line each) and body. */
  public record Answer(int status, List<String> headers, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public Optional<String> header(String name) {
      return headers.stream().filter(h -> h.toLowerCase().startsWith(name.toLowerCase() + ":"))
          .map(h -> h.substring(name.length() + 1).trim()).findFirst();
    }
  }

  public DicomWebClient(String baseUrl, Path dir) {
    this.baseUrl = baseUrl;
    this.dir = dir;
  }

  public static boolean curlInstalled() {
    return Files.isExecutable(Path.of("/usr/bin/curl")) || Files.isExecutable(Path.of("/usr/local/bin/curl"));
  }

  /** A multipart/related body of these Part 10 files (boundary {@link #BOUNDARY}). */
  public static byte[] body(List<byte[]> files) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MultipartWriter writer = new MultipartWriter(out, BOUNDARY);
    try {
      for (byte[] f : files) {
        writer.part("application/dicom", f);
      }
      writer.finish();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** POSTs {@code body} to {@code path} with this Content-Type and bearer token (null: none). */
  public Answer post(String path, String token, String contentType, byte[] body) throws Exception {
    Path file = Files.createTempFile(dir, "stow-", ".body");
    Files.write(file, body);
    List<String> args = new ArrayList<>(List.of("-X", "POST", "-H", "Content-Type: " + contentType,
        "-H", "Expect:", "--data-binary", "@" + file));
    return curl(path, token, args);
  }

  /** GETs {@code path} with this Accept (null: none). */
  public Answer get(String path, String token, String accept) throws Exception {
    List<String> args = new ArrayList<>();
    if (accept != null) {
      args.addAll(List.of("-H", "Accept: " + accept));
    }
    return curl(path, token, args);
  }

  private Answer curl(String path, String token, List<String> more) throws Exception {
    Path headers = Files.createTempFile(dir, "curl-", ".headers");
    Path body = Files.createTempFile(dir, "curl-", ".out");
    List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-S", "-D", headers.toString(), "-o", body.toString()));
    if (token != null) {
      cmd.addAll(List.of("-H", "Authorization: Bearer " + token));
    }
    cmd.addAll(more);
    cmd.add(baseUrl + path);
    Process curl = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (curl.waitFor() != 0) {
      throw new IOException("curl failed: " + output);
    }
    List<String> lines = Files.readAllLines(headers, StandardCharsets.ISO_8859_1).stream()
        .filter(l -> !l.isBlank()).toList();
    // the last status line (after a 100 Continue, if any)
    int statusLine = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("HTTP/")) {
        statusLine = i;
      }
    }
    int status = Integer.parseInt(lines.get(statusLine).split(" ")[1]);
    return new Answer(status, lines.subList(statusLine + 1, lines.size()), Files.readAllBytes(body));
  }

  /** The parts of a multipart answer, given its Content-Type. */
  public static List<byte[]> parts(Answer answer) throws IOException {
    String type = answer.header("Content-Type").orElseThrow();
    String boundary = type.replaceAll(".*boundary=\"?([^\";]+)\"?.*", "$1");
    MultipartReader reader = new MultipartReader(new ByteArrayInputStream(answer.body()), boundary, 8192);
    List<byte[]> parts = new ArrayList<>();
    for (Optional<MultipartReader.Part> p = reader.next(); p.isPresent(); p = reader.next()) {
      parts.add(p.get().body().readAllBytes());
    }
    return parts;
  }
}
