package io.seedtrace.server.custody;

import io.seedtrace.core.storage.StorageModelSettings;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Chain-of-custody settings ({@code seedtrace.custody.*}).
 *
 * @param manufacturerEndpoints Camel URIs an accepted order is sent to
 * @param adminEndpoints Camel URIs of the administrator channel (besides the stored Communication)
 * @param keystore PKCS#12 keystore holding the master key of the sealing records; created with a
 *     fresh key on first start when absent; default {@code <data-dir>/security/sealing.p12}
 * @param keystorePassword its password; the prod profile refuses the development default
 * @param hospitalKeyId key id of the hospital's chip-signing key (written into sealing blocks)
 * @param activityTolerance relative difference between ordered and shipped activity that is still accepted
 * @param traceFailuresBeforeListing failed trace calls of one authenticated client within
 *     {@code traceFailureWindow} after which the client is quarantined (see {@link TraceGuard})
 * @param traceFailuresPerAddressBeforeListing failed trace calls from one originating address
 *     (several clients may share it) within {@code traceFailureWindow} after which the address is
 *     quarantined
 * @param storageModel the storage model's N, K, thresholds and random seed
 */
@ConfigurationProperties("seedtrace.custody")
public record CustodyProperties(
    @DefaultValue("log:io.seedtrace.orders?level=INFO&showHeaders=true") List<String> manufacturerEndpoints,
    @DefaultValue("log:io.seedtrace.admin?level=WARN") List<String> adminEndpoints,
    @DefaultValue("") String keystore,
    @DefaultValue("seedtrace-dev-keystore") String keystorePassword,
    @DefaultValue("SEEDTRACE-HOSPITAL-1") String hospitalKeyId,
    @DefaultValue("0.05") double activityTolerance,
    @DefaultValue("5") int traceFailuresBeforeListing,
    @DefaultValue("10") int traceFailuresPerAddressBeforeListing,
    @DefaultValue("10m") Duration traceFailureWindow,
    StorageModel storageModel) {

  public static final String DEV_KEYSTORE_PASSWORD = "seedtrace-dev-keystore";

  public CustodyProperties {
    if (storageModel == null) {
      storageModel = new StorageModel(200, 120, 4, 0.5, 0.3, 4, 10, 2026);
    }
  }

  /** Storage model parameters; see {@link StorageModelSettings}. */
  public record StorageModel(@DefaultValue("200") int populationSize, @DefaultValue("120") int usedInPopulation,
      @DefaultValue("4") int initialBins, @DefaultValue("0.5") double averageThreshold,
      @DefaultValue("0.3") double judgementThreshold, @DefaultValue("4") int retentionThreshold,
      @DefaultValue("10") int maxIterations, @DefaultValue("2026") long randomSeed) {

    public StorageModelSettings settings() {
      return new StorageModelSettings(populationSize, usedInPopulation, initialBins, averageThreshold,
          judgementThreshold, retentionThreshold, maxIterations, randomSeed);
    }
  }
}
