package io.seedtrace.server.support;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What an intruder with access to the database does, bypassing the FHIR server: edits the stored
 * text of a resource's current version, or hides a resource as deleted; and the undo. HAPI FHIR's
 * tables: {@code hfj_resource} (one row per resource) and {@code hfj_res_ver} (its versions, text
 * inline as JSON or compressed as JSONC).
 */
public final class StoredResources {

  private final JdbcTemplate jdbc;

  public StoredResources(DataSource dataSource) {
    this.jdbc = new JdbcTemplate(dataSource);
  }

  /** The stored JSON of the current version of {@code Type/id}. */
  public String json(String typeAndId) {
    Map<String, Object> row = currentVersion(typeAndId);
    if (row.get("res_text_vc") != null) {
      return (String) row.get("res_text_vc");
    }
    byte[] text = (byte[]) row.get("res_text");
    return "JSONC".equals(row.get("res_encoding")) ? gunzip(text) : new String(text, StandardCharsets.UTF_8);
  }

  /** Replaces the stored JSON of the current version, in the same encoding. */
  public void edit(String typeAndId, UnaryOperator<String> change) {
    Map<String, Object> row = currentVersion(typeAndId);
    String changed = change.apply(json(typeAndId));
    if (row.get("res_text_vc") != null) {
      jdbc.update("UPDATE hfj_res_ver SET res_text_vc = ? WHERE res_id = ? AND res_ver = ?", changed,
          row.get("res_id"), row.get("res_ver"));
    } else {
      byte[] bytes = "JSONC".equals(row.get("res_encoding")) ? gzip(changed) : changed.getBytes(StandardCharsets.UTF_8);
      jdbc.update("UPDATE hfj_res_ver SET res_text = ? WHERE res_id = ? AND res_ver = ?", bytes, row.get("res_id"),
          row.get("res_ver"));
    }
  }

  /** Marks the resource deleted, as if removed, or (with {@code false}) back. */
  public void hide(String typeAndId, boolean hidden) {
    String[] parts = typeAndId.split("/");
    jdbc.update("UPDATE hfj_resource SET res_deleted_at = ? WHERE res_type = ? AND fhir_id = ?",
        hidden ? Timestamp.from(Instant.now()) : null, parts[0], parts[1]);
  }

  private Map<String, Object> currentVersion(String typeAndId) {
    String[] parts = typeAndId.split("/");
    return jdbc.queryForMap("SELECT v.res_id, v.res_ver, v.res_text_vc, v.res_text, v.res_encoding FROM hfj_res_ver v"
        + " JOIN hfj_resource r ON r.res_id = v.res_id AND r.res_ver = v.res_ver"
        + " WHERE r.res_type = ? AND r.fhir_id = ?", parts[0], parts[1]);
  }

  private static String gunzip(byte[] bytes) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] gzip(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
