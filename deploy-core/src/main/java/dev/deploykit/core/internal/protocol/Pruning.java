package dev.deploykit.core.internal.protocol;

import dev.deploykit.core.PruneResult;
import dev.deploykit.core.ReleaseHistory;
import dev.deploykit.core.Stack;
import dev.deploykit.core.StackNames;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.engine.DockerHost;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Protocol step 10, prune: removes the stopped release containers that the history no longer
 * keeps for rollback ({@link ReleaseHistory#retainedForRollback(int)}), and those of releases the
 * history does not know. Running containers are never touched. Called under the stack's lock, by
 * a release and by {@code Deployer.prune}.
 */
public final class Pruning {
  private Pruning() {}

  /** Prunes the stack's stopped release containers by the engine's rule. */
  public static PruneResult prune(DockerHost host, Stack stack, ReleaseHistory history) {
    Set<String> keep = history.retainedForRollback(stack.settings().retain());
    List<String> removed = new ArrayList<>();
    Map<String, String> labels = Map.of(StackNames.LABEL_STACK, stack.name(),
        StackNames.LABEL_KIND, StackNames.KIND_APP);
    for (ContainerState c : host.list(labels, StackNames.network(stack.name()))) {
      if (!c.running() && !keep.contains(c.label(StackNames.LABEL_RELEASE).orElse(""))) {
        host.remove(c.id());
        removed.add(c.name());
      }
    }
    return new PruneResult(removed, keep);
  }
}
