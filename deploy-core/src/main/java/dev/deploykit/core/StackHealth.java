package dev.deploykit.core;

import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.health.CheckSpec;
import dev.deploykit.health.HealthReport;
import dev.deploykit.health.HealthRunner;
import dev.deploykit.health.wait.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health of a deployed stack, built from what its services declare (role, {@link Probe},
 * probe port), never guessed from image names. Two groups:
 *
 * <ul>
 *   <li>{@value #LIVENESS}: the proxy's container (for a stack with a web service) and each
 *       service's running containers, running and healthy by their Docker healthcheck;
 *   <li>{@value #READINESS}: what users reach: the web service through the proxy on its health
 *       path, and every other service through its declared probe on its probe port
 *       ({@link Probe#HTTP}, {@link Probe#POSTGRES} with the credentials {@link Probe} names,
 *       {@link Probe#OLLAMA}, {@link Probe#TCP}); a {@link Probe#CONTAINER} service has its
 *       liveness check only. The proxy's container check belongs here too.
 * </ul>
 *
 * <p>Check names: {@code proxy}, the service's name for its containers, and
 * {@code <service>:<probe>} ({@code app:http}, {@code db:postgres}) for its probe. Every check
 * reaches a container through {@link DockerHost#forward}, so the same checks work wherever the
 * host's transport reaches. A service without a running container, or a port the host cannot
 * reach, is a DOWN check that says so.
 *
 * <pre>{@code
 * try (StackHealth health = deployer.health(deployer.inspect(stack))) {
 *   HealthReport all = health.run();
 *   HealthReport ready = health.run(StackHealth.READINESS);
 *   System.out.println(ready.toText());
 * }
 * }</pre>
 *
 * <p>It owns every check and forward it opened (a kept database connection, a forwarded port):
 * {@link #close()} closes them all. Thread safety: runs may overlap, as {@link HealthRunner}'s
 * do; close it once no run is in progress.
 */
public final class StackHealth implements AutoCloseable {
  /** The group of the containers' checks. */
  public static final String LIVENESS = "liveness";
  /** The group of the checks of what users reach. */
  public static final String READINESS = "readiness";
  /** A run's report comes back by this deadline, whatever the checks do. */
  public static final Duration DEADLINE = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(StackHealth.class);

  private final HealthRunner runner;
  private final List<AutoCloseable> owned;
  private final AtomicBoolean closed = new AtomicBoolean();

  private StackHealth(HealthRunner runner, List<AutoCloseable> owned) {
    this.runner = runner;
    this.owned = List.copyOf(owned);
  }

  /** The checks of {@code deployed}, opened now; closes what it opened if building fails. */
  static StackHealth open(DockerHost host, DeployedStack deployed, TimeSource time) {
    List<AutoCloseable> owned = new ArrayList<>();
    try {
      HealthRunner.Builder runner = HealthRunner.builder().deadline(DEADLINE).timeSource(time);
      new StackChecks(host, deployed, owned).all().forEach(runner::add);
      return new StackHealth(runner.build(), owned);
    } catch (RuntimeException e) {
      closeAll(owned);
      throw e;
    }
  }

  /** The checks, in the order they report: the proxy, then each service as the stack lists it. */
  public List<CheckSpec> checks() {
    return runner.specs();
  }

  /**
   * Runs every check, concurrently, and reports by {@link #DEADLINE}.
   *
   * @throws IllegalStateException when closed
   * @throws InterruptedException when interrupted; the running checks are cancelled
   */
  public HealthReport run() throws InterruptedException {
    requireOpen();
    return runner.run();
  }

  /**
   * Runs the checks of one group, {@link #LIVENESS} or {@link #READINESS}.
   *
   * @throws IllegalArgumentException when no check belongs to {@code group}
   * @throws IllegalStateException when closed
   * @throws InterruptedException when interrupted; the running checks are cancelled
   */
  public HealthReport run(String group) throws InterruptedException {
    requireOpen();
    return runner.run(group);
  }

  /** Closes every check and forward it opened, newest first; closing twice does nothing. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      runner.close();
      closeAll(owned);
    }
  }

  private void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException("this StackHealth is closed");
    }
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (AutoCloseable r : resources.reversed()) {
      try {
        r.close();
      } catch (Exception e) {
        log.debug("closing {} failed: {}", r, e.toString());
      }
    }
  }
}
