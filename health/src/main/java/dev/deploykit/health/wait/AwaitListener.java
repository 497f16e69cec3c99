package dev.deploykit.health.wait;

import java.time.Duration;

/**
 * Hears about every attempt of an {@link Await}, for logging or progress output.
 *
 * <pre>{@code
 * AwaitListener log = (attempt, observed, nextDelay) ->
 *     logger.info("attempt {}: {}; next in {}", attempt, observed.describe(), nextDelay);
 * }</pre>
 *
 * <p>Called on the awaiting thread; implementations need not be thread-safe unless shared. An
 * exception thrown by a listener propagates out of the await.
 */
@FunctionalInterface
public interface AwaitListener {

  /** A listener that does nothing. */
  AwaitListener NONE = (attempt, observed, nextDelay) -> {};

  /**
   * Attempt number {@code attempt} (from 1) observed {@code observed} and was not final; the
   * await will sleep {@code nextDelay} (already capped to the deadline) before the next.
   */
  void onRetry(int attempt, Observed<?> observed, Duration nextDelay);
}
