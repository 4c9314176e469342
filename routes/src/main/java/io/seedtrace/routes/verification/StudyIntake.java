package io.seedtrace.routes.verification;

import io.seedtrace.dicom.spool.SeriesStableEvent;
import java.util.function.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The pipeline's entry: a stable CT series is queued for verification (durably, before the DICOM
 * node hears that the event was taken); an RT Plan, RT Structure Set or Spatial Registration is
 * kept as a plan source, an MR series for fusion; any other series is left alone.
 */
final class StudyIntake implements Processor {

  private final boolean enabled;
  private final Consumer<SeriesStableEvent> queue;
  private final ImplantRecords implants;

  /** @param queue queues a CT study durably (the table, or the broker with a confirm), or throws */
  StudyIntake(boolean enabled, Consumer<SeriesStableEvent> queue, ImplantRecords implants) {
    this.enabled = enabled;
    this.queue = queue;
    this.implants = implants;
  }

  @Override
  public void process(Exchange exchange) throws Exception {
    SeriesStableEvent event = exchange.getMessage().getMandatoryBody(SeriesStableEvent.class);
    String modality = event.modality() == null ? "" : event.modality();
    if (!enabled) {
      return;
    }
    switch (modality) {
      case "RTPLAN", "RTSTRUCT", "REG", "MR" -> implants.keepPlanObjects(event, modality);
      case "CT" -> queue.accept(event);
      default -> { }
    }
  }
}
