package dev.deploykit.health;

/**
 * How healthy something is, from best to worst: {@link #UP}, {@link #DEGRADED}, {@link #DOWN}.
 *
 * <pre>{@code
 * HealthStatus overall = HealthStatus.UP.worst(HealthStatus.DEGRADED); // DEGRADED
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public enum HealthStatus {
  /** Working as expected. */
  UP,
  /** Working, but with a problem worth a warning (a queue with no worker, a throttled worker). */
  DEGRADED,
  /** Not working: refused, timed out, wrong answer, not running. */
  DOWN;

  /** The worse of this and {@code other}. */
  public HealthStatus worst(HealthStatus other) {
    return other.ordinal() > ordinal() ? other : this;
  }

  /**
   * The status in the IETF health-check response format ({@code application/health+json}):
   * {@code pass}, {@code warn} or {@code fail}.
   */
  public String healthJsonValue() {
    return switch (this) {
      case UP -> "pass";
      case DEGRADED -> "warn";
      case DOWN -> "fail";
    };
  }
}
