package dev.deploykit.core.internal.protocol;

import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.Release;
import dev.deploykit.core.ReleaseHistory;
import dev.deploykit.core.Role;
import dev.deploykit.core.Service;
import dev.deploykit.core.StackNames;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.internal.haproxy.HaproxySwitch;
import dev.deploykit.core.internal.haproxy.ServerStat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Repairs what a run cut short left behind, before this run changes anything: its release is
 * marked interrupted, a switch it left half done is settled (one slot serves), and a web
 * container of it that serves no traffic is removed. Containers that serve (the proxy points
 * at them) and workers that may hold a job stay until this run replaces them gracefully.
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
    Set<String> live = new HashSet<>();
    history.releases().stream().filter(r -> r.outcome() == Release.Outcome.LIVE).forEach(r -> live.add(r.id()));
    List<ContainerState> runningWeb = runningWeb();
    Optional<String> serving = settleProxy(live, runningWeb);
    List<String> removed = removeStrayWeb(live, runningWeb, serving);
    if (!interrupted.isEmpty() || !removed.isEmpty()) {
      run.saveHistory();
      run.emit(new DeployEvent.Converged(run.at(), removed, interrupted));
    }
  }

  private List<ContainerState> runningWeb() {
    Map<String, String> labels = Map.of(StackNames.LABEL_STACK, run.stack.name(),
        StackNames.LABEL_KIND, StackNames.KIND_APP, StackNames.LABEL_ROLE, "web");
    return run.host.list(labels, run.network).stream().filter(ContainerState::running).toList();
  }

  /**
   * The address the web backend serves, once a switch that was cut short is settled: a run killed
   * while the old server drained leaves two slots taking traffic. The live release's container
   * keeps it (the history says that release serves); failing that, the slot that was switched to.
   */
  private Optional<String> settleProxy(Set<String> live, List<ContainerState> runningWeb) {
    Optional<Service> web = run.stack.services(Role.WEB).stream().findFirst();
    Optional<HaproxySwitch> proxy = web.flatMap(w -> run.proxy.existing(run.stack));
    if (proxy.isEmpty()) {
      return Optional.empty();
    }
    List<ServerStat> serving = proxy.get().serving(web.get().name());
    if (serving.size() <= 1) {
      return serving.stream().map(ServerStat::address).findFirst();
    }
    Comparator<ServerStat> preferred = Comparator
        .comparing((ServerStat s) -> !servedBy(s.address(), runningWeb, live))
        .thenComparing(s -> !servedBy(s.address(), runningWeb, null))
        .thenComparing(s -> !s.live());
    String keep = serving.stream().min(preferred).orElseThrow().address();
    proxy.get().keepOnly(web.get().name(), keep);
    return Optional.of(keep);
  }

  /** Whether a running web container (of one of {@code releases}, when given) has the address. */
  private static boolean servedBy(String address, List<ContainerState> runningWeb, @Nullable Set<String> releases) {
    return runningWeb.stream().anyMatch(c -> at(c, address)
        && (releases == null || releases.contains(c.label(StackNames.LABEL_RELEASE).orElse(""))));
  }

  private static boolean at(ContainerState c, String address) {
    return c.ipAddress() != null && address.startsWith(c.ipAddress() + ":");
  }

  private List<String> removeStrayWeb(Set<String> live, List<ContainerState> runningWeb, Optional<String> serving) {
    List<String> removed = new ArrayList<>();
    for (ContainerState c : runningWeb) {
      boolean isLive = live.contains(c.label(StackNames.LABEL_RELEASE).orElse(""));
      if (!isLive && serving.filter(a -> at(c, a)).isEmpty()) {
        run.host.remove(c.id());
        removed.add(c.name());
      }
    }
    return removed;
  }
}
