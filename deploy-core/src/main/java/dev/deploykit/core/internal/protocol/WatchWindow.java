package dev.deploykit.core.internal.protocol;

import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.Service;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.engine.PortForward;
import dev.deploykit.health.CheckContext;
import dev.deploykit.health.HealthResult;
import dev.deploykit.health.checks.HttpCheck;
import dev.deploykit.health.wait.Await;
import dev.deploykit.health.wait.AwaitResult;
import dev.deploykit.health.wait.Backoff;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Protocol step 9: the new web container is probed every 250 ms for its watch window after the
 * switch; three failed probes in a row count as "turned unhealthy", one good probe resets the
 * count, so a single slow answer does not roll a release back.
 */
final class WatchWindow {
  /** Consecutive failed probes that count as "turned unhealthy". */
  static final int FAILURES = 3;
  static final Duration INTERVAL = Duration.ofMillis(250);

  private final RunContext run;

  WatchWindow(RunContext run) {
    this.run = run;
  }

  /** Empty while healthy through the window; else why it turned unhealthy. */
  Optional<String> watch(Service web, ContainerState container) throws InterruptedException {
    PortForward reached;
    try {
      reached = run.gates.reach(web, container);
    } catch (Gates.Exited e) {
      // It died between its gate and the watch (while the old one drained): no probe can pass.
      return failed(web, e.getMessage());
    }
    AtomicInteger failuresInARow = new AtomicInteger();
    int port = web.probePort().orElseThrow();
    try (PortForward forward = reached;
        HttpCheck check = HttpCheck.builder(Gates.healthUrl(web, forward))
            .connectTimeout(Duration.ofSeconds(1)).build()) {
      AwaitResult<HealthResult> result = Await.atMost(web.deploy().watchWindow())
          .backoff(Backoff.fixed(INTERVAL)).timeSource(run.time)
          .until(deadline -> {
            HealthResult r = check.check(CheckContext.of(run.gates.probeDeadline(deadline)));
            failuresInARow.set(r.isUp() ? 0 : failuresInARow.get() + 1);
            return r;
          }, r -> failuresInARow.get() >= FAILURES);
      if (!result.isSatisfied()) {
        run.emit(new DeployEvent.WatchPassed(run.at(), web.deploy().watchWindow()));
        return Optional.empty();
      }
      return failed(web, FAILURES + " probes in a row failed; last: "
          + Gates.inContainer(forward, container, port).apply(result.last().describe()));
    }
  }

  private Optional<String> failed(Service web, String why) {
    run.emit(new DeployEvent.WatchFailed(run.at(), web.name(), why));
    return Optional.of(why);
  }
}
