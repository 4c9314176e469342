package io.seedtrace.routes.verification;

import io.seedtrace.dicom.spool.SeriesStableEvent;

/**
 * What the verification route calls for each stable series: a CT series starts a verification,
 * an RT Plan, RT Structure Set or Spatial Registration is kept as a plan source. Implemented by
 * the server (it needs the FHIR store). Must be idempotent: an event can come again after a crash.
 */
@FunctionalInterface
public interface SeriesVerifier {

  void onSeriesStable(SeriesStableEvent event) throws Exception;
}
