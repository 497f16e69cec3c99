package dev.deploykit.core.internal.protocol;

import com.github.dockerjava.api.model.ServiceSpec;
import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.Release;
import dev.deploykit.core.Service;
import dev.deploykit.core.StackNames;
import dev.deploykit.core.internal.haproxy.SlotGroupSwitch;
import dev.deploykit.core.internal.swarm.SwarmNames;
import dev.deploykit.core.internal.swarm.SwarmServiceSpecs;
import dev.deploykit.core.internal.swarm.SwarmServices;
import dev.deploykit.core.internal.swarm.SwarmWebRelease;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The web service's swap on a Swarm cluster, in three steps a run takes in turn: {@link #start}
 * (the new release's service gated and switched to, the serving one drained but running, its
 * slot group checked by HAProxy all along), then
 * either {@link #retireOld} (the release is kept) or {@link #switchBack} (it turned unhealthy in
 * its watch window). What serves before the run is read from the proxy, not from the history,
 * so a run cut short anywhere is converged: a release service that serves no traffic is scaled
 * to 0 when the next release is kept.
 */
final class SwarmWebSwap {
  private static final String TASKS = "tasks.";

  private final RunContext run;
  private final SwarmServices services;
  private final SlotGroupSwitch proxy;
  private final SwarmWebRelease release;
  private @Nullable String previous;
  private SwarmWebRelease.@Nullable Started started;
  private @Nullable ServiceSpec spec;

  SwarmWebSwap(RunContext run, SwarmServices services, SlotGroupSwitch proxy) {
    this.run = run;
    this.services = services;
    this.proxy = proxy;
    this.release = new SwarmWebRelease(services, proxy, run.time);
  }

  /** Gates and switches to {@code spec}; empty when it serves, else why it was refused. */
  Optional<String> start(Service web, ServiceSpec spec) {
    previous = serving(web);
    this.spec = spec;
    run.emit(new DeployEvent.ContainerStarted(run.at(), web.name(), spec.getName()));
    try {
      started = release.start(web.name(), spec, web.deploy().deployTimeout(), web.deploy().drainTimeout());
    } catch (DeployException e) {
      run.emit(new DeployEvent.HealthGateFailed(run.at(), web.name(), spec.getName(), e.getMessage()));
      return Optional.of("service " + web.name() + ": " + e.getMessage());
    }
    SlotGroupSwitch.Result switched = started.switched();
    run.emit(new DeployEvent.HealthGatePassed(run.at(), web.name(), spec.getName(), started.gateTime(),
        (int) SwarmServiceSpecs.replicas(spec)));
    run.emit(new DeployEvent.TrafficSwitched(run.at(), web.name(), spec.getName(),
        switched.upTime().plus(switched.drainTime()), switched.upTime()));
    run.emit(new DeployEvent.Drained(run.at(), web.name(), switched.drainTime(), switched.leftSessions()));
    return Optional.empty();
  }

  /** The proxy's slot group that serves the started release. */
  String liveGroup() {
    return requireStarted().switched().liveGroup();
  }

  /** The slot group of the release before, drained but running, if one served. */
  Optional<String> heldGroup() {
    return requireStarted().switched().drainedGroup();
  }

  /** The Swarm service the started release runs as. */
  String started() {
    return requireStarted().service();
  }

  /**
   * Switches the proxy back to what served before and takes the started release's service away.
   *
   * @return the release that serves again, or a note that none did
   */
  String switchBack(Service web) {
    SwarmWebRelease.Started now = requireStarted();
    Optional<com.github.dockerjava.api.model.Service> before = previous == null || previous.equals(now.service())
        ? Optional.empty() : services.find(previous);
    if (before.isEmpty()) {
      proxy.maintenance(web.name(), now.switched().liveGroup());
      services.withdraw(now.service(), now.created());
      return "none (no earlier release: the service is out of traffic)";
    }
    String name = before.get().getSpec().getName();
    int replicas = (int) SwarmServiceSpecs.replicas(before.get().getSpec());
    Optional<String> held = now.switched().drainedGroup();
    if (held.isPresent()) {
      // The release before still runs in its drained (or hedged) group: it takes the traffic
      // back as it is, checked all along, with no server forced down.
      proxy.fallBack(web.name(), held.get(), now.switched().liveGroup(), replicas, web.deploy().deployTimeout(),
          web.deploy().drainTimeout());
    } else {
      proxy.switchTo(web.name(), SwarmNames.tasks(name), replicas, web.deploy().deployTimeout(),
          web.deploy().drainTimeout());
    }
    services.withdraw(now.service(), now.created());
    return run.history().live().map(Release::id)
        .orElseGet(() -> before.get().getSpec().getLabels().getOrDefault(StackNames.LABEL_RELEASE, name));
  }

  /** Scales every other release service of the web service that still runs to 0 (kept for a rollback). */
  void retireOld(Service web) {
    ServiceSpec next = java.util.Objects.requireNonNull(spec, "spec");
    requireStarted().switched().drainedGroup().ifPresent(group -> proxy.maintenance(web.name(), group));
    List<String> others = services.runningReleases(run.stack.name(), web.name(), requireStarted().service());
    for (String old : others) {
      release.retire(old, next);
      run.emit(new DeployEvent.OldStopped(run.at(), web.name(), old));
    }
  }

  /** The Swarm service behind the proxy's live slot group, if one serves. */
  private @Nullable String serving(Service web) {
    return proxy.liveGroup(web.name()).flatMap(group -> proxy.servingName(web.name(), group))
        .filter(fqdn -> fqdn.startsWith(TASKS)).map(fqdn -> fqdn.substring(TASKS.length()))
        .orElse(null);
  }

  private SwarmWebRelease.Started requireStarted() {
    if (started == null) {
      throw new IllegalStateException("no release started");
    }
    return started;
  }
}
