package dev.deploykit.core.internal.swarm;

import com.github.dockerjava.api.model.ServiceSpec;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.internal.haproxy.SlotGroupSwitch;
import dev.deploykit.health.wait.TimeSource;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One web service's release on a Swarm cluster, start-first and health-gated: the new release's
 * Swarm service is created beside the serving one, its tasks must all run healthy ({@link
 * TaskGate}) within the deploy timeout and then pass HAProxy's own checks, the proxy's idle slot
 * group takes it and the live group drains ({@link SlotGroupSwitch}), and the previous release's
 * service is scaled to 0 (kept for a rollback). A rollback releases a kept release's stored spec
 * again: its service comes back with that spec's replicas and configuration. A release that
 * fails its gate is removed (a kept one goes back to 0 replicas) and nothing is switched: the
 * previous release serves on, untouched.
 *
 * <p>Thread safety: one release per web service at a time (the stack's lock ensures it).
 */
public final class SwarmWebRelease {
  private final SwarmServices services;
  private final SlotGroupSwitch proxy;
  private final TimeSource time;

  public SwarmWebRelease(SwarmServices services, SlotGroupSwitch proxy, TimeSource time) {
    this.services = Objects.requireNonNull(services, "services");
    this.proxy = Objects.requireNonNull(proxy, "proxy");
    this.time = Objects.requireNonNull(time, "time");
  }

  private static Duration stopTimeout(ServiceSpec spec) {
    Long grace = spec.getTaskTemplate().getContainerSpec().getStopGracePeriod();
    return Duration.ofNanos(grace == null ? Duration.ofSeconds(10).toNanos() : grace).plusSeconds(30);
  }

  /**
   * What a release did.
   *
   * @param service the new release's Swarm service
   * @param gateTime from creating it to all its tasks running healthy
   * @param switched the proxy's switch
   * @param total from creating the service to the previous one scaled to 0
   */
  public record Result(String service, Duration gateTime, SlotGroupSwitch.Result switched, Duration total) {}

  /**
   * Releases {@code spec} behind {@code backend}: {@link #start} it, then {@link #retire} the
   * previous release.
   *
   * @param previous the serving release's Swarm service, or null for the first release
   * @throws DeployException when the new release does not come up (its tasks' error, with their
   *     node) or HAProxy does not find it UP: the new service is removed, the previous one serves
   */
  public Result release(String backend, ServiceSpec spec, @Nullable String previous, Duration deployTimeout,
      Duration drainTimeout) {
    long start = time.nanoTime();
    Started started = start(backend, spec, deployTimeout, drainTimeout);
    started.switched().drainedGroup().ifPresent(group -> proxy.maintenance(backend, group));
    if (previous != null) {
      retire(previous, spec);
    }
    return new Result(started.service(), started.gateTime(), started.switched(),
        Duration.ofNanos(time.nanoTime() - start));
  }

  /**
   * A release that takes the traffic while the previous one still runs (drained, out of the
   * proxy): a switch back to it is instant, until it is {@linkplain #retire retired}.
   *
   * @param service the new release's Swarm service
   * @param gateTime from creating it to all its tasks running healthy
   * @param switched the proxy's switch
   * @param created whether the service was made now (false: a kept release brought back)
   */
  public record Started(String service, Duration gateTime, SlotGroupSwitch.Result switched, boolean created) {}

  /**
   * Creates (or brings back) {@code spec}'s service, waits for its tasks to run healthy and
   * switches {@code backend} to them; the previous release's tasks keep running, and its slot
   * group stays drained ({@link SlotGroupSwitch#switchKeepingOld}: checked, ready to be hedged or
   * fallen back to) until the caller puts it into maintenance.
   *
   * @throws DeployException when the new release does not come up (its tasks' error, with their
   *     node) or HAProxy does not find it UP: the new service is removed (a kept one goes back to
   *     0 replicas), the previous one serves
   */
  public Started start(String backend, ServiceSpec spec, Duration deployTimeout, Duration drainTimeout) {
    String name = spec.getName();
    int replicas = (int) SwarmServiceSpecs.replicas(spec);
    long start = time.nanoTime();
    boolean created = services.apply(spec);
    try {
      services.awaitRunning(name, replicas, deployTimeout);
      Duration gate = Duration.ofNanos(time.nanoTime() - start);
      return new Started(name, gate, proxy.switchKeepingOld(backend, SwarmNames.tasks(name), replicas,
          deployTimeout, drainTimeout), created);
    } catch (DeployException e) {
      services.withdraw(name, created);
      throw e;
    }
  }

  /**
   * Scales the previous release's service to 0 (kept for a rollback) and waits for its tasks to
   * stop; {@code next}'s spec gives the wait its bound (its stop grace period and 30 s).
   */
  public void retire(String previous, ServiceSpec next) {
    if (previous.equals(next.getName())) {
      return;
    }
    services.scale(previous, 0);
    // The release ends when the old tasks are gone: a next release started while they stop
    // lost requests in SwarmReleaseSshIT (HAProxy 503s, cause not pinned down; their overlay
    // addresses are freed and handed out again then), none when it waited for them.
    services.awaitStopped(previous, stopTimeout(next));
  }
}
