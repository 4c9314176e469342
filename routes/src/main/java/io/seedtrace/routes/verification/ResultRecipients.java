package io.seedtrace.routes.verification;

/**
 * Those who receive the stored results of a verification: the EHR (through the durable outbox),
 * the administrator (one message per alarm) and, when configured, the PACS. Delivering again the
 * same results (after a crash) queues nothing twice for the EHR.
 */
public interface ResultRecipients {

  void deliver(StudyVerification verification);
}
