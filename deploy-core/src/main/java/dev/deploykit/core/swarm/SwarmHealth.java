package dev.deploykit.core.swarm;

import dev.deploykit.core.StackHealth;
import dev.deploykit.health.ComponentHealth;
import dev.deploykit.health.HealthReport;
import dev.deploykit.health.HealthResult;
import dev.deploykit.health.HealthStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The health report of a stack on a swarm, read off its {@link SwarmStackStatus}, in the groups
 * a stack on one host has ({@link StackHealth#LIVENESS}, {@link StackHealth#READINESS}):
 *
 * <ul>
 *   <li>liveness: {@code swarm:<service>} for each Swarm service meant to run, UP when as many
 *       tasks run (healthy: Swarm counts a task running once its healthcheck passed) as it has
 *       replicas, DEGRADED when fewer but some, DOWN when none; and {@code proxy}, the proxy's
 *       container on the manager;
 *   <li>readiness: {@code proxy:<backend>} for each web service, UP when as many of its servers are
 *       UP by HAProxy's own checks (on the service's health path) as its live release has
 *       replicas, DEGRADED when fewer but some, DOWN when none.
 * </ul>
 *
 * <pre>{@code
 * HealthReport report = SwarmHealth.report(SwarmCluster.of(manager).status("shop"), null);
 * }</pre>
 */
public final class SwarmHealth {
  private SwarmHealth() {}

  /**
   * The report of one group, or of both.
   *
   * @param group {@link StackHealth#LIVENESS}, {@link StackHealth#READINESS}, or null for both
   */
  public static HealthReport report(SwarmStackStatus status, @Nullable String group) {
    Objects.requireNonNull(status, "status");
    Instant now = Instant.now();
    List<ComponentHealth> checks = new ArrayList<>();
    Map<String, Integer> webServices = webServices(status);
    if (group == null || group.equals(StackHealth.LIVENESS)) {
      for (SwarmStackStatus.Service s : status.live()) {
        checks.add(check("swarm:" + s.name(), StackHealth.LIVENESS, tasks(s), now));
      }
      if (status.proxyRunning() || !webServices.isEmpty()) {
        checks.add(check("proxy", StackHealth.LIVENESS, status.proxyRunning()
            ? HealthResult.up("the proxy runs on the manager")
            : HealthResult.down("the proxy of " + status.stack() + " does not run on the manager: deploykit deploy"
                + " makes it"), now));
      }
    }
    if (group == null || group.equals(StackHealth.READINESS)) {
      for (Map.Entry<String, Integer> web : webServices.entrySet()) {
        checks.add(check("proxy:" + web.getKey(), StackHealth.READINESS, backend(status, web.getKey(), web.getValue()),
            now));
      }
    }
    return new HealthReport(HealthReport.overall(checks), checks, now, Duration.between(now, Instant.now()));
  }

  private static HealthResult tasks(SwarmStackStatus.Service s) {
    long running = s.running();
    String detail = running + "/" + s.replicas() + " tasks running"
        + (s.byNode().isEmpty() ? "" : " (" + s.byNode().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
            .collect(Collectors.joining(", ")) + ")")
        + (s.lastError() == null ? "" : "; last error: " + s.lastError());
    return HealthResult.of(status(running, s.replicas()), detail);
  }

  private static HealthResult backend(SwarmStackStatus status, String backend, int replicas) {
    if (replicas == 0) {
      return HealthResult.down("no release of " + backend + " runs: deploykit deploy, or rollback to a kept one");
    }
    if (!status.proxyRunning()) {
      return HealthResult.down("the proxy does not run, so nothing reaches " + backend);
    }
    List<SwarmStackStatus.ProxyServer> servers = status.proxy().stream().filter(p -> p.backend().equals(backend))
        .toList();
    if (servers.isEmpty()) {
      return HealthResult.down("the proxy has no backend " + backend + ": its configuration is not deploykit's");
    }
    List<String> up = servers.stream().filter(SwarmStackStatus.ProxyServer::up)
        .map(p -> p.server() + " " + p.address()).toList();
    return HealthResult.of(status(up.size(), replicas), up.size() + "/" + replicas + " servers UP"
        + (up.isEmpty() ? "" : " (" + String.join(", ", up) + ")"));
  }

  private static HealthStatus status(long running, int wanted) {
    if (running >= wanted) {
      return HealthStatus.UP;
    }
    return running > 0 ? HealthStatus.DEGRADED : HealthStatus.DOWN;
  }

  /** Each web service's name with its live release's replicas (summed, should two be live). */
  private static Map<String, Integer> webServices(SwarmStackStatus status) {
    return status.services().stream().filter(s -> s.role().equals("web"))
        .collect(Collectors.toMap(SwarmStackStatus.Service::service, SwarmStackStatus.Service::replicas, Integer::sum,
            java.util.TreeMap::new));
  }

  private static ComponentHealth check(String name, String group, HealthResult result, Instant at) {
    return new ComponentHealth(name, true, Set.of(group), result, at, Duration.ZERO);
  }
}
