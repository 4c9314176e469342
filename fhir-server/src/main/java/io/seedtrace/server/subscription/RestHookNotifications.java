package io.seedtrace.server.subscription;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.subscription.model.CanonicalSubscription;
import ca.uhn.fhir.jpa.subscription.model.ResourceDeliveryMessage;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.messaging.BaseResourceMessage;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * Takes over the delivery of rest-hook notifications from HAPI, whose own delivery is in memory
 * and gives up after a few quick retries: HAPI matches a change against the active Subscriptions,
 * and each match is stored in the {@link NotificationOutbox} and sent from there, retried until the
 * subscriber's endpoint is back.
 *
 * <p>The request is the one HAPI would send: with a payload, {@code PUT [endpoint]/[type]/[id]}
 * with the resource in the subscription's payload format ({@code DELETE} for a deletion); without
 * one, an empty {@code POST [endpoint]}; the subscription's {@code channel.header}s on each.
 */
@Interceptor
public final class RestHookNotifications {

  private final FhirContext fhir;
  private final NotificationOutbox outbox;

  public RestHookNotifications(FhirContext fhir, NotificationOutbox outbox) {
    this.fhir = fhir;
    this.outbox = outbox;
  }

  /** Queues the notification and answers false, so that HAPI does not send it itself. */
  @Hook(Pointcut.SUBSCRIPTION_BEFORE_REST_HOOK_DELIVERY)
  public boolean queue(CanonicalSubscription subscription, ResourceDeliveryMessage message) {
    outbox.enqueue(request(subscription, message));
    outbox.kick();
    return false;
  }

  NotificationOutbox.Request request(CanonicalSubscription subscription, ResourceDeliveryMessage message) {
    String endpoint = subscription.getEndpointUrl().replaceAll("/+$", "");
    String subscriptionId = subscription.getIdPart();
    List<String> headers = subscription.getHeaders();
    String payloadType = subscription.getPayloadString();
    if (payloadType == null || payloadType.isBlank()) {
      return new NotificationOutbox.Request(subscriptionId, "POST", endpoint, headers, null, null);
    }
    IIdType id = message.getPayloadId(fhir);
    String target = endpoint + "/" + id.getResourceType() + "/" + id.getIdPart();
    if (message.getOperationType() == BaseResourceMessage.OperationTypeEnum.DELETE) {
      return new NotificationOutbox.Request(subscriptionId, "DELETE", target, headers, null, null);
    }
    EncodingEnum encoding = EncodingEnum.forContentType(payloadType);
    IBaseResource resource = message.getPayload(fhir);
    String body = (encoding == null ? EncodingEnum.JSON : encoding).newParser(fhir).encodeResourceToString(resource);
    return new NotificationOutbox.Request(subscriptionId, "PUT", target, headers, payloadType, body);
  }
}
