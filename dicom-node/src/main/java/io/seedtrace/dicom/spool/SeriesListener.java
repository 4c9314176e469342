package io.seedtrace.dicom.spool;

/**
 * Receives series events. Delivery is at least once: an event counts as delivered only when this
 * method returns normally; if it throws, or the process dies first, the event comes again.
 */
@FunctionalInterface
public interface SeriesListener {

  void onSeriesStable(SeriesStableEvent event) throws Exception;
}
