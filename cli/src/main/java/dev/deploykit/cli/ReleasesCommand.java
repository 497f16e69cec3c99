package dev.deploykit.cli;

import dev.deploykit.core.Deployer;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.Release;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "releases", description = "The release history on the host, oldest first, with each outcome.")
final class ReleasesCommand implements Callable<Integer> {
  @ParentCommand Deploykit root;

  @picocli.CommandLine.Mixin StackFileOption stackFile;

  @Override
  public Integer call() {
    Console console = root.console();
    String stack = root.loadStack().name();
    try (DockerHost host = root.connect()) {
      List<Release> releases = Deployer.builder(host).build().history(stack).releases();
      if (console.json()) {
        console.json(Json.write(Json.object("stack", stack, "releases", releases)));
      } else if (releases.isEmpty()) {
        console.line("Stack " + stack + " has no release on " + host.describe() + " yet: deploykit deploy");
      } else {
        releases.forEach(r -> console.line(line(r, console)));
      }
      return ExitCodes.OK;
    }
  }

  static String line(Release r, Console console) {
    String outcome = String.format(Locale.ROOT, "%-11s", r.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' '));
    outcome = switch (r.outcome()) {
      case LIVE -> console.green(outcome);
      case REFUSED, ROLLED_BACK, INTERRUPTED -> console.red(outcome);
      default -> outcome;
    };
    return r.id() + "  " + outcome + "  " + String.format(Locale.ROOT, "%-12s", r.version() == null ? "-" : r.version())
        + "  " + r.createdAt() + "  " + r.createdBy() + (r.backup() == null ? "" : "  backup " + r.backup())
        + (r.message().isBlank() ? "" : console.dim("  " + r.message().lines().findFirst().orElse("")));
  }
}
