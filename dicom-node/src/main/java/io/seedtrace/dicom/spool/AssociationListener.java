package io.seedtrace.dicom.spool;

/**
 * Hears which series an association carried and how the association ended, so that a series whose
 * transfer broke off is not taken for a whole one. Calls come in receipt order with the instances:
 * {@link #carried} before the first instance of the series on that association, {@link #ended}
 * after its last.
 */
public interface AssociationListener {

  /** Hears nothing. */
  AssociationListener NONE = new AssociationListener() {
    @Override
    public void carried(String seriesUid) {}

    @Override
    public void ended(String seriesUid, boolean released) {}
  };

  /** An association stored its first instance of the series. */
  void carried(String seriesUid);

  /**
   * An association that carried the series ended.
   *
   * @param released true for an orderly A-RELEASE; false for an abort, a dropped connection or a timeout
   */
  void ended(String seriesUid, boolean released);
}
