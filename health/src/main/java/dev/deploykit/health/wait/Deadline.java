package dev.deploykit.health.wait;

import java.time.Duration;
import java.util.Objects;

/**
 * A point in monotonic time by which something must be done, read from a {@link TimeSource}.
 *
 * <pre>{@code
 * Deadline deadline = Deadline.after(Duration.ofSeconds(10), TimeSource.system());
 * while (!deadline.isExpired()) {
 *   socket.setSoTimeout(deadline.remainingMillisAtLeastOne());
 *   ...
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Deadline {
  private final TimeSource time;
  private final long startNanos;
  private final long deadlineNanos;

  private Deadline(TimeSource time, long startNanos, long deadlineNanos) {
    this.time = time;
    this.startNanos = startNanos;
    this.deadlineNanos = deadlineNanos;
  }

  /**
   * A deadline {@code timeout} from now.
   *
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public static Deadline after(Duration timeout, TimeSource time) {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(time, "time");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative: " + timeout);
    }
    long now = time.nanoTime();
    return new Deadline(time, now, now + saturatedNanos(timeout));
  }

  /** The time left, never negative ({@link Duration#ZERO} once expired). */
  public Duration remaining() {
    long left = deadlineNanos - time.nanoTime();
    return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
  }

  /**
   * The time left in whole milliseconds, rounded up and at least 1, for APIs where 0 means
   * "forever" ({@link java.net.Socket#setSoTimeout(int)}, JDBC timeouts in ms).
   */
  public int remainingMillisAtLeastOne() {
    long left = deadlineNanos - time.nanoTime();
    if (left <= 0) {
      return 1;
    }
    long millis = (left + 999_999) / 1_000_000;
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, millis));
  }

  /** Whether the deadline has passed. */
  public boolean isExpired() {
    return deadlineNanos - time.nanoTime() <= 0;
  }

  /** The time since this deadline was created. */
  public Duration elapsed() {
    return Duration.ofNanos(time.nanoTime() - startNanos);
  }

  /** The whole span this deadline was created with. */
  public Duration timeout() {
    return Duration.ofNanos(deadlineNanos - startNanos);
  }

  /** {@code remaining()} capped at {@code limit}: the longest a step may take. */
  public Duration cap(Duration limit) {
    Duration left = remaining();
    return limit.compareTo(left) < 0 ? (limit.isNegative() ? Duration.ZERO : limit) : left;
  }

  /**
   * The earlier of this deadline and one {@code timeout} from now, sharing this deadline's time
   * source: the deadline of a step inside an overall deadline.
   */
  public Deadline narrow(Duration timeout) {
    Deadline step = after(timeout, time);
    return step.deadlineNanos - deadlineNanos < 0
        ? step
        : new Deadline(time, step.startNanos, deadlineNanos);
  }

  /** The time source this deadline reads. */
  public TimeSource timeSource() {
    return time;
  }

  @Override
  public String toString() {
    return "Deadline[remaining=" + remaining() + " of " + timeout() + "]";
  }

  static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException tooLong) {
      // Durations longer than ~292 years do not fit in nanos; such a deadline is "never" anyway.
      return Long.MAX_VALUE / 4;
    }
  }
}
