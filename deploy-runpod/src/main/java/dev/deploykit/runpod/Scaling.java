package dev.deploykit.runpod;

import java.util.Objects;

/**
 * How an endpoint scales its workers between min and max: {@link #queueDelay(double)} adds a
 * worker when a job has waited that many seconds in the queue; {@link #requestCount(int)} keeps
 * {@code ceil((queued + in progress) / value)} workers.
 *
 * @param type {@code QUEUE_DELAY} or {@code REQUEST_COUNT}
 * @param value seconds (at least 0.5) or requests per worker (at least 1)
 */
public record Scaling(String type, double value) {
  public static final String QUEUE_DELAY = "QUEUE_DELAY";
  public static final String REQUEST_COUNT = "REQUEST_COUNT";

  /**
   * @throws IllegalArgumentException for an unknown type or a value out of range
   */
  public Scaling {
    Objects.requireNonNull(type, "type");
    switch (type) {
      case QUEUE_DELAY -> {
        if (value < 0.5) {
          throw new IllegalArgumentException("a queue delay must be at least 0.5 s, was " + value);
        }
      }
      case REQUEST_COUNT -> {
        if (value < 1 || value != Math.rint(value)) {
          throw new IllegalArgumentException("a request count must be a whole number of at least 1,"
              + " was " + value);
        }
      }
      default -> throw new IllegalArgumentException("scaling type must be " + QUEUE_DELAY + " or "
          + REQUEST_COUNT + ", was " + type);
    }
  }

  /** Add a worker when a job waited {@code seconds} in the queue (RunPod's default, 4 s). */
  public static Scaling queueDelay(double seconds) {
    return new Scaling(QUEUE_DELAY, seconds);
  }

  /** One worker per {@code requests} queued or running jobs. */
  public static Scaling requestCount(int requests) {
    return new Scaling(REQUEST_COUNT, requests);
  }
}
