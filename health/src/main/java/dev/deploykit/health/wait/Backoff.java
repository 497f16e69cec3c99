package dev.deploykit.health.wait;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long to wait between attempts: {@code initial}, then each delay {@code factor} times the
 * one before, never more than {@code cap}; {@code jitter} (0 to 1) shortens each delay by a
 * random fraction of up to that much, so that many waiters do not poll in step. Jitter never
 * makes a delay longer than its un-jittered value, so the cap holds.
 *
 * <pre>{@code
 * Backoff backoff = Backoff.exponential(Duration.ofMillis(50), Duration.ofSeconds(2))
 *     .withJitter(0.2);
 * Duration third = backoff.delay(3, ThreadLocalRandom.current()); // 200 ms minus up to 20 %
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param initial the delay after the first attempt; not negative
 * @param factor growth per attempt; at least 1 (1 means a fixed delay)
 * @param cap the longest delay; at least {@code initial}
 * @param jitter the largest fraction by which a delay is randomly shortened, from 0 to 1
 */
public record Backoff(Duration initial, double factor, Duration cap, double jitter) {

  /**
   * Validates every field.
   *
   * @throws IllegalArgumentException naming the offending field when {@code initial} is
   *     negative, {@code factor} is below 1 or not finite, {@code cap} is below {@code initial},
   *     or {@code jitter} is outside 0 to 1
   */
  public Backoff {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(cap, "cap");
    if (initial.isNegative()) {
      throw new IllegalArgumentException("initial must not be negative: " + initial);
    }
    if (!(factor >= 1.0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("factor must be a finite number >= 1: " + factor);
    }
    if (cap.compareTo(initial) < 0) {
      throw new IllegalArgumentException("cap (" + cap + ") must be >= initial (" + initial + ")");
    }
    if (!(jitter >= 0.0 && jitter <= 1.0)) {
      throw new IllegalArgumentException("jitter must be between 0 and 1: " + jitter);
    }
  }

  /**
   * Doubling delays from {@code initial} up to {@code cap}, no jitter.
   *
   * @throws IllegalArgumentException as the constructor
   */
  public static Backoff exponential(Duration initial, Duration cap) {
    return new Backoff(initial, 2.0, cap, 0.0);
  }

  /**
   * The same delay every time, no jitter.
   *
   * @throws IllegalArgumentException if {@code delay} is negative
   */
  public static Backoff fixed(Duration delay) {
    return new Backoff(delay, 1.0, delay, 0.0);
  }

  /**
   * A copy with another growth factor.
   *
   * @throws IllegalArgumentException if {@code factor} is below 1 or not finite
   */
  public Backoff withFactor(double factor) {
    return new Backoff(initial, factor, cap, jitter);
  }

  /**
   * A copy with another jitter.
   *
   * @throws IllegalArgumentException if {@code jitter} is outside 0 to 1
   */
  public Backoff withJitter(double jitter) {
    return new Backoff(initial, factor, cap, jitter);
  }

  /**
   * The delay after attempt number {@code attempt} (1 for the first attempt).
   *
   * @param random the source of jitter; unused when {@code jitter} is 0
   * @throws IllegalArgumentException if {@code attempt} is below 1
   */
  public Duration delay(int attempt, RandomGenerator random) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1: " + attempt);
    }
    long capNanos = Deadline.saturatedNanos(cap);
    double raw = Deadline.saturatedNanos(initial) * Math.pow(factor, attempt - 1);
    long nanos = raw >= capNanos || Double.isNaN(raw) ? capNanos : (long) raw;
    if (jitter > 0.0 && nanos > 0) {
      nanos -= (long) (nanos * jitter * random.nextDouble());
    }
    return Duration.ofNanos(nanos);
  }
}
