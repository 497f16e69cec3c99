package dev.deploykit.cli;

import dev.deploykit.core.swarm.SwarmHealth;
import dev.deploykit.core.swarm.SwarmStackStatus;
import dev.deploykit.health.HealthReport;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * {@code deploykit status} for a stack on {@code x-deploykit.engine: swarm}: the nodes, each Swarm
 * service with its tasks by node, the proxy's backends and the health summary, as text or as
 * {@code --json}. The library reads them ({@code SwarmCluster.status}, {@link SwarmHealth}).
 */
final class SwarmStatusView {
  private SwarmStatusView() {}

  static Map<String, @Nullable Object> document(String host, SwarmStackStatus status, HealthReport health) {
    return Json.object("stack", status.stack(), "host", host, "engine", "swarm",
        "nodes", status.nodes().stream().map(SwarmCommand::node).toList(),
        "services", status.services().stream().map(SwarmStatusView::service).toList(),
        "proxy", Json.object("running", status.proxyRunning(), "servers", status.proxy().stream()
            .map(p -> Json.object("backend", p.backend(), "server", p.server(), "status", p.status(),
                "address", p.address(), "sessions", p.sessions())).toList()),
        "health", Json.object("status", health.status(), "checks", health.checks().stream()
            .map(c -> Json.object("name", c.name(), "status", c.status(), "detail", c.result().detail())).toList()));
  }

  private static Map<String, @Nullable Object> service(SwarmStackStatus.Service s) {
    return Json.object("name", s.name(), "service", s.service(), "release", s.release(), "role", s.role(),
        "replicas", s.replicas(), "running", s.running(), "byNode", s.byNode(), "lastError", s.lastError(),
        "tasks", s.tasks().stream().map(t -> Json.object("id", t.id(), "node", t.node(), "state", t.state(),
            "desiredState", t.desiredState(), "error", t.error())).toList());
  }

  static void print(Console console, String host, SwarmStackStatus status, HealthReport health) {
    console.line(console.bold("stack ") + status.stack() + " on the swarm of " + host);
    console.line(console.bold("nodes"));
    SwarmCommand.Nodes.table(status.nodes()).forEach(l -> console.line("  " + l));
    console.line(console.bold("services") + console.dim(" (replicas kept at 0 are releases kept for rollback)"));
    if (status.services().isEmpty()) {
      console.line("  " + console.red("none: nothing of " + status.stack() + " runs on this swarm"));
    }
    for (SwarmStackStatus.Service s : status.services()) {
      String count = s.running() + "/" + s.replicas();
      String tasks = s.byNode().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
          .collect(Collectors.joining(", "));
      console.line(String.format(Locale.ROOT, "  %-28s %-9s %s%s", s.name(), s.role(),
          s.replicas() == 0 ? console.dim("kept") : s.converged() ? console.green(count) : console.yellow(count),
          tasks.isEmpty() ? "" : "  " + tasks));
      if (s.lastError() != null) {
        console.line("    " + console.red("last error: " + s.lastError()));
      }
    }
    console.line(console.bold("proxy") + (status.proxyRunning() ? "" : " " + console.red("not running")));
    List<SwarmStackStatus.ProxyServer> shown = status.proxy().stream().filter(p -> !p.status().startsWith("MAINT"))
        .toList();
    for (SwarmStackStatus.ProxyServer p : shown) {
      console.line(String.format(Locale.ROOT, "  %s/%-4s %-6s %s", p.backend(), p.server(),
          p.up() ? console.green(p.status()) : console.yellow(p.status()), p.address()));
    }
    if (status.proxyRunning()) {
      console.line(console.dim("  (" + (status.proxy().size() - shown.size()) + " servers in maintenance)"));
    }
    List<String> checks = health.checks().stream()
        .map(c -> c.name() + " " + c.status().name().toLowerCase(Locale.ROOT)).toList();
    console.line(console.bold("health ") + health.status() + console.dim("  " + String.join(", ", checks)));
  }
}
