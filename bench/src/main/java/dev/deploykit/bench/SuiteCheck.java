package dev.deploykit.bench;

import dev.deploykit.health.CheckContext;
import dev.deploykit.health.CheckSpec;
import dev.deploykit.health.HealthCheck;
import dev.deploykit.health.HealthResult;
import dev.deploykit.health.wait.Deadline;
import dev.deploykit.health.wait.TimeSource;
import java.time.Duration;
import java.util.Objects;

/**
 * One check of the benchmark suite as every runner gets it: deploykit's runner through a {@link
 * CheckSpec}, each peer wrapped as it expects. A peer calls {@link #call()}, which gives the check
 * a context with its timeout, as deploykit's runner does.
 *
 * <p>Immutable and thread-safe (the checks are).
 *
 * @param name the check's name in every runner's report
 * @param check the check
 * @param timeout its deadline, where the runner has per-check deadlines
 * @param platformThread whether it must not run on a virtual thread (docker-java's socket
 *     transport reads through JNA, which pins a virtual thread's carrier)
 */
public record SuiteCheck(String name, HealthCheck check, Duration timeout,
    boolean platformThread) {
  /** Validates. */
  public SuiteCheck {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(timeout, "timeout");
  }

  /** Runs the check once on the calling thread, with a fresh deadline of {@link #timeout()}. */
  public HealthResult call() throws InterruptedException {
    HealthResult r = check.check(CheckContext.of(Deadline.after(timeout, TimeSource.system())));
    return r != null ? r : HealthResult.down("the check returned no result");
  }

  /** The spec deploykit's runner gets. */
  public CheckSpec spec() {
    return CheckSpec.of(name, check).timeout(timeout).platformThread(platformThread);
  }
}
