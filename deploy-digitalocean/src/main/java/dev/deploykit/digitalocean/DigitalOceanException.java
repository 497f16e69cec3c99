package dev.deploykit.digitalocean;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A failed DigitalOcean API call, or a provisioning step that cannot go on. Its message is one
 * line: what failed, where, what to do. It never holds the token.
 *
 * <p>Thread safety: immutable once thrown.
 */
public class DigitalOceanException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What kind of failure it is, so callers never match message text. */
  public enum Kind {
    /** 401: the token is refused. */
    UNAUTHORIZED,
    /** 403: the token lacks a scope. */
    FORBIDDEN,
    /** 404. */
    NOT_FOUND,
    /** 422: the request was understood and refused (limits, invalid values, pending events). */
    UNPROCESSABLE,
    /** 429 after the retries. */
    RATE_LIMITED,
    /** 5xx after the retries. */
    SERVER_ERROR,
    /** Another 4xx. */
    BAD_REQUEST,
    /** No answer: connection refused, reset, timed out (after the retries). */
    UNREACHABLE,
    /** A wait ran out of time (an action, a droplet, SSH, the engine). */
    TIMED_OUT,
    /** An action ended {@code errored}. */
    ACTION_ERRORED,
    /** The request was refused here before it was sent (a bad region, size, CIDR, cloud-config). */
    INVALID_REQUEST,
    /** Something exists that deploykit did not make and will not touch (a firewall's name). */
    CONFLICT,
    /** The calling thread was interrupted (its flag is set again). */
    INTERRUPTED
  }

  private final Kind kind;
  private final int status;
  private final @Nullable String errorId;
  private final @Nullable String requestId;

  public DigitalOceanException(Kind kind, String message) {
    this(kind, message, 0, null, null, null);
  }

  public DigitalOceanException(Kind kind, String message, @Nullable Throwable cause) {
    this(kind, message, 0, null, null, cause);
  }

  /**
   * @param status the HTTP status, 0 when there was no answer
   * @param errorId the error body's {@code id} ({@code unprocessable_entity}), or null
   * @param requestId the error body's {@code request_id} (else {@code x-request-id}), or null
   */
  public DigitalOceanException(Kind kind, String message, int status, @Nullable String errorId,
      @Nullable String requestId, @Nullable Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.status = status;
    this.errorId = errorId;
    this.requestId = requestId;
  }

  /** What kind of failure it is. */
  public Kind kind() {
    return kind;
  }

  /** The HTTP status, 0 when the failure was not an HTTP answer. */
  public int status() {
    return status;
  }

  /** The error body's {@code id}, or null. */
  public @Nullable String errorId() {
    return errorId;
  }

  /** The request id DigitalOcean gave the call (for its support), or null. */
  public @Nullable String requestId() {
    return requestId;
  }

  /** Whether the API said the resource does not exist. */
  public boolean notFound() {
    return kind == Kind.NOT_FOUND;
  }

  /** Whether this is a 422 whose message contains {@code phrase} (case-insensitive). */
  public boolean unprocessable(String phrase) {
    return kind == Kind.UNPROCESSABLE && String.valueOf(getMessage()).toLowerCase(Locale.ROOT)
        .contains(phrase.toLowerCase(Locale.ROOT));
  }
}
