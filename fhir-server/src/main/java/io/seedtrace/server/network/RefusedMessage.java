package io.seedtrace.server.network;

/**
 * A custody message the receiving node does not accept, with the HTTP status that says why: 400
 * malformed, 401 bad signature, 403 unknown or revoked sender or an event its role may not send,
 * 409 a message id reused for other content, 422 not applicable here (wrong receiver, unknown order).
 */
public final class RefusedMessage extends RuntimeException {

  private final int status;

  public RefusedMessage(int status, String reason) {
    super(reason);
    if (status < 400 || status > 499) {
      throw new IllegalArgumentException("a refusal is a 4xx status, not " + status);
    }
    this.status = status;
  }

  public int status() {
    return status;
  }
}
