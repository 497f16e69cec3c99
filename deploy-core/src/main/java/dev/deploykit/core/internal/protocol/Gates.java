package dev.deploykit.core.internal.protocol;

import java.util.Optional;

import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.PortForward;
import dev.deploykit.core.Service;
import dev.deploykit.health.CheckContext;
import dev.deploykit.health.HealthResult;
import dev.deploykit.health.checks.HttpCheck;
import dev.deploykit.health.wait.Await;
import dev.deploykit.health.wait.AwaitResult;
import dev.deploykit.health.wait.Backoff;
import dev.deploykit.health.wait.Deadline;
import dev.deploykit.health.wait.TimeSource;
import java.net.URI;
import java.time.Duration;

/**
 * Health gates: when a new container counts as ready. A web container is ready when its health
 * path answers 2xx (polled with a short, growing interval so the switch follows readiness within
 * about 100 ms); a worker or accessory when Docker reports it healthy, or, without a Docker
 * healthcheck, when it has kept running for a settle time. A container that exits fails its gate
 * at once.
 */
final class Gates {
  /** Readiness polling: 10 ms doubling to 100 ms. */
  static final Backoff READINESS = Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(100));
  static final Duration PROBE_MINIMUM = Duration.ofMillis(250);
  static final Duration PROBE_MAXIMUM = Duration.ofSeconds(2);
  /** How long a worker without a healthcheck must keep running to count as started. */
  static final Duration SETTLE = Duration.ofSeconds(2);

  private final DockerHost host;
  private final String network;
  private final TimeSource time;

  Gates(DockerHost host, String network, TimeSource time) {
    this.host = host;
    this.network = network;
    this.time = time;
  }

  /** A gate's verdict. */
  record Verdict(boolean passed, Duration waited, int probes, String reason) {}

  /** Thrown inside a probe when the container is no longer running: ends the gate at once. */
  static final class Exited extends Exception {
    private static final long serialVersionUID = 1L;

    Exited(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * One probe's deadline: up to 2 s, within the gate's, but never so short that the last probe
   * cannot get an answer (which would report a useless "no answer" instead of the real one).
   */
  Deadline probeDeadline(Deadline gate) {
    long left = gate.remaining().toMillis();
    return Deadline.after(Duration.ofMillis(Math.max(PROBE_MINIMUM.toMillis(),
        Math.min(PROBE_MAXIMUM.toMillis(), left))), time);
  }

  /** The service's health URL as reached through {@code forward}. */
  static URI healthUrl(Service service, PortForward forward) {
    return URI.create("http://" + forward.hostAndPort() + service.deploy().healthPath());
  }

  /** Forwards the service's probe port of the container, through the host. */
  PortForward forward(Service service, ContainerState container) {
    return host.forward(container.id(), network, service.probePort().orElseThrow());
  }

  Verdict web(Service service, ContainerState container, Duration timeout) throws InterruptedException {
    try (PortForward forward = forward(service, container);
        HttpCheck check = HttpCheck.builder(healthUrl(service, forward))
        .connectTimeout(Duration.ofSeconds(1)).build()) {
      AwaitResult<HealthResult> result = Await.atMost(timeout).backoff(READINESS).timeSource(time)
          .retryIf(e -> !(e instanceof Exited))
          .until(deadline -> {
            running(container);
            return check.check(CheckContext.of(probeDeadline(deadline)));
          }, HealthResult::isUp);
      return verdict(result, service.deploy().healthPath() + " never answered 2xx within "
          + seconds(timeout));
    }
  }

  Verdict started(ContainerState container, Duration timeout) throws InterruptedException {
    long start = time.nanoTime();
    AwaitResult<ContainerState> result = Await.atMost(timeout)
        .backoff(Backoff.exponential(Duration.ofMillis(50), Duration.ofMillis(500))).timeSource(time)
        .retryIf(e -> !(e instanceof Exited))
        .until(deadline -> running(container), now -> Optional.ofNullable(now.health())
            .map("healthy"::equals)
            .orElse(time.nanoTime() - start >= SETTLE.toNanos()));
    return verdict(result, "not healthy within " + seconds(timeout));
  }

  private ContainerState running(ContainerState container) throws Exited {
    ContainerState now = host.inspect(container.id(), network)
        .orElseThrow(() -> new Exited("the container was removed"));
    int restarts = now.restarts() - container.restarts();
    if (!now.running() || restarts > 0 || now.status().equals("restarting")) {
      // A restart policy brings an exited container back: it crashed all the same.
      throw new Exited("the container exited with code " + now.exitCode()
          + (restarts > 0 ? " (Docker restarted it " + restarts + " time"
              + (restarts == 1 ? "" : "s") + " by its restart policy)" : ""));
    }
    return now;
  }

  private static <T> Verdict verdict(AwaitResult<T> result, String timeoutReason) {
    return switch (result) {
      case AwaitResult.Satisfied<T> s -> new Verdict(true, s.elapsed(), s.attempts(), "healthy");
      case AwaitResult.TimedOut<T> t -> new Verdict(false, t.elapsed(), t.attempts(),
          timeoutReason + "; last probe: " + t.last().describe());
      case AwaitResult.Aborted<T> a -> new Verdict(false, a.elapsed(), a.attempts(),
          a.cause().getMessage());
    };
  }

  static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
