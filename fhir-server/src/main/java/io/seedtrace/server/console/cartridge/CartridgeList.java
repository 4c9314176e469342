package io.seedtrace.server.console.cartridge;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import io.seedtrace.server.console.ConsoleSearch;
import io.seedtrace.server.custody.Cartridges;
import io.seedtrace.server.custody.CustodyCodes;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Device;

/**
 * The seed cartridges (Devices typed {@code seed-cartridge}), most recently changed first, a page at
 * a time, filtered, sorted, counted and paged in SQL over the store's search index
 * ({@link ConsoleSearch}); narrowed by serial number (exact, as the chip states it), by the
 * Device's status and by the custody stage the cartridge has reached.
 */
public final class CartridgeList {

  private final ConsoleSearch search;

  public CartridgeList(ConsoleSearch search) {
    this.search = search;
  }

  /** One cartridge in the list. */
  public record Row(String id, String serial, String lot, String model, String manufacturer, Integer seeds,
      String status, String stage, Date changed) {}

  /** A page of cartridges, the offset of the next page (-1 when there is none) and how many match in all. */
  public record Page(List<Row> rows, int nextOffset, long total) {}

  /** The Device statuses the list filters by, as FHIR writes them. */
  public static final List<String> STATUSES = List.of("active", "inactive", "entered-in-error");

  /**
   * The custody stages a cartridge reaches, in order, as its page's timeline names them from the
   * chip read on (a Device exists from the chip read; ordered and shipped come before it).
   */
  public static final List<String> STAGES = List.of("received", "assembled", "implanted", "sealed", "verified");

  /**
   * SQL: the latest stage the cartridge {@code r} has reached, from what points at it in the
   * store's index: its SeedCounts ({@code Observation.device}, by code: L0 at the chip read, L3 at
   * assembly, L2 at sealing, L1 on the CT) and its implant ({@code Procedure.focalDevice.manipulated}).
   */
  static final String STAGE_SQL = "CASE WHEN " + counted("seed-count-imaged") + " THEN 'verified' WHEN "
      + counted("seed-count-remaining") + " THEN 'sealed' WHEN EXISTS (SELECT 1 FROM hfj_res_link l"
      + " WHERE l.target_resource_id = r.res_id AND l.src_path = 'Procedure.focalDevice.manipulated')"
      + " THEN 'implanted' WHEN " + counted("seed-count-removed") + " THEN 'assembled' ELSE 'received' END";

  private static String counted(String code) {
    return "EXISTS (SELECT 1 FROM hfj_res_link l JOIN hfj_spidx_token c ON c.res_id = l.src_resource_id"
        + " WHERE l.target_resource_id = r.res_id AND l.src_path = 'Observation.device' AND c.sp_name = 'code'"
        + " AND c.sp_system = '" + CustodyCodes.CS + "' AND c.sp_value = '" + code + "')";
  }

  /** The stage as the list writes it, or empty for an unknown one. */
  public static Optional<String> stage(String wanted) {
    String s = wanted.trim().toLowerCase(Locale.ROOT);
    return STAGES.contains(s) ? Optional.of(s) : Optional.empty();
  }

  /** The status as FHIR writes it, or empty for an unknown one. */
  public static Optional<String> status(String wanted) {
    String s = wanted.trim().toLowerCase(Locale.ROOT);
    return STATUSES.contains(s) ? Optional.of(s) : Optional.empty();
  }

  /**
   * @param serial the serial number, or {@code null} for every cartridge
   * @param status a value of {@link #STATUSES}, or {@code null} for any
   * @param stage a value of {@link #STAGES}, or {@code null} for any
   */
  public Page page(String serial, String status, String stage, int offset, int size) {
    ConsoleSearch.Query query = new ConsoleSearch.Query("Device").token("type", CustodyCodes.CS, "seed-cartridge");
    if (serial != null) {
      query.token("identifier", CustodyCodes.SID_SERIAL, serial);
    }
    if (status != null) {
      query.token("status", null, status);
    }
    if (stage != null) {
      query.where("(" + STAGE_SQL + ") = ?", List.of(stage));
    }
    ConsoleSearch.Ids ids = search.page(query, "ORDER BY r.res_updated DESC, r.res_id DESC", offset, size);
    Map<String, String> stages = search.values("Device", STAGE_SQL, ids.ids());
    List<Row> rows = search.resources(Device.class, ids.ids()).stream()
        .map(d -> row(d, stages.get(d.getIdElement().getIdPart()))).toList();
    return new Page(rows, offset + size < ids.total() ? offset + size : -1, ids.total());
  }

  private static Row row(Device d, String stage) {
    return new Row(d.getIdElement().getIdPart(), d.getSerialNumber(), d.getLotNumber(), d.getModelNumber(),
        d.getManufacturer(), seeds(d), d.hasStatus() ? d.getStatus().toCode() : "", stage,
        d.getMeta().getLastUpdated());
  }

  /** The seeds the chip declared, or {@code null} for a Device without them (one bad row spoils no page). */
  private static Integer seeds(Device d) {
    try {
      return Cartridges.seedCount(d);
    } catch (UnprocessableEntityException e) {
      return null;
    }
  }
}
