package dev.deploykit.cli;

import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.Stack;
import dev.deploykit.health.HealthReport;
import dev.deploykit.health.HealthRunner;
import dev.deploykit.health.HealthStatus;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "health", description = {
    "The stack's health report (--json: application/health+json).",
    "The stack's health report: each service's containers, the web services through the proxy,"
        + " PostgreSQL and Ollama accessories through their own protocols.",
    "--json prints application/health+json. Exit 0 when up (or degraded), 1 when down."})
final class HealthCommand implements Callable<Integer> {
  @ParentCommand Deploykit root;

  @picocli.CommandLine.Mixin StackFileOption stackFile;

  @Option(names = "--group", paramLabel = "G",
      description = "Only the checks of a group: readiness or liveness.")
  @Nullable String group;

  @Override
  public Integer call() throws InterruptedException {
    Console console = root.console();
    Stack stack = root.loadStack();
    if (group != null && !group.equals(StackView.READINESS) && !group.equals(StackView.LIVENESS)) {
      throw UserError.badInput("Unknown health group " + group + ": use readiness or liveness.");
    }
    try (DockerHost host = Deploykit.connect()) {
      HealthReport report = report(new StackView(host, stack), group);
      if (console.json()) {
        console.json(report.toJson());
      } else {
        console.line(report.toText().stripTrailing());
      }
      return report.status() == HealthStatus.DOWN ? ExitCodes.NOT_DEPLOYED : ExitCodes.OK;
    }
  }

  static HealthReport report(StackView view, @Nullable String group) throws InterruptedException {
    try (HealthRunner runner = view.healthRunner()) {
      return group == null ? runner.run() : runner.run(group);
    }
  }
}
