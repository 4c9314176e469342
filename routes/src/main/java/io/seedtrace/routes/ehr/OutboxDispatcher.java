package io.seedtrace.routes.ehr;

/** Sends what is due in the persisted EHR outbox; returns how many messages were delivered. */
@FunctionalInterface
public interface OutboxDispatcher {

  int deliverDue();
}
