package dev.deploykit.core.internal.protocol;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.Service;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.PortForward;
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
import java.util.Optional;
import java.util.function.UnaryOperator;

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

  /**
   * Forwards the service's probe port of a running container; a container that exited (before
   * the forward, or while the host set it up) is reported as {@link Exited}, not as a failure of
   * the engine.
   */
  PortForward reach(Service service, ContainerState container) throws Exited {
    running(container);
    try {
      return forward(service, container);
    } catch (DeployException e) {
      running(container);
      throw e;
    }
  }

  Verdict web(Service service, ContainerState container, Duration timeout) throws InterruptedException {
    PortForward reached;
    try {
      reached = reach(service, container);
    } catch (Exited e) {
      return new Verdict(false, Duration.ZERO, 1, e.getMessage());
    }
    int port = service.probePort().orElseThrow();
    try (PortForward forward = reached;
        HttpCheck check = HttpCheck.builder(healthUrl(service, forward))
        .connectTimeout(Duration.ofSeconds(1)).build()) {
      AwaitResult<HealthResult> result = Await.atMost(timeout).backoff(READINESS).timeSource(time)
          .retryIf(e -> !(e instanceof Exited))
          .until(deadline -> {
            running(container);
            return check.check(CheckContext.of(probeDeadline(deadline)));
          }, HealthResult::isUp);
      return verdict(result, service.deploy().healthPath() + " on port " + port
          + " never answered 2xx within " + seconds(timeout), inContainer(forward, container, port));
    }
  }

  /**
   * Says {@code container:port} where a probe's description names the forward's local address,
   * which means nothing to the operator (a tunnel's port, or a bridge address).
   */
  static UnaryOperator<String> inContainer(PortForward forward, ContainerState container, int port) {
    return text -> text.replace(forward.hostAndPort(), container.name() + ":" + port);
  }

  Verdict started(ContainerState container, Duration timeout) throws InterruptedException {
    return started(container, timeout, SETTLE);
  }

  /**
   * A container that was already running before this run (a kept accessory): one probe tells,
   * since it has long had its settle time; only a Docker healthcheck that is not (yet) healthy
   * makes the gate wait.
   */
  Verdict kept(ContainerState container, Duration timeout) throws InterruptedException {
    return started(container, timeout, Duration.ZERO);
  }

  private Verdict started(ContainerState container, Duration timeout, Duration settle)
      throws InterruptedException {
    long start = time.nanoTime();
    AwaitResult<ContainerState> result = Await.atMost(timeout)
        .backoff(Backoff.exponential(Duration.ofMillis(50), Duration.ofMillis(500))).timeSource(time)
        .retryIf(e -> !(e instanceof Exited))
        .until(deadline -> running(container), now -> Optional.ofNullable(now.health())
            .map("healthy"::equals)
            .orElse(time.nanoTime() - start >= settle.toNanos()));
    return verdict(result, "not healthy within " + seconds(timeout), text -> text);
  }

  private ContainerState running(ContainerState container) throws Exited {
    ContainerState now = host.inspect(container.id(), network)
        .orElseThrow(() -> new Exited("the container was removed"));
    int restarts = now.restarts() - container.restarts();
    if (now.running() && restarts > 0 && !now.status().equals("restarting")) {
      // A restart policy brought it back, which resets its exit code: the code is gone.
      throw new Exited("the container exited and Docker restarted it " + times(restarts)
          + " by its restart policy");
    }
    if (!now.running() || now.status().equals("restarting")) {
      throw new Exited("the container exited with code " + now.exitCode()
          + (now.status().equals("restarting") ? " (Docker is restarting it by its restart policy"
              + (restarts > 0 ? "; restarted " + times(restarts) + " so far)" : ")") : ""));
    }
    return now;
  }

  private static String times(int n) {
    return n + " time" + (n == 1 ? "" : "s");
  }

  private static <T> Verdict verdict(AwaitResult<T> result, String timeoutReason,
      UnaryOperator<String> rename) {
    return switch (result) {
      case AwaitResult.Satisfied<T> s -> new Verdict(true, s.elapsed(), s.attempts(), "healthy");
      case AwaitResult.TimedOut<T> t -> new Verdict(false, t.elapsed(), t.attempts(),
          timeoutReason + "; last probe: " + rename.apply(t.last().describe()));
      case AwaitResult.Aborted<T> a -> new Verdict(false, a.elapsed(), a.attempts(),
          a.cause().getMessage());
    };
  }

  static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
