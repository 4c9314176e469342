package io.seedtrace.server.console.cartridge;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import io.seedtrace.server.console.ConsoleSearch;
import io.seedtrace.server.custody.Cartridges;
import io.seedtrace.server.custody.CustodyCodes;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.hl7.fhir.r4.model.Device;

/**
 * The seed cartridges (Devices typed {@code seed-cartridge}), most recently changed first, a page at
 * a time, filtered, sorted, counted and paged in SQL over the store's search index
 * ({@link ConsoleSearch}); narrowed by serial number (exact, as the chip states it) and by the
 * Device's status.
 */
public final class CartridgeList {

  private final ConsoleSearch search;

  public CartridgeList(ConsoleSearch search) {
    this.search = search;
  }

  /** One cartridge in the list. */
  public record Row(String id, String serial, String lot, String model, String manufacturer, Integer seeds,
      String status, Date changed) {}

  /** A page of cartridges, the offset of the next page (-1 when there is none) and how many match in all. */
  public record Page(List<Row> rows, int nextOffset, long total) {}

  /** The Device statuses the list filters by, as FHIR writes them. */
  public static final List<String> STATUSES = List.of("active", "inactive", "entered-in-error");

  /** The status as FHIR writes it, or empty for an unknown one. */
  public static Optional<String> status(String wanted) {
    String s = wanted.trim().toLowerCase(Locale.ROOT);
    return STATUSES.contains(s) ? Optional.of(s) : Optional.empty();
  }

  /**
   * @param serial the serial number, or {@code null} for every cartridge
   * @param status a value of {@link #STATUSES}, or {@code null} for any
   */
  public Page page(String serial, String status, int offset, int size) {
    ConsoleSearch.Query query = new ConsoleSearch.Query("Device").token("type", CustodyCodes.CS, "seed-cartridge");
    if (serial != null) {
      query.token("identifier", CustodyCodes.SID_SERIAL, serial);
    }
    if (status != null) {
      query.token("status", null, status);
    }
    ConsoleSearch.Ids ids = search.page(query, "ORDER BY r.res_updated DESC, r.res_id DESC", offset, size);
    List<Row> rows = search.resources(Device.class, ids.ids()).stream().map(CartridgeList::row).toList();
    return new Page(rows, offset + size < ids.total() ? offset + size : -1, ids.total());
  }

  private static Row row(Device d) {
    return new Row(d.getIdElement().getIdPart(), d.getSerialNumber(), d.getLotNumber(), d.getModelNumber(),
        d.getManufacturer(), seeds(d), d.hasStatus() ? d.getStatus().toCode() : "",
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
