package dev.deploykit.core.internal.protocol;

import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.Release;
import dev.deploykit.core.Role;
import dev.deploykit.core.Service;
import dev.deploykit.core.engine.ContainerState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Protocol steps 5, 6 and 8 for workers, by overlap: every replica of the new release starts
 * and proves healthy while the old ones keep working; only then do the old ones get their stop
 * signal and grace period to finish the job in hand. A new replica that fails removes all the
 * new ones, and the old ones never stopped.
 */
final class WorkerHandover {
  private final RunContext run;
  private final ReleaseContainers containers;
  /** The old containers of each worker service handed over so far, for a reverse swap. */
  private final Map<String, List<ContainerState>> handedOver = new LinkedHashMap<>();

  WorkerHandover(RunContext run, ReleaseContainers containers) {
    this.run = run;
    this.containers = containers;
  }

  /** A worker whose new replica failed its gate: why, and its logs. */
  record Failure(String reason, List<String> logs) {}

  /** Hands every worker service over to the release; stops at the first that fails. */
  Optional<Failure> handOver(Release release, Map<String, String> imageIds) throws InterruptedException {
    for (Service w : run.stack.inStartOrder(Role.WORKER)) {
      Optional<Failure> failure = handOver(w, release, imageIds.get(w.name()));
      if (failure.isPresent()) {
        return failure;
      }
    }
    return Optional.empty();
  }

  /** The old containers stopped per worker service, oldest service first. */
  Map<String, List<ContainerState>> handedOver() {
    return handedOver;
  }

  private Optional<Failure> handOver(Service w, Release release, String imageId) throws InterruptedException {
    List<ContainerState> old = run.running(w.name());
    List<ContainerState> fresh = new ArrayList<>();
    for (int i = 0; i < w.replicas(); i++) {
      fresh.add(containers.start(w, release, imageId, i));
    }
    for (ContainerState c : fresh) {
      Gates.Verdict verdict = run.gates.started(c, w.deploy().deployTimeout());
      if (!verdict.passed()) {
        List<String> logs = run.logs(c.id());
        run.emit(new DeployEvent.HealthGateFailed(run.at(), w.name(), c.name(), verdict.reason()));
        fresh.forEach(f -> run.host.remove(f.id()));
        return Optional.of(new Failure("service " + w.name() + ": " + verdict.reason(), logs));
      }
      run.emit(new DeployEvent.HealthGatePassed(run.at(), w.name(), c.name(), verdict.waited(), verdict.probes()));
    }
    for (ContainerState c : old) {
      run.host.stop(c.id(), w.stopGracePeriod());
      run.emit(new DeployEvent.OldStopped(run.at(), w.name(), c.name()));
    }
    handedOver.put(w.name(), old);
    return Optional.empty();
  }
}
