package io.seedtrace.routes.verification;

import java.util.OptionalInt;

/**
 * The seed counts of a cartridge's chain of custody, where recorded.
 *
 * @param shipped L0, read from the chip at receipt
 * @param remaining L2, recorded at sealing
 * @param removed L3, recorded at assembly
 */
public record CustodyCounts(OptionalInt shipped, OptionalInt remaining, OptionalInt removed) {}
