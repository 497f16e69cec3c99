package dev.deploykit.core.internal.protocol;

import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.Release;
import dev.deploykit.core.Service;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.internal.haproxy.HaproxySwitch;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Protocol steps 5 to 8 for the web service: start the new container next to the old one,
 * health-gate it, switch the proxy to it, drain the old one, stop the old one and keep it for
 * rollback. A container that fails its gate is removed with nothing switched.
 */
final class WebSwap {
  private final RunContext run;
  private final ReleaseContainers containers;

  WebSwap(RunContext run, ReleaseContainers containers) {
    this.run = run;
    this.containers = containers;
  }

  /** How the swap ended. */
  sealed interface Outcome {
    /** The new container serves; the old ones are stopped and kept. */
    record Switched(ContainerState fresh) implements Outcome {}

    /** The new container failed its gate and was removed; the old one still serves. */
    record GateFailed(String reason, List<String> logs) implements Outcome {}
  }

  Outcome swap(Service web, Release release, String imageId) throws InterruptedException {
    List<ContainerState> previous = run.running(web.name());
    ContainerState fresh = containers.start(web, release, imageId, 0);
    Gates.Verdict verdict = run.gates.web(web, fresh, web.deploy().deployTimeout());
    if (!verdict.passed()) {
      List<String> logs = run.logs(fresh.id());
      run.host.remove(fresh.id());
      run.emit(new DeployEvent.HealthGateFailed(run.at(), web.name(), fresh.name(), verdict.reason()));
      return new Outcome.GateFailed("service " + web.name() + ": " + verdict.reason(), logs);
    }
    run.emit(new DeployEvent.HealthGatePassed(run.at(), web.name(), fresh.name(), verdict.waited(),
        verdict.probes()));
    switchTo(web, web, fresh, run.time.nanoTime());
    for (ContainerState old : previous) {
      run.host.stop(old.id(), web.stopGracePeriod());
      run.emit(new DeployEvent.OldStopped(run.at(), web.name(), old.name()));
    }
    return new Outcome.Switched(fresh);
  }

  /**
   * Points the proxy's backend of {@code web} at {@code target}, probed as {@code config} says
   * (the release's own configuration on a rollback), and drains what served before.
   */
  HaproxySwitch.Result switchTo(Service web, Service config, ContainerState target, long healthyAt)
      throws InterruptedException {
    HaproxySwitch proxySwitch = run.proxy.ensure(run.stack, web);
    long switchStarted = run.time.nanoTime();
    HaproxySwitch.Result switched = proxySwitch.switchTo(web.name(),
        Objects.requireNonNull(target.ipAddress(), "address of " + target.name()),
        config.probePort().orElseThrow(), web.deploy().drainTimeout());
    // Up to the new server taking traffic: the drain that follows in the same call is not in it.
    run.emit(new DeployEvent.TrafficSwitched(run.at(), web.name(), target.name(), switched.switchTime(),
        Duration.ofNanos(switchStarted - healthyAt).plus(switched.switchTime())));
    if (switched.drainedSlot() != null) {
      run.emit(new DeployEvent.Drained(run.at(), web.name(), switched.drainTime(), switched.leftSessions()));
    }
    return switched;
  }
}
