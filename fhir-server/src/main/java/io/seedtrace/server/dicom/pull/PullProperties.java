package io.seedtrace.server.dicom.pull;

import io.seedtrace.dicom.net.QueryRetrieveScu;
import io.seedtrace.routes.pull.PullSettings;
import io.seedtrace.server.dicom.DicomProperties;
import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The pull rule, under {@code seedtrace.dicom.pull}: when an implant has no verification
 * {@code deadline} after it was performed, its post-implant CT is searched on the PACS (C-FIND by
 * patient and date) and moved to our node (C-MOVE), then verified as if pushed.
 *
 * @param enabled off by default: a PACS must be configured
 * @param patientIdSystem the Patient identifier system whose value is the DICOM Patient ID the PACS
 *     knows; empty: the patient's first identifier
 * @param ourAeTitle the move destination; empty: {@code seedtrace.dicom.ae-title}
 * @param tls query the PACS over DICOM TLS with the {@code seedtrace.dicom.tls.*} keystore and
 *     truststore (the PACS certificate must be trusted and name {@code pacs-host})
 * @param retrieve {@code move} (the PACS sends the CT to our Storage SCP) or {@code get} (on our
 *     own association, for a PACS that cannot connect back to us)
 * @param maxSubOperations instances one C-GET may bring (more are refused and the C-GET cancelled)
 */
@ConfigurationProperties("seedtrace.dicom.pull")
public record PullProperties(
    @DefaultValue("false") boolean enabled,
    @DefaultValue("48h") Duration deadline,
    @DefaultValue("14d") Duration lookback,
    @DefaultValue("7") int searchDays,
    @DefaultValue("5m") Duration pollPeriod,
    @DefaultValue("") String pacsAeTitle,
    @DefaultValue("") String pacsHost,
    @DefaultValue("104") int pacsPort,
    @DefaultValue("") String ourAeTitle,
    @DefaultValue("") String patientIdSystem,
    @DefaultValue("10") int maxAttempts,
    @DefaultValue("5m") Duration initialBackoff,
    @DefaultValue("6h") Duration maxBackoff,
    @DefaultValue("30m") Duration lease,
    @DefaultValue("30s") Duration responseTimeout,
    @DefaultValue("10m") Duration maxDuration,
    @DefaultValue("500") int maxResults,
    @DefaultValue("false") boolean tls,
    @DefaultValue("move") PullSettings.Retrieve retrieve,
    @DefaultValue("10000") int maxSubOperations) {

  /** The settings of the rule, our AE title defaulting to the node's, TLS with the node's keys. */
  public PullSettings settings(DicomProperties dicom) {
    return new PullSettings(deadline, lookback, searchDays, pollPeriod, pacsAeTitle, pacsHost, pacsPort,
        ourAeTitle.isBlank() ? dicom.aeTitle() : ourAeTitle, maxAttempts, initialBackoff, maxBackoff, lease,
        new QueryRetrieveScu.Limits(responseTimeout, maxDuration, maxResults, maxSubOperations),
        tls ? Optional.of(dicom.tls().clientSettings("seedtrace.dicom.pull.tls")) : Optional.empty(), retrieve);
  }
}
