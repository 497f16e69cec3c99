package dev.deploykit.health.wait;

import java.time.Duration;
import java.time.Instant;

/**
 * Where waiting code reads the time and sleeps: a monotonic nanosecond counter for measuring
 * durations and deadlines, a wall clock for timestamps in reports, and a sleep.
 *
 * <p>Production code uses {@link #system()}; tests pass a {@link FakeTimeSource} so that waiting
 * and retrying logic runs with no real sleep.
 *
 * <pre>{@code
 * TimeSource time = TimeSource.system();
 * long start = time.nanoTime();
 * time.sleep(Duration.ofMillis(50));
 * Duration elapsed = Duration.ofNanos(time.nanoTime() - start);
 * }</pre>
 *
 * <p>Implementations must be safe for use by many threads at once.
 */
public interface TimeSource {

  /**
   * A monotonic reading in nanoseconds, comparable only with other readings of the same time
   * source (like {@link System#nanoTime()}).
   */
  long nanoTime();

  /** The current wall-clock time, for timestamps that people read. */
  Instant now();

  /**
   * Blocks the calling thread for {@code duration}; returns at once for zero or negative values.
   *
   * @throws InterruptedException if the thread is interrupted while sleeping (the interrupt is
   *     consumed, as with {@link Thread#sleep(Duration)})
   */
  void sleep(Duration duration) throws InterruptedException;

  /**
   * The machine's clocks: {@link System#nanoTime()}, {@link Instant#now()} and {@link
   * Thread#sleep(Duration)}.
   */
  static TimeSource system() {
    return SystemTimeSource.INSTANCE;
  }
}
