package io.seedtrace.server.subscription;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.subscription.async.AsyncResourceModifiedProcessingSchedulerSvc;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.seedtrace.routes.outbox.OutboxDeliveryRoute;
import io.seedtrace.server.alerts.AdminChannel;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Rest-hook Subscription notifications through the persisted {@link NotificationOutbox}. */
@Configuration
@EnableConfigurationProperties(NotificationProperties.class)
public class SubscriptionDeliveryConfig {

  @Bean
  public NotificationOutbox notificationOutbox(DataSource dataSource, NotificationProperties properties,
      AdminChannel admin) {
    return new NotificationOutbox(dataSource, properties, text -> admin.tell("delivery-failed", text, null),
        Clock.systemUTC());
  }

  /**
   * On the storage's interceptor service, which HAPI's subscription delivery calls. HAPI's pass that
   * hands stored changes to the matcher runs every {@code matching-period} instead of its 5 s, set
   * before the scheduler starts its jobs (when the context has been refreshed).
   */
  @Bean
  public RestHookNotifications restHookNotifications(IInterceptorService storage, FhirContext fhir,
      NotificationOutbox outbox, AsyncResourceModifiedProcessingSchedulerSvc matchingPass,
      NotificationProperties properties) {
    matchingPass.mySubmissionIntervalInMilliSeconds = properties.matchingPeriod().toMillis();
    RestHookNotifications notifications = new RestHookNotifications(fhir, outbox);
    storage.registerInterceptor(notifications);
    return notifications;
  }

  /** On the storage's interceptor service: every write of an AuditEvent or a Provenance, by anyone. */
  @Bean
  public AuditNotOffered auditNotOffered(IInterceptorService storage, FhirContext fhir) {
    AuditNotOffered hook = new AuditNotOffered(fhir);
    storage.registerInterceptor(hook);
    return hook;
  }

  /**
   * The gauges {@code seedtrace.subscription.notifications{status=pending|dead}}: notifications
   * waiting for an endpoint that is down, and dead letters.
   */
  @Bean
  public MeterBinder notificationGauges(NotificationOutbox outbox) {
    return meters -> {
      Gauge.builder("seedtrace.subscription.notifications", outbox, o -> o.count("PENDING")).tag("status", "pending")
          .description("subscription notifications waiting for their endpoint").register(meters);
      Gauge.builder("seedtrace.subscription.notifications", outbox, o -> o.count("DEAD")).tag("status", "dead")
          .description("subscription notifications given up (dead letters)").register(meters);
    };
  }

  @Bean
  public OutboxDeliveryRoute<NotificationOutbox.Claim> notificationDeliveryRoute(NotificationOutbox outbox,
      NotificationProperties properties) {
    return new OutboxDeliveryRoute<>(NotificationOutbox.ROUTE_ID, "Deliver FHIR Subscription notifications", outbox,
        properties.pollPeriod().toMillis());
  }
}
