package io.seedtrace.server.verification;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import io.seedtrace.server.ehr.EhrOutbox;
import java.util.Date;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;

/**
 * Administrator views of the verification flow: {@code $verifications} lists the recent
 * verifications with their state and stage timings; {@code $ehr-outbox} lists the messages the EHR
 * has not received yet (pending and dead letters) and replays a dead letter.
 */
public class VerificationOperations {

  private final VerificationTables tables;
  private final EhrOutbox outbox;

  public VerificationOperations(VerificationTables tables, EhrOutbox outbox) {
    this.tables = tables;
    this.outbox = outbox;
  }

  @Operation(name = "$verifications", idempotent = true)
  public Parameters verifications(@OperationParam(name = "count") IntegerType count) {
    Parameters out = new Parameters();
    for (VerificationTables.Row row : tables.recent(count == null ? 50 : Math.min(500, count.getValue()))) {
      Parameters.ParametersParameterComponent p = out.addParameter().setName("verification");
      p.addPart().setName("id").setValue(new StringType(row.verificationId()));
      p.addPart().setName("series").setValue(new StringType(row.seriesUid()));
      p.addPart().setName("status").setValue(new StringType(row.status()));
      p.addPart().setName("attempts").setValue(new IntegerType(row.attempts()));
      p.addPart().setName("received").setValue(new DateTimeType(Date.from(row.receivedAt())));
      if (row.finishedAt() != null) {
        p.addPart().setName("finished").setValue(new DateTimeType(Date.from(row.finishedAt())));
      }
      if (row.outcome() != null) {
        p.addPart().setName("outcome").setValue(new StringType(row.outcome()));
      }
      if (row.reportId() != null) {
        p.addPart().setName("report").setValue(new StringType(row.reportId()));
      }
      if (row.timings() != null) {
        p.addPart().setName("timingsMs").setValue(new StringType(row.timings()));
      }
    }
    return out;
  }

  /**
   * {@code GET} lists the outbox; {@code POST} with {@code replay} (a dead letter's id) first puts
   * that message back in line. A replay changes state, so by {@code GET} it is refused (400).
   */
  @Operation(name = "$ehr-outbox", idempotent = true)
  public Parameters ehrOutbox(@OperationParam(name = "replay") IntegerType replay, RequestDetails request) {
    if (replay != null && replay.getValue() != null) {
      if (request.getRequestType() != RequestTypeEnum.POST) {
        throw new InvalidRequestException("replay changes the outbox: send it with POST /fhir/$ehr-outbox");
      }
      if (!outbox.replay(replay.getValue())) {
        throw new ResourceNotFoundException("no dead letter with id " + replay.getValue());
      }
    }
    Parameters out = new Parameters();
    out.addParameter("pending", outbox.count("PENDING"));
    out.addParameter("dead", outbox.count("DEAD"));
    out.addParameter("delivered", outbox.count("DELIVERED"));
    for (EhrOutbox.Message m : outbox.undelivered()) {
      Parameters.ParametersParameterComponent p = out.addParameter().setName("message");
      p.addPart().setName("id").setValue(new IntegerType((int) m.id()));
      p.addPart().setName("status").setValue(new StringType(m.status()));
      p.addPart().setName("description").setValue(new StringType(m.description()));
      p.addPart().setName("attempts").setValue(new IntegerType(m.attempts()));
      p.addPart().setName("nextAttempt").setValue(new DateTimeType(Date.from(m.nextAttemptAt())));
      if (m.lastError() != null) {
        p.addPart().setName("lastError").setValue(new StringType(m.lastError()));
      }
    }
    return out;
  }
}
