package dev.deploykit.core.internal.protocol;

import dev.deploykit.core.DeployResult;
import dev.deploykit.core.Release;
import dev.deploykit.core.Role;
import dev.deploykit.core.Service;
import dev.deploykit.core.engine.ContainerState;
import java.util.Map;
import java.util.Optional;

/**
 * Protocol steps 5 to 9 for the services a release replaces: the web swap ({@link WebSwap}),
 * the worker hand-over ({@link WorkerHandover}) and the watch window ({@link WatchWindow}), and
 * their undoing ({@link ReverseSwap}) when a worker fails after the web switch or the release
 * turns unhealthy in its window.
 */
final class Handover {
  private final RunContext run;
  private final ReleaseContainers containers;
  private final Recording recording;

  Handover(RunContext run, ReleaseContainers containers, Recording recording) {
    this.run = run;
    this.containers = containers;
    this.recording = recording;
  }

  /** The recorded result when the release was undone (refused, rolled back); empty when it may go live. */
  Optional<DeployResult> handOver(Release release, Map<String, String> imageIds) throws InterruptedException {
    Optional<Service> web = run.stack.services(Role.WEB).stream().findFirst();
    WebSwap webSwap = new WebSwap(run, containers);
    Optional<ContainerState> fresh = Optional.empty();
    if (web.isPresent()) {
      switch (webSwap.swap(web.get(), release, imageIds.get(web.get().name()))) {
        case WebSwap.Outcome.GateFailed f -> {
          return Optional.of(recording.refuse(release, f.reason(), f.logs()));
        }
        case WebSwap.Outcome.Switched s -> fresh = Optional.of(s.fresh());
      }
    }
    WorkerHandover workers = new WorkerHandover(run, containers);
    Optional<WorkerHandover.Failure> worker = workers.handOver(release, imageIds);
    ReverseSwap reverse = new ReverseSwap(run, webSwap);
    if (worker.isPresent()) {
      if (fresh.isPresent()) {
        reverse.reverse(web.get(), release, fresh.get(), workers.handedOver());
      } else {
        reverse.undoWorkers(release, workers.handedOver());
      }
      return Optional.of(recording.refuse(release, worker.get().reason(), worker.get().logs()));
    }
    if (fresh.isPresent() && !web.get().deploy().watchWindow().isZero()) {
      Optional<String> unhealthy = new WatchWindow(run).watch(web.get(), fresh.get());
      if (unhealthy.isPresent()) {
        return Optional.of(reverse.rollBack(recording, web.get(), release, fresh.get(),
            workers.handedOver(), unhealthy.get()));
      }
    }
    return Optional.empty();
  }
}
