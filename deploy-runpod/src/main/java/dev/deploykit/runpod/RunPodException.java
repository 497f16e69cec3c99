package dev.deploykit.runpod;

import java.util.Objects;

/**
 * A RunPod operation that failed, with one line saying what, where and what to do. The message
 * never holds the API key or a registry password.
 */
public final class RunPodException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why it failed, for callers that map failures to exit codes. */
  public enum Reason {
    /** A setting or file the caller gave is wrong (a model that is not GGUF, a bad name). */
    BAD_INPUT,
    /** The API key was refused (401) or lacks access (403). */
    UNAUTHORIZED,
    /** The endpoint, template or job does not exist (404). */
    NOT_FOUND,
    /** RunPod refused the request as invalid (400, 422): a GPU pool that does not exist, ... */
    REFUSED,
    /** Still rate limited (429) after waiting as {@code Retry-After} said, up to the deadline. */
    RATE_LIMITED,
    /** RunPod (or the registry) could not be reached or did not answer in time. */
    UNREACHABLE,
    /** The endpoint got no ready worker within the deadline. */
    NOT_READY,
    /** A job failed in the worker; the message holds the worker's error. */
    JOB_FAILED,
    /** The image could not be built or pushed. */
    IMAGE,
    /** Another failure (an unexpected answer). */
    FAILED,
    /** The calling thread was interrupted. */
    INTERRUPTED
  }

  private final Reason reason;
  private final int status;

  public RunPodException(Reason reason, String message) {
    this(reason, 0, message, null);
  }

  public RunPodException(Reason reason, int status, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.status = status;
  }

  /** Why it failed. */
  public Reason reason() {
    return reason;
  }

  /** The HTTP status RunPod answered, or 0 when there was no answer. */
  public int status() {
    return status;
  }
}
