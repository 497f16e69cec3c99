package dev.deploykit.core.engine;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A Compose {@code healthcheck}: the container-level check Docker itself runs.
 *
 * <pre>{@code
 * ContainerHealthcheck pgReady = new ContainerHealthcheck(List.of("CMD-SHELL", "pg_isready -U app"),
 *     Duration.ofSeconds(2), Duration.ofSeconds(2), 30, Duration.ofMinutes(1));
 * }</pre>
 *
 * <p>Thread safety: immutable.
 *
 * @param test the command in Docker's form ({@code ["CMD", ...]}, {@code ["CMD-SHELL", "..."]},
 *     or {@code ["NONE"]} when disabled)
 * @param interval time between checks
 * @param timeout how long one check may take
 * @param retries failures in a row before the container counts as unhealthy
 * @param startPeriod time after start during which failures do not count
 */
public record ContainerHealthcheck(List<String> test, Duration interval, Duration timeout, int retries, Duration startPeriod) {
  /**
   * Validates the check and copies the test.
   *
   * @throws IllegalArgumentException when the test is empty or retries are negative
   */
  public ContainerHealthcheck {
    test = List.copyOf(test);
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(startPeriod, "startPeriod");
    if (test.isEmpty()) {
      throw new IllegalArgumentException("test must not be empty");
    }
    if (retries < 0) {
      throw new IllegalArgumentException("retries must not be negative, was " + retries);
    }
  }

  /** Whether the check is switched off ({@code disable: true} or {@code test: ["NONE"]}). */
  public boolean disabled() {
    return test.getFirst().equals("NONE");
  }
}
