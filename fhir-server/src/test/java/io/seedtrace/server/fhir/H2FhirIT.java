package io.seedtrace.server.fhir;

/** The FHIR smoke tests on the default storage: the embedded H2 file database. */
class H2FhirIT extends FhirSmokeTests {}
