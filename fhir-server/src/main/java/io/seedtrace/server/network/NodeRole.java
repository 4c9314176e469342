package io.seedtrace.server.network;

/**
 * What an organisation's SeedTrace node is in the supervision network, and which custody messages
 * it may send ({@link CustodyEvent#sender()}). The receiver checks the event against the role it
 * has configured for the sender, so a hospital cannot announce a shipment and a manufacturer
 * cannot report an implant.
 */
public enum NodeRole {
  HOSPITAL, MANUFACTURER, AUTHORITY;

  public boolean sends(CustodyEvent event) {
    return event.sender() == this;
  }

  /** The name in configuration and in the node description, e.g. {@code manufacturer}. */
  public String configName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
