package io.seedtrace.server.verification;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Post-implant verification settings ({@code seedtrace.verification.*}).
 *
 * @param matchWindow a study without a known accession number is matched to an implant of the same
 *     patient performed within this window before (or on the day after) the study
 * @param toleranceMm a matched seed further than this from its planned position raises an alarm
 * @param scoreThreshold a similarity score below this raises an alarm
 * @param maxPairDistanceMm planned and detected seeds further apart are never paired
 * @param sendToPacs send the detected seeds back to the PACS as an RT Structure Set
 * @param pacsAeTitle / pacsHost / pacsPort the PACS to send them to
 * @param pacsTls send over DICOM TLS with the node's {@code seedtrace.dicom.tls.*} settings (our
 *     certificate from the keystore; the PACS certificate must be trusted by the truststore)
 * @param detectionBudget a detection running longer is stopped and reported as "detection did not
 *     complete" (SeedAlert and administrator message); the next study is verified normally
 * @param concurrency studies verified at the same time on this node; 0: the number of processors
 *     (at least 2)
 * @param pollPeriod how often the node looks into the study queue (a new study is taken at once)
 *     and renews the leases of its studies in progress
 * @param lease how long a study stays with the node that took it without a renewal; after a crash
 *     of that node, another (or the restarted one) takes it when the lease has run out
 * @param maxAttempts attempts at a study whose steps keep failing before it is given up on (status
 *     FAILED in {@code $verifications}; the administrator sees it, a resend of the series retries)
 * @param retryBackoff the pause after a failed attempt; it doubles with each further one
 * @param stepRedeliveries a failed step is tried again this many times at once before the attempt fails
 * @param stepRedeliveryDelay the pause before a step's first redelivery; it doubles each time
 * @param nodeName this node's name in the study queue, the same after a restart; empty: the host
 *     name and the data directory
 * @param sharedSpool true when every node reads every node's DICOM spool at the same path (shared
 *     storage): any node takes any study; false: a node verifies the studies it received
 */
@ConfigurationProperties("seedtrace.verification")
public record VerificationProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("14d") Duration matchWindow,
    @DefaultValue("5.0") double toleranceMm,
    @DefaultValue("0.8") double scoreThreshold,
    @DefaultValue("15.0") double maxPairDistanceMm,
    @DefaultValue("false") boolean sendToPacs,
    @DefaultValue("") String pacsAeTitle,
    @DefaultValue("") String pacsHost,
    @DefaultValue("104") int pacsPort,
    @DefaultValue("false") boolean pacsTls,
    @DefaultValue("30s") Duration detectionBudget,
    @DefaultValue("0") int concurrency,
    @DefaultValue("1s") Duration pollPeriod,
    @DefaultValue("30s") Duration lease,
    @DefaultValue("5") int maxAttempts,
    @DefaultValue("10s") Duration retryBackoff,
    @DefaultValue("2") int stepRedeliveries,
    @DefaultValue("1s") Duration stepRedeliveryDelay,
    @DefaultValue("") String nodeName,
    @DefaultValue("false") boolean sharedSpool) {

  /** The configured concurrency, or the default for this machine. */
  public int effectiveConcurrency() {
    return concurrency > 0 ? concurrency : io.seedtrace.routes.verification.PipelineSettings.defaultConcurrency();
  }
}
