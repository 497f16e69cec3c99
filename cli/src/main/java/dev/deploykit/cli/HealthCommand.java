package dev.deploykit.cli;

import dev.deploykit.core.DeployedStack;
import dev.deploykit.core.Deployer;
import dev.deploykit.core.StackHealth;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.Stack;
import dev.deploykit.health.HealthReport;
import dev.deploykit.health.HealthStatus;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "health", description = {
    "The stack's health report (--json: application/health+json).",
    "The stack's health report: the proxy's and each service's containers (liveness); the web"
        + " service through the proxy and every other service through the probe it declares"
        + " (x-deploykit.probe: http, postgres, ollama, tcp) (readiness).",
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
    if (group != null && !group.equals(StackHealth.READINESS) && !group.equals(StackHealth.LIVENESS)) {
      throw UserError.badInput("Unknown health group " + group + ": use " + StackHealth.READINESS
          + " or " + StackHealth.LIVENESS + ".");
    }
    try (DockerHost host = root.connect()) {
      HealthReport report = of(Deployer.builder(host).build(), stack, group, root.environment);
      if (console.json()) {
        console.json(report.toJson());
      } else {
        console.line(report.toText().stripTrailing());
      }
      return report.status() == HealthStatus.DOWN ? ExitCodes.NOT_DEPLOYED : ExitCodes.OK;
    }
  }

  /**
   * The stack's health report as {@code deploykit health} makes it: the deployed stack's checks
   * (of one group, or all) plus its RunPod endpoint when the stack file names one. {@code deploykit
   * do status} uses it for each droplet whose engine answers.
   */
  static HealthReport of(Deployer deployer, Stack stack, @Nullable String group,
      UnaryOperator<@Nullable String> environment) throws InterruptedException {
    return RunPodHealth.with(report(deployer, deployer.inspect(stack), group), stack, group, environment);
  }

  /** Runs the deployed stack's checks (of one group, or all), closing what they opened. */
  static HealthReport report(Deployer deployer, DeployedStack deployed, @Nullable String group)
      throws InterruptedException {
    try (StackHealth health = deployer.health(deployed)) {
      return group == null ? health.run() : health.run(group);
    }
  }
}
