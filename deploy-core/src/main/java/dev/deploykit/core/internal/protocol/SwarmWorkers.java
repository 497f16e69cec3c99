package dev.deploykit.core.internal.protocol;

import com.github.dockerjava.api.model.ServiceSpec;
import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.Role;
import dev.deploykit.core.Service;
import dev.deploykit.core.internal.swarm.SwarmServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The worker hand-over on a Swarm cluster: each worker's new Swarm service starts beside the old
 * one and is gated on its tasks running (healthy, when it has a healthcheck); the old ones run on
 * until the release is kept (after the web service's watch window), then are scaled to 0, each
 * task stopped with its stop signal and grace period so it finishes the job it holds. A release
 * that is refused or rolled back takes its new worker services away; the old ones never stopped.
 */
final class SwarmWorkers {
  private record Started(Service worker, String service, boolean created) {}

  private final RunContext run;
  private final SwarmServices services;
  private final List<Started> started = new ArrayList<>();

  SwarmWorkers(RunContext run, SwarmServices services) {
    this.run = run;
    this.services = services;
  }

  /** Starts every worker's new service; empty when all run, else why one did not (the others taken away). */
  Optional<String> start(SwarmReleaseSpecs specs) {
    for (Service worker : run.stack.services(Role.WORKER)) {
      ServiceSpec spec = specs.of(worker);
      long begin = run.time.nanoTime();
      boolean created = services.apply(spec);
      started.add(new Started(worker, spec.getName(), created));
      run.emit(new DeployEvent.ContainerStarted(run.at(), worker.name(), spec.getName()));
      try {
        int running = services.awaitRunning(spec.getName(), worker.replicas(), worker.deploy().deployTimeout());
        run.emit(new DeployEvent.HealthGatePassed(run.at(), worker.name(), spec.getName(),
            Duration.ofNanos(run.time.nanoTime() - begin), running));
      } catch (DeployException e) {
        run.emit(new DeployEvent.HealthGateFailed(run.at(), worker.name(), spec.getName(), e.getMessage()));
        withdraw();
        return Optional.of("service " + worker.name() + ": " + e.getMessage());
      }
    }
    return Optional.empty();
  }

  /** Takes this run's worker services away: removed when made now, a restored one back to 0. */
  void withdraw() {
    started.forEach(s -> services.withdraw(s.service(), s.created()));
  }

  /** Scales every other running service of each worker to 0 and waits for its tasks to stop. */
  void retireOld() {
    for (Started s : started) {
      for (String old : services.runningReleases(run.stack.name(), s.worker().name(), s.service())) {
        services.scale(old, 0);
        Duration bound = s.worker().stopGracePeriod().plusSeconds(30);
        if (!services.awaitStopped(old, bound)) {
          throw new DeployException("The tasks of the old worker service " + old + " on " + run.host.describe()
              + " did not stop within " + bound.toSeconds() + " s; `docker service ps " + old
              + "` on the manager shows them");
        }
        run.emit(new DeployEvent.OldStopped(run.at(), s.worker().name(), old));
      }
    }
  }
}
