package dev.deploykit.cli;

import dev.deploykit.core.DeployedStack;
import dev.deploykit.core.Deployer;
import dev.deploykit.core.Engine;
import dev.deploykit.core.StackHealth;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.Stack;
import dev.deploykit.core.swarm.SwarmCluster;
import dev.deploykit.core.swarm.SwarmHealth;
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
    "On a stack with x-deploykit.engine: swarm (--host names a manager): each Swarm service's tasks"
        + " running healthy against its replicas and the proxy's container (liveness), each web"
        + " backend's servers UP by HAProxy's checks against the live release's replicas (readiness).",
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
      HealthReport report = stack.settings().engine() == Engine.SWARM
          ? RunPodHealth.with(SwarmHealth.report(SwarmCommand.swarmFailure(
              () -> SwarmCluster.of(host).status(stack.name())), group), stack, group, root.environment)
          : of(Deployer.builder(host).build(), stack, group, root.environment);
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
