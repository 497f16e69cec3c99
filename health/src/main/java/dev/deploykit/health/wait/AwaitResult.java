package dev.deploykit.health.wait;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * The outcome of an {@link Await}: {@link Satisfied}, {@link TimedOut} or {@link Aborted}, each
 * with the number of attempts, the time spent and the last observation.
 *
 * <pre>{@code
 * switch (Await.atMost(timeout).until(d -> check.run(), HealthResult::isUp)) {
 *   case AwaitResult.Satisfied<HealthResult> s -> log.info("healthy after {}", s.elapsed());
 *   case AwaitResult.TimedOut<HealthResult> t -> fail("still " + t.last().describe());
 *   case AwaitResult.Aborted<HealthResult> a -> fail("gave up: " + a.last().describe());
 * }
 * }</pre>
 *
 * <p>Immutable; thread-safe if the observed values are.
 *
 * @param <T> the probe's value type
 */
public sealed interface AwaitResult<T> {

  /** How many times the probe ran (at least 1). */
  int attempts();

  /** Time from the start of the await to its end, read from its {@link TimeSource}. */
  Duration elapsed();

  /** What the last attempt observed. */
  Observed<T> last();

  /** Whether the condition was met. */
  default boolean isSatisfied() {
    return this instanceof Satisfied<T>;
  }

  /**
   * One line for logs and error messages, such as {@code "timed out after PT30S (12 attempts);
   * last: DOWN connection refused"}.
   */
  default String describe() {
    String what = switch (this) {
      case Satisfied<T> s -> "satisfied after " + s.elapsed();
      case TimedOut<T> t -> "timed out after " + t.elapsed();
      case Aborted<T> a -> "aborted after " + a.elapsed();
    };
    return what + " (" + attempts() + (attempts() == 1 ? " attempt" : " attempts") + "); last: "
        + last().describe();
  }

  /**
   * The value that met the condition, or the exception that {@code failure} makes of this result.
   *
   * @throws X if the await was not satisfied
   */
  default <X extends Throwable> T orElseThrow(Function<? super AwaitResult<T>, X> failure)
      throws X {
    if (this instanceof Satisfied<T> s) {
      return s.value();
    }
    throw failure.apply(this);
  }

  /**
   * The condition was met.
   *
   * @param value the value that met it
   * @param attempts how many attempts it took, at least 1
   * @param elapsed the time spent
   * @param <T> the probe's value type
   */
  record Satisfied<T>(T value, int attempts, Duration elapsed) implements AwaitResult<T> {
    /** Validates the fields. */
    public Satisfied {
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(elapsed, "elapsed");
      requirePositive(attempts);
    }

    @Override
    public Observed<T> last() {
      return new Observed.Value<>(value);
    }
  }

  /**
   * The deadline passed before the condition was met.
   *
   * @param last what the last attempt observed
   * @param attempts how many attempts were made, at least 1
   * @param elapsed the time spent
   * @param <T> the probe's value type
   */
  record TimedOut<T>(Observed<T> last, int attempts, Duration elapsed) implements AwaitResult<T> {
    /** Validates the fields. */
    public TimedOut {
      Objects.requireNonNull(last, "last");
      Objects.requireNonNull(elapsed, "elapsed");
      requirePositive(attempts);
    }
  }

  /**
   * The caller's classifier said a failure is permanent, so waiting stopped before the deadline.
   *
   * @param last the permanent failure
   * @param attempts how many attempts were made, at least 1
   * @param elapsed the time spent
   * @param <T> the probe's value type
   */
  record Aborted<T>(Observed.Failure<T> last, int attempts, Duration elapsed)
      implements AwaitResult<T> {
    /** Validates the fields. */
    public Aborted {
      Objects.requireNonNull(last, "last");
      Objects.requireNonNull(elapsed, "elapsed");
      requirePositive(attempts);
    }

    /** The permanent failure that stopped the wait. */
    public Throwable cause() {
      return last.error();
    }
  }

  private static void requirePositive(int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be >= 1: " + attempts);
    }
  }
}
