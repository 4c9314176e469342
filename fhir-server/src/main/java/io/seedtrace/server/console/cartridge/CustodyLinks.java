package io.seedtrace.server.console.cartridge;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import io.seedtrace.server.custody.FhirStore;
import io.seedtrace.server.database.SchemaStatements;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.SupplyDelivery;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Which shipments, implants and reports name a cartridge where FHIR R4 has no search parameter
 * (a SupplyDelivery's supplied item, a Procedure's focal device, a report's extension), kept in
 * {@code st_custody_link} so the cartridge page finds them without reading the whole store. A row
 * is written by a storage hook in the same transaction as the resource; rows are only added (a
 * resource that no longer names the device is dropped by the reader, which checks each one).
 */
public final class CustodyLinks {

  static final List<String> SCHEMA = List.of(
      "CREATE TABLE IF NOT EXISTS st_custody_link (device_id VARCHAR(100) NOT NULL, ref VARCHAR(100) NOT NULL)",
      "CREATE INDEX IF NOT EXISTS st_custody_link_by_device ON st_custody_link (device_id)");

  private final JdbcTemplate jdbc;
  private final FhirStore store;

  public CustodyLinks(DataSource dataSource, FhirStore store) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.store = store;
    SchemaStatements.run(jdbc, SCHEMA.toArray(String[]::new));
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
  public void created(IBaseResource resource) {
    link(resource);
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
  public void updated(IBaseResource previous, IBaseResource resource) {
    link(resource);
  }

  /** The resources that named the device when they were written ({@code Type/id}). */
  public List<String> refs(String deviceId) {
    return jdbc.queryForList("SELECT DISTINCT ref FROM st_custody_link WHERE device_id = ?", String.class, deviceId);
  }

  /** Links every shipment, implant and report of the store when the table is empty (a store older than it). */
  public void linkAllWhenEmpty() {
    Integer known = jdbc.queryForObject("SELECT COUNT(*) FROM st_custody_link", Integer.class);
    if (known != null && known > 0) {
      return;
    }
    store.all(SupplyDelivery.class).forEach(this::link);
    store.all(Procedure.class).forEach(this::link);
    store.all(DiagnosticReport.class).forEach(this::link);
  }

  private void link(IBaseResource resource) {
    Set<String> devices = new LinkedHashSet<>();
    if (resource instanceof SupplyDelivery s && s.getSuppliedItem().hasItemReference()) {
      devices.add(s.getSuppliedItem().getItemReference().getReference());
    } else if (resource instanceof Procedure p) {
      p.getFocalDevice().forEach(f -> devices.add(f.getManipulated().getReference()));
    } else if (resource instanceof DiagnosticReport r) {
      r.getExtension().stream().filter(e -> e.getValue() instanceof Reference)
          .forEach(e -> devices.add(((Reference) e.getValue()).getReference()));
    }
    devices.removeIf(d -> d == null || !d.startsWith("Device/") || d.length() > 100);
    String ref = ((Resource) resource).getIdElement().toUnqualifiedVersionless().getValue();
    for (String device : devices) {
      jdbc.update("INSERT INTO st_custody_link (device_id, ref) SELECT ?, ? WHERE NOT EXISTS"
          + " (SELECT 1 FROM st_custody_link WHERE device_id = ? AND ref = ?)", device, ref, device, ref);
    }
  }
}
