package dev.deploykit.cli;

import dev.deploykit.core.ContainerState;
import dev.deploykit.core.Deployer;
import dev.deploykit.core.DockerHost;
import dev.deploykit.core.LockHeldException;
import dev.deploykit.core.Release;
import dev.deploykit.core.Stack;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "prune", description = {
    "Remove the stopped containers of releases beyond the retain count.",
    "Removes the stopped containers of releases beyond the stack's retain count (and of releases"
        + " the history does not know). The live release and the last `retain` releases stay, for"
        + " rollback. A deploy prunes by itself; this is for a host that needs room now."})
final class PruneCommand implements Callable<Integer> {
  @ParentCommand Deploykit root;

  @picocli.CommandLine.Mixin StackFileOption stackFile;

  @Override
  public Integer call() {
    Console console = root.console();
    Stack stack = root.loadStack();
    try (DockerHost host = Deploykit.connect()) {
      Deployer deployer = Deployer.builder(host).build();
      // The engine's own pruning runs under the lock; refuse to race a deploy in progress.
      deployer.lock(stack.name()).ifPresent(l -> {
        throw new LockHeldException(l, false);
      });
      List<Release> releases = deployer.releases(stack.name());
      Set<String> keep = new HashSet<>();
      releases.stream().skip(Math.max(0, releases.size() - stack.settings().retain()))
          .forEach(r -> keep.add(r.id()));
      releases.stream().filter(r -> r.outcome() == Release.Outcome.LIVE).forEach(r -> keep.add(r.id()));
      List<String> removed = new ArrayList<>();
      for (ContainerState c : new StackView(host, stack).containers()) {
        String release = c.labels().get(StackView.RELEASE_LABEL);
        if (release != null && !c.running() && !keep.contains(release)) {
          host.remove(c.id());
          removed.add(c.name());
        }
      }
      if (console.json()) {
        console.json(Json.write(Json.object("stack", stack.name(), "removed", removed, "kept", keep)));
      } else {
        removed.forEach(n -> console.line("removed " + n));
        console.line("Pruned " + removed.size() + " container(s); kept the containers of " + keep.size()
            + " release(s) for rollback.");
      }
      return ExitCodes.OK;
    }
  }
}
