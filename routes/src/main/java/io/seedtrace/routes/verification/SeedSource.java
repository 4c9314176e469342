package io.seedtrace.routes.verification;

import java.time.Instant;
import java.util.Optional;

/**
 * What the cartridge of an implant says about the strength of its seeds, for the dose.
 *
 * @param model the seed model as the cartridge names it (e.g. "OncoSeed 6711"), matched to the
 *     bundled TG-43 data by its model number
 * @param seedActivityMbq apparent activity of one seed at {@code calibration}, MBq
 * @param calibration when that activity was measured
 * @param implantTime when the seeds were implanted, if recorded
 */
public record SeedSource(String model, double seedActivityMbq, Instant calibration, Optional<Instant> implantTime) {}
