package dev.deploykit.cli;

import dev.deploykit.core.Deployer;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.PruneResult;
import dev.deploykit.core.Stack;
import dev.deploykit.images.ImageSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "prune", description = {
    "Remove the stopped containers of releases no longer kept for rollback.",
    "Removes the stopped containers of releases the engine no longer keeps for rollback, by the"
        + " rule a deploy prunes with, under the stack's lock. A deploy prunes by itself; this is"
        + " for a host that needs room now."})
final class PruneCommand implements Callable<Integer> {
  @ParentCommand Deploykit root;

  @picocli.CommandLine.Mixin StackFileOption stackFile;

  @Override
  public Integer call() {
    Console console = root.console();
    Stack stack = root.loadStack();
    try (DockerHost host = root.connect()) {
      // The lock's container needs an image this engine has: the proxy's, as this engine runs it.
      String proxy = Releasing.proxyImage(host, ImageSource.AUTO, console);
      PruneResult pruned = Deployer.builder(host).proxyImage(proxy).build().prune(stack);
      List<String> removed = pruned.removedContainers();
      Set<String> keep = pruned.keptReleases();
      if (console.json()) {
        console.json(Json.write(Json.object("stack", stack.name(), "removed", removed, "kept", keep)));
      } else {
        removed.forEach(n -> console.line("removed " + n));
        String what = stack.settings().engine() == dev.deploykit.core.Engine.SWARM ? "Swarm service" : "container";
        console.line("Pruned " + removed.size() + " " + what + "(s); kept the " + what + "s of " + keep.size()
            + " release(s) for rollback.");
      }
      return ExitCodes.OK;
    }
  }
}
