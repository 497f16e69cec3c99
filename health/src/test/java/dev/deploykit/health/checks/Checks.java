package dev.deploykit.health.checks;

import dev.deploykit.health.CheckContext;
import dev.deploykit.health.HealthCheck;
import dev.deploykit.health.HealthResult;
import dev.deploykit.health.wait.Deadline;
import dev.deploykit.health.wait.TimeSource;
import java.time.Duration;

/** Runs a check directly, as a runner would, with a deadline. */
final class Checks {
  private Checks() {}

  static HealthResult run(HealthCheck check, Duration deadline) throws InterruptedException {
    return check.check(CheckContext.of(Deadline.after(deadline, TimeSource.system())));
  }
}
