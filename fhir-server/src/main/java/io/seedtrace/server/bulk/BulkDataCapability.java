package io.seedtrace.server.bulk;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;

/**
 * Declares in the CapabilityStatement that the server implements the Bulk Data IG's export
 * ({@code instantiates}); the {@code $export} operations themselves are listed from their providers.
 */
@Interceptor
public class BulkDataCapability {

  static final String BULK_DATA = "http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data";

  @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
  public void declare(IBaseConformance conformance) {
    CapabilityStatement statement = (CapabilityStatement) conformance;
    if (!statement.hasInstantiates(BULK_DATA)) {
      statement.addInstantiates(BULK_DATA);
    }
  }
}
