package dev.deploykit.bench;

import dev.deploykit.health.CheckContext;
import dev.deploykit.health.HealthCheck;
import dev.deploykit.health.HealthResult;
import java.time.Duration;

/**
 * A check whose server never answers: it blocks for {@link #HANG} (interruptibly, as blocking I/O
 * that its runner can cancel) and then reports UP. {@code HANG} stands in for "forever" and keeps
 * the runners without deadlines bounded: what they show is at least that long. Thread-safe.
 */
public final class HungCheck implements HealthCheck {
  /** How long the check blocks before it answers. */
  public static final Duration HANG = Duration.ofSeconds(1);
  /** The deadline it gets where a runner has per-check deadlines. */
  public static final Duration DEADLINE = Duration.ofMillis(100);
  /** The name it has in every suite. */
  public static final String NAME = "hung";

  @Override
  public HealthResult check(CheckContext context) throws InterruptedException {
    Thread.sleep(HANG);
    return HealthResult.up("answered after " + HANG.toMillis() + " ms");
  }

  /** The hung check as a suite member with its 100 ms deadline. */
  public static SuiteCheck member() {
    return new SuiteCheck(NAME, new HungCheck(), DEADLINE, false);
  }
}
