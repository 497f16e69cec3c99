package dev.deploykit.core.internal.protocol;

import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.Release;
import dev.deploykit.core.ReleaseHistory;
import dev.deploykit.core.Role;
import dev.deploykit.core.StackNames;
import dev.deploykit.core.engine.ContainerState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Repairs what a run cut short left behind, before this run changes anything: its release is
 * marked interrupted, and a web container of it that serves no traffic is removed. Containers
 * that serve (the proxy points at them) and workers that may hold a job stay until this run
 * replaces them gracefully.
 */
final class Convergence {
  private final RunContext run;

  Convergence(RunContext run) {
    this.run = run;
  }

  void converge() {
    List<String> interrupted = new ArrayList<>();
    ReleaseHistory history = run.history();
    for (Release r : history.releases()) {
      if (r.outcome() == Release.Outcome.PENDING) {
        interrupted.add(r.id());
        history = history.with(r.withOutcome(Release.Outcome.INTERRUPTED, "cut short; a later run converged"));
      }
    }
    run.history(history);
    List<String> removed = removeStrayWeb(history);
    if (!interrupted.isEmpty() || !removed.isEmpty()) {
      run.saveHistory();
      run.emit(new DeployEvent.Converged(run.at(), removed, interrupted));
    }
  }

  private List<String> removeStrayWeb(ReleaseHistory history) {
    Set<String> live = new HashSet<>();
    history.releases().stream().filter(r -> r.outcome() == Release.Outcome.LIVE).forEach(r -> live.add(r.id()));
    Optional<String> liveAddress = run.stack.services(Role.WEB).stream().findFirst()
        .flatMap(w -> run.proxy.existing(run.stack).flatMap(sw -> sw.liveAddress(w.name())));
    List<String> removed = new ArrayList<>();
    Map<String, String> labels = Map.of(StackNames.LABEL_STACK, run.stack.name(),
        StackNames.LABEL_KIND, StackNames.KIND_APP);
    for (ContainerState c : run.host.list(labels, run.network)) {
      if (live.contains(c.label(StackNames.LABEL_RELEASE).orElse("")) || !c.running()) {
        continue;
      }
      boolean web = c.label(StackNames.LABEL_ROLE).filter("web"::equals).isPresent();
      boolean serving = liveAddress.isPresent() && c.ipAddress() != null
          && liveAddress.get().startsWith(c.ipAddress() + ":");
      if (web && !serving) {
        run.host.remove(c.id());
        removed.add(c.name());
      }
    }
    return removed;
  }
}
