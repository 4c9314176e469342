package io.seedtrace.routes.verification;

/**
 * The study queue on a RabbitMQ broker instead of the database table.
 *
 * @param connectionFactory the name of the broker connection (a Spring AMQP {@code
 *     ConnectionFactory} with publisher confirms) in the Camel registry
 * @param queue the durable queue the studies wait in: one for all nodes when they share their
 *     spools, else one per node
 * @param maxAttempts attempts at a study whose steps keep failing before it is given up on
 */
public record BrokerSettings(String connectionFactory, String queue, int maxAttempts) {

  public static final String EXCHANGE = "seedtrace.verification";

  public BrokerSettings {
    if (!queue.matches("[A-Za-z0-9._:-]{1,200}") || maxAttempts < 1) {
      throw new IllegalArgumentException("a broker queue name of letters, digits and . _ : - and at least one"
          + " attempt are needed, got '" + queue + "' and " + maxAttempts);
    }
  }

  /** The queue name for a node: shared by all nodes, or the node's own. */
  public static String queueFor(String node, boolean sharedSpool) {
    String name = "seedtrace.verification.studies";
    if (sharedSpool) {
      return name;
    }
    String own = node.replaceAll("[^A-Za-z0-9._:-]", "_");
    return name + "." + (own.length() > 150 ? own.substring(own.length() - 150) : own);
  }

  String producerUri() {
    return "spring-rabbitmq:" + EXCHANGE + "?connectionFactory=#" + connectionFactory + "&routingKey=" + queue
        + "&confirm=enabled";
  }

  String consumerUri(int concurrency) {
    return "spring-rabbitmq:" + EXCHANGE + "?connectionFactory=#" + connectionFactory + "&queues=" + queue
        + "&routingKey=" + queue + "&autoDeclare=true&concurrentConsumers=" + concurrency + "&prefetchCount=1"
        + "&arg.queue.durable=true" // the studies survive a restart of the broker
        + "&rejectAndDontRequeue=false"; // a message the runner could not settle goes back to the queue
  }
}
