package dev.deploykit.cli;

import dev.deploykit.core.DeployedStack;
import dev.deploykit.core.Deployer;
import dev.deploykit.core.Engine;
import dev.deploykit.core.Release;
import dev.deploykit.core.Service;
import dev.deploykit.core.Stack;
import dev.deploykit.core.StackNames;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.swarm.SwarmCluster;
import dev.deploykit.core.swarm.SwarmHealth;
import dev.deploykit.core.swarm.SwarmStackStatus;
import dev.deploykit.health.HealthReport;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "status", description = {
    "What is live: release, containers, URL, lock, health.",
    "What is live: the live release, each service's running containers, the proxy's URL, the lock,"
        + " the latest releases and the health summary.",
    "On a stack with x-deploykit.engine: swarm (--host names a manager): the nodes, each Swarm"
        + " service with its tasks by node, the proxy's backends and the health summary."})
final class StatusCommand implements Callable<Integer> {
  /** How many of the latest releases status shows. */
  private static final int LATEST = 5;

  @ParentCommand Deploykit root;

  @picocli.CommandLine.Mixin StackFileOption stackFile;

  @Override
  public Integer call() throws InterruptedException {
    Console console = root.console();
    Stack stack = root.loadStack();
    if (stack.settings().engine() == Engine.SWARM) {
      return swarm(console, stack);
    }
    try (DockerHost host = root.connect()) {
      Deployer deployer = Deployer.builder(host).build();
      DeployedStack deployed = deployer.inspect(stack);
      HealthReport health = HealthCommand.report(deployer, deployed, null);
      if (console.json()) {
        console.json(Json.write(document(deployed, health)));
      } else {
        print(console, deployed, health);
      }
      return ExitCodes.OK;
    }
  }

  /** A stack on a swarm: its services and tasks by node, and the proxy's backends, from the manager. */
  private int swarm(Console console, Stack stack) {
    try (DockerHost manager = root.connect()) {
      SwarmStackStatus status = SwarmCommand.swarmFailure(() -> SwarmCluster.of(manager).status(stack.name()));
      HealthReport health = SwarmHealth.report(status, null);
      if (console.json()) {
        console.json(Json.write(SwarmStatusView.document(manager.describe(), status, health)));
      } else {
        SwarmStatusView.print(console, manager.describe(), status, health);
      }
      return ExitCodes.OK;
    }
  }

  private static Map<String, Object> document(DeployedStack deployed, HealthReport health) {
    Map<String, Object> services = new LinkedHashMap<>();
    for (Service s : deployed.stack().services()) {
      services.put(s.name(), deployed.running(s.name()).stream().map(c -> Json.object("name", c.name(),
          "status", c.status(), "health", c.health(), "release", c.label(StackNames.LABEL_RELEASE).orElse(null)))
          .toList());
    }
    return Json.object("stack", deployed.stack().name(), "host", deployed.host(),
        "url", deployed.proxyUrl().map(URI::toString).orElse(null),
        "live", deployed.history().live().orElse(null), "lock", deployed.lock().orElse(null),
        "services", services, "releases", deployed.history().latest(LATEST),
        "health", Json.object("status", health.status(), "checks", health.checks().stream()
            .map(c -> Json.object("name", c.name(), "status", c.status(), "detail", c.result().detail())).toList()));
  }

  private static void print(Console console, DeployedStack deployed, HealthReport health) {
    console.line(console.bold("stack ") + deployed.stack().name() + " on " + deployed.host());
    console.line("  url:      " + deployed.proxyUrl().map(URI::toString).orElse(deployed.proxy().isPresent()
        ? "(the proxy is not running: deploykit deploy)" : "(no proxy yet: deploykit deploy)"));
    console.line("  live:     " + deployed.history().live().map(r -> console.green(r.id())
        + (r.version() == null ? "" : " (" + r.version() + ")") + " by " + r.createdBy() + " at " + r.createdAt())
        .orElse("no live release"));
    console.line("  lock:     " + deployed.lock().map(l -> console.yellow("held by " + l.describe())).orElse("free"));
    console.line(console.bold("services"));
    for (Service s : deployed.stack().services()) {
      List<ContainerState> running = deployed.running(s.name());
      console.line(String.format("  %-10s %s", s.name(), running.isEmpty() ? console.red("not running")
          : String.join(", ", running.stream().map(c -> c.name() + " " + c.status()
              + (c.health() == null ? "" : " (" + c.health() + ")")).toList())));
    }
    console.line(console.bold("releases") + console.dim(" (latest " + LATEST + "; deploykit releases lists all)"));
    for (Release r : deployed.history().latest(LATEST)) {
      console.line("  " + ReleasesCommand.line(r, console));
    }
    List<String> checks = health.checks().stream()
        .map(c -> c.name() + " " + c.status().name().toLowerCase(Locale.ROOT)).toList();
    console.line(console.bold("health ") + health.status() + console.dim("  " + String.join(", ", checks)));
  }
}
