package dev.deploykit.health.wait;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Polls a {@link Probe} with {@link Backoff} under an overall deadline until a condition holds,
 * or retries an operation until it succeeds, and returns an {@link AwaitResult}: satisfied, timed
 * out, or aborted because the caller's classifier called a failure permanent.
 *
 * <p>Wait for a health check:
 *
 * <pre>{@code
 * AwaitResult<HealthResult> healthy = Await.atMost(Duration.ofSeconds(60))
 *     .backoff(Backoff.exponential(Duration.ofMillis(50), Duration.ofSeconds(1)).withJitter(0.2))
 *     .until(deadline -> check.check(CheckContext.of(deadline)), HealthResult::isUp);
 * }</pre>
 *
 * <p>Retry an operation whose failures heal (refused connection) but stop at once on those that
 * cannot (bad password):
 *
 * <pre>{@code
 * AwaitResult<Connection> conn = Await.atMost(Duration.ofSeconds(30))
 *     .retryIf(e -> !(e instanceof SQLException s && "28P01".equals(s.getSQLState())))
 *     .call(deadline -> DriverManager.getConnection(url, props));
 * }</pre>
 *
 * <p>Rules: the probe runs at least once; after each unsuccessful attempt the await sleeps the
 * backoff's delay <em>capped to the time left</em>, so it never sleeps past the deadline; once the
 * deadline has passed it returns {@link AwaitResult.TimedOut} without another attempt. The probe
 * receives the deadline and should bound its own I/O with it. Interrupts are preserved: an
 * interrupted sleep or a probe that throws {@link InterruptedException} ends the await with that
 * exception.
 *
 * <p>Immutable and thread-safe: the configuration methods return modified copies and one
 * instance may run many awaits at once.
 */
public final class Await {
  private final Duration timeout;
  private final Backoff backoff;
  private final TimeSource time;
  private final Predicate<? super Exception> retryIf;
  private final AwaitListener listener;
  private final @Nullable RandomGenerator random;

  private Await(
      Duration timeout,
      Backoff backoff,
      TimeSource time,
      Predicate<? super Exception> retryIf,
      AwaitListener listener,
      @Nullable RandomGenerator random) {
    this.timeout = timeout;
    this.backoff = backoff;
    this.time = time;
    this.retryIf = retryIf;
    this.listener = listener;
    this.random = random;
  }

  /**
   * An await that gives up {@code timeout} after it starts, with the default backoff (50 ms
   * doubling to 2 s, 20 % jitter), the system time source, and every exception treated as
   * transient.
   *
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public static Await atMost(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative: " + timeout);
    }
    return new Await(
        timeout,
        Backoff.exponential(Duration.ofMillis(50), Duration.ofSeconds(2)).withJitter(0.2),
        TimeSource.system(),
        e -> true,
        AwaitListener.NONE,
        null);
  }

  /** A copy with another backoff. */
  public Await backoff(Backoff backoff) {
    return new Await(
        timeout, Objects.requireNonNull(backoff, "backoff"), time, retryIf, listener, random);
  }

  /** A copy that reads time from (and sleeps on) {@code time}. */
  public Await timeSource(TimeSource time) {
    return new Await(timeout, backoff, Objects.requireNonNull(time, "time"), retryIf, listener,
        random);
  }

  /**
   * A copy that classifies a probe's exceptions: {@code true} means transient (retry after the
   * backoff), {@code false} means permanent (stop now with {@link AwaitResult.Aborted}). The
   * default retries every exception. {@link InterruptedException} is never classified: it always
   * ends the await.
   */
  public Await retryIf(Predicate<? super Exception> transientFailure) {
    return new Await(timeout, backoff, time,
        Objects.requireNonNull(transientFailure, "transientFailure"), listener, random);
  }

  /** A copy that reports each unsuccessful attempt to {@code listener}. */
  public Await listener(AwaitListener listener) {
    return new Await(timeout, backoff, time, retryIf, Objects.requireNonNull(listener, "listener"),
        random);
  }

  /**
   * A copy that draws jitter from {@code random} (the default is {@link
   * ThreadLocalRandom#current()}); only needed for reproducible jitter in tests.
   */
  public Await random(RandomGenerator random) {
    return new Await(timeout, backoff, time, retryIf, listener,
        Objects.requireNonNull(random, "random"));
  }

  /** The overall timeout. */
  public Duration timeout() {
    return timeout;
  }

  /**
   * Runs {@code probe} until it returns a value that satisfies {@code condition}, the deadline
   * passes, or it throws an exception that the classifier calls permanent.
   *
   * @throws InterruptedException if the thread is interrupted while waiting or the probe throws
   *     it
   */
  public <T> AwaitResult<T> until(Probe<? extends T> probe, Predicate<? super T> condition)
      throws InterruptedException {
    Objects.requireNonNull(probe, "probe");
    Objects.requireNonNull(condition, "condition");
    Deadline deadline = Deadline.after(timeout, time);
    int attempt = 0;
    while (true) {
      attempt++;
      Observed<T> observed = attemptOnce(probe, deadline, attempt);
      if (observed instanceof Observed.Value<T> v && condition.test(v.value())) {
        return new AwaitResult.Satisfied<>(v.value(), attempt, deadline.elapsed());
      }
      if (observed instanceof Observed.Failure<T> f && !retryIf.test((Exception) f.error())) {
        return new AwaitResult.Aborted<>(f, attempt, deadline.elapsed());
      }
      if (deadline.isExpired()) {
        return new AwaitResult.TimedOut<>(observed, attempt, deadline.elapsed());
      }
      // ThreadLocalRandom must be fetched on the thread that uses it.
      RandomGenerator jitter = random != null ? random : ThreadLocalRandom.current();
      Duration delay = deadline.cap(backoff.delay(attempt, jitter));
      listener.onRetry(attempt, observed, delay);
      time.sleep(delay);
      if (deadline.isExpired()) {
        return new AwaitResult.TimedOut<>(observed, attempt, deadline.elapsed());
      }
    }
  }

  private static <T> Observed<T> attemptOnce(Probe<? extends T> probe, Deadline deadline,
      int attempt) throws InterruptedException {
    T value;
    try {
      value = probe.attempt(deadline);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      return failure(e, attempt, deadline);
    }
    // Misuse, not a failed attempt: a probe reports "not yet" with a value or an exception.
    return new Observed.Value<>(Objects.requireNonNull(value, "the probe returned null"));
  }

  private static <T> Observed.Failure<T> failure(Exception e, int attempt, Deadline deadline)
      throws InterruptedException {
    if (Thread.currentThread().isInterrupted()) {
      // The probe turned an interrupt into another exception (ClosedByInterruptException, a
      // driver's wrapper); honour it rather than retrying.
      Thread.interrupted();
      InterruptedException ie = new InterruptedException("interrupted during attempt " + attempt
          + " (" + deadline.elapsed() + " into the wait)");
      ie.addSuppressed(e);
      throw ie;
    }
    return new Observed.Failure<>(e);
  }

  /**
   * Runs {@code operation} until it returns without an exception, the deadline passes, or it
   * throws an exception that the classifier calls permanent.
   *
   * @throws InterruptedException if the thread is interrupted while waiting or the operation
   *     throws it
   */
  public <T> AwaitResult<T> call(Probe<? extends T> operation) throws InterruptedException {
    return until(operation, value -> true);
  }

  @Override
  public String toString() {
    return "Await[timeout=" + timeout + ", backoff=" + backoff + "]";
  }
}
