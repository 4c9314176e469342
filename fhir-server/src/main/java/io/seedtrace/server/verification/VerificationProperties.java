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
    @DefaultValue("30s") Duration detectionBudget) {}
