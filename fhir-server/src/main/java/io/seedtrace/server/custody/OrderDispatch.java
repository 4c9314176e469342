package io.seedtrace.server.custody;

import org.hl7.fhir.r4.model.SupplyRequest;

/**
 * Where an accepted seed order goes once it is stored: to the manufacturer's node as a signed
 * custody message when the network knows one ({@code io.seedtrace.server.network}), else to the
 * Camel route {@code seed-order-to-manufacturer} and its configured endpoints.
 */
@FunctionalInterface
public interface OrderDispatch {

  void accepted(SupplyRequest order);
}
