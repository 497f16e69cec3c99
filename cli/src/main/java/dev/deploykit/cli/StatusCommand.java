package dev.deploykit.cli;

import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.Deployer;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.LockInfo;
import dev.deploykit.core.Release;
import dev.deploykit.core.ReleaseHistory;
import dev.deploykit.core.Service;
import dev.deploykit.core.Stack;
import dev.deploykit.health.ComponentHealth;
import dev.deploykit.health.HealthReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "status", description = {
    "What is live: release, containers, URL, lock, health.",
    "What is live: the live release, each service's running containers, the proxy's URL, the lock,"
        + " the latest releases and the health summary."})
final class StatusCommand implements Callable<Integer> {
  @ParentCommand Deploykit root;

  @picocli.CommandLine.Mixin StackFileOption stackFile;

  @Override
  public Integer call() throws InterruptedException {
    Console console = root.console();
    Stack stack = root.loadStack();
    try (DockerHost host = Deploykit.connect()) {
      Deployer deployer = Deployer.builder(host).build();
      StackView view = new StackView(host, stack);
      ReleaseHistory history = deployer.history(stack.name());
      List<Release> releases = history.releases();
      Optional<Release> live = history.live();
      Optional<LockInfo> lock = deployer.lock(stack.name());
      Map<String, List<ContainerState>> running = new LinkedHashMap<>();
      for (Service s : stack.services()) {
        running.put(s.name(), view.running(s.name()));
      }
      HealthReport health = HealthCommand.report(view, null);
      if (console.json()) {
        Map<String, Object> services = new LinkedHashMap<>();
        running.forEach((name, cs) -> services.put(name, cs.stream().map(c -> Json.object("name", c.name(),
            "status", c.status(), "health", c.health(), "release", c.labels().get(StackView.RELEASE_LABEL))).toList()));
        console.json(Json.write(Json.object("stack", stack.name(), "host", host.describe(),
            "url", view.proxyUrl().map(Object::toString).orElse(null),
            "live", live.orElse(null), "lock", lock.orElse(null), "services", services,
            "releases", releases.stream().skip(Math.max(0, releases.size() - 5)).toList(),
            "health", Json.object("status", health.status(), "checks", health.checks().stream()
                .map(c -> Json.object("name", c.name(), "status", c.status(), "detail", c.result().detail())).toList()))));
        return ExitCodes.OK;
      }
      console.line(console.bold("stack ") + stack.name() + " on " + host.describe());
      console.line("  url:      " + view.proxyUrl().map(Object::toString).orElse("(no proxy yet: deploykit deploy)"));
      console.line("  live:     " + live.map(r -> console.green(r.id()) + (r.version() == null ? "" : " (" + r.version() + ")")
          + " by " + r.createdBy() + " at " + r.createdAt()).orElse("no live release"));
      console.line("  lock:     " + lock.map(l -> console.yellow("held by " + l.describe())).orElse("free"));
      console.line(console.bold("services"));
      running.forEach((name, cs) -> console.line(String.format("  %-10s %s", name, cs.isEmpty()
          ? console.red("not running")
          : String.join(", ", cs.stream().map(c -> c.name() + " " + c.status()
              + (c.health() == null ? "" : " (" + c.health() + ")")).toList()))));
      console.line(console.bold("releases") + console.dim(" (latest 5; deploykit releases lists all)"));
      releases.stream().skip(Math.max(0, releases.size() - 5))
          .forEach(r -> console.line("  " + ReleasesCommand.line(r, console)));
      List<String> checks = new ArrayList<>();
      for (ComponentHealth c : health.checks()) {
        checks.add(c.name() + " " + c.status().name().toLowerCase(java.util.Locale.ROOT));
      }
      console.line(console.bold("health ") + health.status() + console.dim("  " + String.join(", ", checks)));
      return ExitCodes.OK;
    }
  }
}
