package dev.deploykit.core.internal.protocol;

import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.DeployResult;
import dev.deploykit.core.Release;
import dev.deploykit.core.Service;
import dev.deploykit.core.StackNames;
import dev.deploykit.core.engine.ContainerState;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Undoes a release that already took traffic (it turned unhealthy in its watch window, or a
 * worker failed after the web switch): the previous release's web container, kept stopped, is
 * started again, gated with that release's own configuration, and takes the traffic back; the
 * previous workers start again and this release's stop. Without an earlier release the web
 * service is taken out of traffic.
 */
final class ReverseSwap {
  private final RunContext run;
  private final WebSwap webSwap;

  ReverseSwap(RunContext run, WebSwap webSwap) {
    this.run = run;
    this.webSwap = webSwap;
  }

  /**
   * Rolls back a release that turned unhealthy in its watch window, and records it as rolled
   * back.
   */
  DeployResult rollBack(Recording recording, Service web, Release release, ContainerState fresh,
      Map<String, List<ContainerState>> previousWorkers, String unhealthy) throws InterruptedException {
    List<String> logs = run.logs(fresh.id());
    String restored = reverse(web, release, fresh, previousWorkers);
    Release rolled = release.withOutcome(Release.Outcome.ROLLED_BACK,
        "service " + web.name() + " turned unhealthy after the switch: " + unhealthy);
    recording.record(rolled);
    return new DeployResult.RolledBack(rolled, run.at(), rolled.message(), restored, logs);
  }

  /** Returns the restored release's id, or a note that there was none. */
  String reverse(Service web, Release release, ContainerState fresh,
      Map<String, List<ContainerState>> previousWorkers) throws InterruptedException {
    Optional<Release> previous = run.history().live();
    Optional<ContainerState> kept = previous.flatMap(p -> containers(web, p.id()).stream().findFirst());
    String restored;
    if (kept.isPresent()) {
      restoreWeb(web, previous.get(), kept.get());
      restored = previous.get().id();
    } else {
      run.proxy.ensure(run.stack, web).stopAll(web.name());
      restored = "none (no earlier release: the service is out of traffic)";
    }
    run.host.stop(fresh.id(), web.stopGracePeriod());
    restoreWorkers(previous, release, previousWorkers);
    run.emit(new DeployEvent.RolledBack(run.at(), web.name(), restored));
    return restored;
  }

  /**
   * Hands the worker services this run already handed over back to the live release, for a
   * release without a web service whose later worker failed.
   */
  void undoWorkers(Release release, Map<String, List<ContainerState>> previousWorkers) {
    restoreWorkers(run.history().live(), release, previousWorkers);
  }

  /**
   * Starts the workers of the release that serves again (kept stopped since this run handed them
   * over), then stops this release's. Without an earlier release, the ones this run stopped start
   * again. After a crash, what this run stopped may belong to the cut-short release, not to the
   * one restored, so the restored release's own containers are preferred.
   */
  private void restoreWorkers(Optional<Release> restored, Release release,
      Map<String, List<ContainerState>> previousWorkers) {
    for (Map.Entry<String, List<ContainerState>> e : previousWorkers.entrySet()) {
      Service worker = run.stack.service(e.getKey()).orElseThrow();
      List<ContainerState> again = restored.map(r -> containers(worker, r.id()))
          .filter(c -> !c.isEmpty()).orElse(e.getValue());
      for (ContainerState old : again) {
        run.host.start(old.id());
      }
      for (ContainerState mine : containers(worker, release.id())) {
        run.host.stop(mine.id(), worker.stopGracePeriod());
      }
    }
  }

  private List<ContainerState> containers(Service service, String release) {
    return run.host.list(Map.of(StackNames.LABEL_STACK, run.stack.name(), StackNames.LABEL_SERVICE,
        service.name(), StackNames.LABEL_RELEASE, release), run.network);
  }

  private void restoreWeb(Service web, Release previous, ContainerState kept) throws InterruptedException {
    run.host.start(kept.id());
    ContainerState again = run.host.inspect(kept.id(), run.network).orElseThrow(() -> new DeployException(
        "The previous release's container " + kept.name() + " vanished while it was started again"));
    Service config = run.state.snapshot(previous.id()).flatMap(s -> s.service(web.name())).orElse(web);
    Gates.Verdict verdict = run.gates.web(config, again, config.deploy().deployTimeout());
    if (!verdict.passed()) {
      throw new DeployException("Rolling back " + web.name() + " failed: the previous release's"
          + " container " + again.name() + " is not healthy either (" + verdict.reason()
          + "). The new release still serves; investigate with `deploykit logs " + web.name() + "`");
    }
    webSwap.switchTo(web, config, again, run.time.nanoTime());
  }
}
