package dev.deploykit.health.checks;

import dev.deploykit.health.HealthStatus;

/**
 * Warn and fail levels for a used fraction (0 to 1) or a load per core: at or above {@code warn}
 * is DEGRADED, at or above {@code fail} is DOWN.
 *
 * <pre>{@code
 * Threshold memory = Threshold.of(0.85, 0.95);
 * HealthStatus s = memory.status(0.9); // DEGRADED
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param warn the level from which the value is DEGRADED
 * @param fail the level from which the value is DOWN; at least {@code warn}
 */
public record Threshold(double warn, double fail) {

  /**
   * Validates the levels.
   *
   * @throws IllegalArgumentException if a level is negative or not finite, or {@code fail} is
   *     below {@code warn}
   */
  public Threshold {
    if (!(warn >= 0) || Double.isInfinite(warn)) {
      throw new IllegalArgumentException("warn must be a finite number >= 0: " + warn);
    }
    if (!(fail >= warn) || Double.isInfinite(fail)) {
      throw new IllegalArgumentException("fail must be finite and >= warn (" + warn + "): "
          + fail);
    }
  }

  /** Levels {@code warn} and {@code fail}. */
  public static Threshold of(double warn, double fail) {
    return new Threshold(warn, fail);
  }

  /** The status of {@code value}. */
  public HealthStatus status(double value) {
    return value >= fail ? HealthStatus.DOWN
        : value >= warn ? HealthStatus.DEGRADED : HealthStatus.UP;
  }
}
