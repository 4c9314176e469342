package io.seedtrace.routes.verification;

import io.seedtrace.detection.BudgetedDetector;
import io.seedtrace.detection.DetectorSettings;
import io.seedtrace.detection.SeedDetector;
import io.seedtrace.detection.fusion.FusionSettings;
import java.util.Optional;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;

/**
 * The product's main flow as a Camel pipeline: a stable series enters at {@value #ENDPOINT} and
 * is queued durably; a node with a free slot takes the next study from the queue and runs it
 * through one route per step:
 *
 * <pre>
 *   series-verification (intake) -> study queue -> verification-study
 *     -> verification-match -> verification-assemble -> verification-detect -> verification-compare
 *     -> verification-count -> verification-store -> verification-deliver
 * </pre>
 *
 * A step that fails is redelivered at that step ({@code redeliveries}, growing pauses); when it
 * still fails the attempt fails and the queue takes the study again later, or gives up on it
 * after its last attempt. A step that settles the study's outcome early (no implant, series
 * incomplete, detection past its budget) records it and ends the study's run. Up to {@code
 * concurrency} studies run at once; a slow one holds up only its own slot.
 *
 * <p>With a broker ({@link BrokerSettings}) the queue is a durable RabbitMQ queue instead of the
 * table: the intake publishes with a publisher confirm, {@code concurrency} consumers take the
 * studies, and the broker hands a study whose node died (unacknowledged) to another consumer.
 */
public final class VerificationPipeline extends RouteBuilder {

  public static final String ENDPOINT = "direct:series-verification";
  public static final String ROUTE_ID = "series-verification";
  public static final String QUEUE_ROUTE_ID = "verification-queue";
  public static final String STUDY_ROUTE_ID = "verification-study";

  static final String STUDIES = "seda:verification-studies";
  static final String STEPS = "direct:verification-steps";

  /** The steps in order: route id (also the step's endpoint name) and what it does. */
  private record Step(String id, String description, Processor processor) {}

  private final PipelineSettings settings;
  private final StudyDispatcher dispatcher;
  private final Optional<BrokerSettings> broker;
  private final BrokerStudyRunner brokerRunner;
  private final StudyIntake intake;
  private final Step[] steps;
  private volatile org.apache.camel.ProducerTemplate producer;

  /** The pipeline on the study queue table. */
  public VerificationPipeline(PipelineSettings settings, StudyQueue queue, VerificationLedger ledger,
      ImplantRecords implants, VerificationArchive archive, ResultRecipients recipients) {
    this(settings, queue, Optional.empty(), ledger, implants, archive, recipients);
  }

  /** With the default dose settings. */
  public VerificationPipeline(PipelineSettings settings, StudyQueue queue, Optional<BrokerSettings> broker,
      VerificationLedger ledger, ImplantRecords implants, VerificationArchive archive, ResultRecipients recipients) {
    this(settings, DoseSettings.defaults(), queue, broker, ledger, implants, archive, recipients);
  }

  /**
   * @param queue the study queue table (not used when {@code broker} is given)
   * @param broker the RabbitMQ queue to use instead, if any
   * @param dose how the implant's dose is computed
   */
  public VerificationPipeline(PipelineSettings settings, DoseSettings dose, StudyQueue queue,
      Optional<BrokerSettings> broker, VerificationLedger ledger, ImplantRecords implants, VerificationArchive archive,
      ResultRecipients recipients) {
    this.settings = settings;
    this.broker = broker;
    this.dispatcher = new StudyDispatcher(queue, ledger, settings.concurrency());
    this.brokerRunner = broker.map(b -> new BrokerStudyRunner(b, ledger, STEPS)).orElse(null);
    this.intake = new StudyIntake(settings.enabled(), broker.isEmpty() ? queue::offer
        : event -> producer.sendBodyAndHeader(broker.get().producerUri(), StudyMessage.encode(event),
            BrokerStudyRunner.ATTEMPT, 1), implants);
    BudgetedDetector detector = new BudgetedDetector(new SeedDetector(DetectorSettings.defaults()),
        settings.detectionBudget());
    this.steps = new Step[] {
        new Step("verification-match", "Match the study to its implant (skip it when verified already)",
            new MatchImplant(ledger, implants, archive)),
        new Step("verification-assemble", "Assemble the CT volume", new AssembleVolume(archive)),
        new Step("verification-detect", "Detect the seeds within the detection budget",
            new DetectSeeds(detector, archive)),
        new Step("verification-compare", "Compare the seed positions with the plan",
            new CompareWithPlan(implants, settings.positions())),
        new Step("verification-count", "Balance the counts L0 = L1 + L2 + L3", new BalanceCounts(implants)),
        new Step("verification-fuse", "Register the patient's outlined MR to the CT and place the seeds"
            + " against the MR-contoured target", new FuseMr(implants, FusionSettings.defaults(),
                dose.dosimetry().names())),
        new Step("verification-dose", "Compute the dose on the structures within the dose budget",
            new ComputeDose(implants, dose)),
        new Step("verification-store", "Store the results", new StoreResults(archive)),
        new Step("verification-deliver", "Deliver the results to the EHR, the administrator and the PACS",
            new DeliverResults(recipients))};
  }

  @Override
  public void configure() {
    errorHandler(defaultErrorHandler().maximumRedeliveries(settings.redeliveries())
        .redeliveryDelay(settings.redeliveryDelay().toMillis()).useExponentialBackOff().backOffMultiplier(2)
        .retryAttemptedLogLevel(LoggingLevel.WARN).logExhausted(true));

    producer = getContext().createProducerTemplate();
    var intakeRoute = from(ENDPOINT).routeId(ROUTE_ID)
        .routeDescription("A stable series: queue a CT study for verification, keep an RT object as a plan")
        .errorHandler(noErrorHandler()) // a failure goes back to the DICOM node, which delivers the event again
        .process(intake);
    if (broker.isPresent()) {
      brokerRunner.start(producer);
      from(broker.get().consumerUri(settings.concurrency())).routeId(STUDY_ROUTE_ID)
          .routeDescription("Verify one study from the broker's queue " + broker.get().queue())
          .errorHandler(noErrorHandler())
          .process(brokerRunner);
    } else {
      intakeRoute.process(exchange -> dispatcher.dispatch(STUDIES)); // a new study is taken at once
      queueRoutes();
    }
    stepRoutes();
    dispatcher.start(producer);
  }

  private void queueRoutes() {
    from("timer:verification-queue?delay=" + settings.pollPeriod().toMillis() + "&period="
        + settings.pollPeriod().toMillis()).routeId(QUEUE_ROUTE_ID)
        .routeDescription("Keep the leases of the studies in progress; take due studies from the queue")
        .errorHandler(noErrorHandler())
        .process(exchange -> dispatcher.renewLeases())
        .process(exchange -> dispatcher.dispatch(STUDIES));

    from(STUDIES + "?concurrentConsumers=" + settings.concurrency() + "&size=" + settings.concurrency())
        .routeId(STUDY_ROUTE_ID)
        .routeDescription("Verify one study from the queue and settle it there")
        .errorHandler(noErrorHandler())
        .process(exchange -> dispatcher.run(exchange.getMessage().getMandatoryBody(QueuedStudy.class), STEPS))
        .process(exchange -> dispatcher.dispatch(STUDIES));
  }

  private void stepRoutes() {
    var chain = from(STEPS).routeId("verification-steps").routeDescription("The verification steps in order")
        .errorHandler(noErrorHandler());
    for (Step step : steps) {
      chain.to("direct:" + step.id());
      from("direct:" + step.id()).routeId(step.id()).routeDescription(step.description()).process(step.processor());
    }
  }

  /** Studies being verified on this node now. */
  public int running() {
    return dispatcher.running();
  }
}
