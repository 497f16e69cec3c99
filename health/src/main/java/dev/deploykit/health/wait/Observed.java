package dev.deploykit.health.wait;

import java.util.Objects;

/**
 * What one attempt observed: a value the probe returned, or the exception it threw.
 *
 * <pre>{@code
 * String line = switch (result.last()) {
 *   case Observed.Value<HealthResult> v -> v.value().detail();
 *   case Observed.Failure<HealthResult> f -> f.error().toString();
 * };
 * }</pre>
 *
 * <p>Immutable; thread-safe if the value is.
 *
 * @param <T> the probe's value type
 */
public sealed interface Observed<T> {

  /** A one-line description for logs and error messages. */
  String describe();

  /**
   * The probe returned {@code value}.
   *
   * @param value what the probe returned
   * @param <T> the probe's value type
   */
  record Value<T>(T value) implements Observed<T> {
    /** Checks that {@code value} is present. */
    public Value {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String describe() {
      return String.valueOf(value);
    }
  }

  /**
   * The probe threw {@code error}.
   *
   * @param error what the probe threw
   * @param <T> the probe's value type
   */
  record Failure<T>(Throwable error) implements Observed<T> {
    /** Checks that {@code error} is present. */
    public Failure {
      Objects.requireNonNull(error, "error");
    }

    @Override
    public String describe() {
      String message = error.getMessage();
      String name = error.getClass().getSimpleName();
      return message == null || message.isBlank() ? name : name + ": " + oneLine(message);
    }
  }

  private static String oneLine(String s) {
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }
}
