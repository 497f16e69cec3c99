package dev.deploykit.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One check's line in a {@link HealthReport}: its name, whether it is critical, its groups, its
 * {@link HealthResult}, when that result was observed, and how old it was when the report was
 * made (zero unless the check runs in background mode).
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the check's name
 * @param critical whether it decides the overall status
 * @param groups the check's groups
 * @param result what it observed
 * @param observedAt when the observation ended (wall clock)
 * @param age how old the result was when the report was made
 */
public record ComponentHealth(
    String name,
    boolean critical,
    Set<String> groups,
    HealthResult result,
    Instant observedAt,
    Duration age) {

  /** Validates and copies. */
  public ComponentHealth {
    Objects.requireNonNull(name, "name");
    groups = Set.copyOf(groups);
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(observedAt, "observedAt");
    Objects.requireNonNull(age, "age");
    if (age.isNegative()) {
      age = Duration.ZERO;
    }
  }

  /** The result's status. */
  public HealthStatus status() {
    return result.status();
  }
}
