package dev.deploykit.health.wait;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A {@link TimeSource} for tests: time stands still until {@link #advance(Duration)} is called or
 * somebody {@linkplain #sleep(Duration) sleeps}, which advances it at once by the requested
 * amount and records the sleep. Tests of waiting and retrying code therefore run with no real
 * sleep and see exact durations.
 *
 * <p>It lives in the main code of the health module (not in a test-jar) so that every module's
 * tests can use it through their normal dependency on {@code deploykit-health}. Production code
 * has no use for it.
 *
 * <pre>{@code
 * FakeTimeSource time = new FakeTimeSource();
 * AwaitResult<String> r = Await.atMost(Duration.ofSeconds(5)).timeSource(time)
 *     .until(deadline -> probe(), "ready"::equals);
 * assertThat(time.sleeps()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
 * }</pre>
 *
 * <p>Thread-safe: all methods synchronise on the instance. A sleep still honours interrupts: an
 * interrupted thread gets an {@link InterruptedException} instead of advancing time.
 */
public final class FakeTimeSource implements TimeSource {
  private final Instant start;
  private long nanos;
  private final List<Duration> sleeps = new ArrayList<>();
  private Consumer<Duration> onSleep = d -> {};

  /** A fake time source whose wall clock starts at {@code 2026-01-01T00:00:00Z}. */
  public FakeTimeSource() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /** A fake time source whose wall clock starts at {@code start}. */
  public FakeTimeSource(Instant start) {
    this.start = Objects.requireNonNull(start, "start");
  }

  @Override
  public synchronized long nanoTime() {
    return nanos;
  }

  @Override
  public synchronized Instant now() {
    return start.plusNanos(nanos);
  }

  /**
   * Advances time by {@code duration} and records it in {@link #sleeps()}; does not block.
   *
   * @throws InterruptedException if the calling thread is interrupted (time does not move)
   */
  @Override
  public void sleep(Duration duration) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException("interrupted before a fake sleep of " + duration);
    }
    Consumer<Duration> hook;
    synchronized (this) {
      Duration d = duration.isNegative() ? Duration.ZERO : duration;
      sleeps.add(d);
      nanos += d.toNanos();
      hook = onSleep;
    }
    hook.accept(duration);
  }

  /**
   * Moves time forward by {@code duration} without recording a sleep, for example to make a
   * probe look slow.
   *
   * @throws IllegalArgumentException if {@code duration} is negative (monotonic time never goes
   *     back)
   */
  public synchronized FakeTimeSource advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative: " + duration);
    }
    nanos += duration.toNanos();
    return this;
  }

  /** Every sleep so far, in order (a copy). */
  public synchronized List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }

  /** The time that has passed since this source was created. */
  public synchronized Duration elapsed() {
    return Duration.ofNanos(nanos);
  }

  /**
   * Runs {@code hook} after every sleep (outside the lock), for example to change what a probe
   * will see next or to interrupt the sleeping thread.
   */
  public synchronized FakeTimeSource onSleep(Consumer<Duration> hook) {
    this.onSleep = Objects.requireNonNull(hook, "hook");
    return this;
  }

  @Override
  public synchronized String toString() {
    return "FakeTimeSource[elapsed=" + Duration.ofNanos(nanos) + "]";
  }
}
