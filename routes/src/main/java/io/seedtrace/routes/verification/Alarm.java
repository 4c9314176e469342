package io.seedtrace.routes.verification;

/**
 * Something a verification found that the administrator and the EHR must hear about.
 *
 * @param kind a SeedAlert code, e.g. {@code count-mismatch}, {@code position-deviation}
 * @param detail one or more sentences that say what was found, with the numbers
 */
public record Alarm(String kind, String detail) {}
