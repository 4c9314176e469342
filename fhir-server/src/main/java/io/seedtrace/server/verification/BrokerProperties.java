package io.seedtrace.server.verification;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The message broker ({@code seedtrace.broker.*}). Empty by default: the study queue is then a
 * table of the application database.
 *
 * @param url a RabbitMQ URL, e.g. {@code amqp://user:password@rabbit.example.org:5672/vhost}
 *     ({@code amqps://} for TLS): the verification pipeline's study queue is then a durable
 *     RabbitMQ queue
 */
@ConfigurationProperties("seedtrace.broker")
public record BrokerProperties(@DefaultValue("") String url) {

  public boolean configured() {
    return !url.isBlank();
  }
}
