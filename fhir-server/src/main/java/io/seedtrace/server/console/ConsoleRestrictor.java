package io.seedtrace.server.console;

import java.util.Map;
import java.util.Set;
import javax.management.ObjectName;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the web console may do through Jolokia ({@code management.endpoint.jolokia.config.restrictorClass}):
 * requests by POST only (a GET is a link any page can make a browser follow); read, list, search and
 * version of any MBean; no attribute writes; and of the operations only those the Hawtio console
 * needs to show and manage Camel routes: start, stop, suspend and resume a route or context, and the
 * read-only dumps of routes, statistics and traced messages, plus Hawtio's own questions about
 * itself (its MBean registry listing and its "may I invoke this" checks).
 * Sending a message to an endpoint, creating endpoints, changing routes or browsing messages is
 * refused. No CORS headers are ever sent, so a page of another origin cannot read an answer; the
 * origin itself is checked before Jolokia by {@link ConsoleOriginFilter}.
 */
public final class ConsoleRestrictor implements Restrictor {

  private static final Logger LOG = LoggerFactory.getLogger(ConsoleRestrictor.class);

  private static final Set<RequestType> TYPES = Set.of(RequestType.READ, RequestType.LIST, RequestType.SEARCH,
      RequestType.VERSION, RequestType.EXEC);

  /** Operations allowed by MBean domain; names without their signature. */
  private static final Map<String, Set<String>> OPERATIONS = Map.of(
      "org.apache.camel", Set.of("start", "stop", "suspend", "resume", "dumpRoutesAsXml", "dumpRouteStatsAsXml",
          "dumpStatsAsXml", "dumpTracedMessagesAsXml", "dumpAllTracedMessagesAsXml", "listRestServices",
          "isUpdateRouteEnabled"),
      "hawtio", Set.of("list", "canInvoke"));

  @Override
  public boolean isHttpMethodAllowed(HttpMethod method) {
    return method == HttpMethod.POST;
  }

  @Override
  public boolean isTypeAllowed(RequestType type) {
    return TYPES.contains(type);
  }

  @Override
  public boolean isAttributeReadAllowed(ObjectName name, String attribute) {
    return true;
  }

  @Override
  public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
    LOG.warn("console: write of {} on {} refused (no attribute writes)", attribute, name);
    return false;
  }

  @Override
  public boolean isOperationAllowed(ObjectName name, String operation) {
    int paren = operation.indexOf('(');
    String bare = (paren < 0 ? operation : operation.substring(0, paren)).trim();
    boolean allowed = OPERATIONS.getOrDefault(name.getDomain(), Set.of()).contains(bare)
        && (!name.getDomain().equals("hawtio") || "security".equals(name.getKeyProperty("type")));
    if (!allowed) {
      LOG.warn("console: operation {} on {} refused (not one the console needs)", operation, name);
    }
    return allowed;
  }

  @Override
  public boolean isRemoteAccessAllowed(String... hostOrAddress) {
    return true; // who may call is decided by Spring Security (admin role) before Jolokia runs
  }

  /**
   * Without {@code strict} Jolokia asks whether to echo the origin in CORS headers: never. The strict
   * question (refuse the request?) is answered by {@link ConsoleOriginFilter}, which knows this
   * server's own origin.
   */
  @Override
  public boolean isOriginAllowed(String origin, boolean strict) {
    return strict;
  }

  @Override
  public boolean isObjectNameHidden(ObjectName name) {
    return false;
  }
}
