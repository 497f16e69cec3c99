package dev.deploykit.core.internal.protocol;

import dev.deploykit.core.PruneResult;
import dev.deploykit.core.Stack;
import dev.deploykit.core.StackNames;
import dev.deploykit.core.internal.swarm.SwarmServiceSpecs;
import dev.deploykit.core.internal.swarm.SwarmServices;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * After a release is kept on a Swarm cluster, and by {@code deploykit prune} there: of each web
 * and worker service, the release services kept at 0 replicas for a rollback beyond the stack's
 * {@code retain} newest are removed. Release ids start with their UTC time, so their order is their age.
 */
public final class SwarmPruning {
  private SwarmPruning() {}

  /**
   * {@link #prune} for {@code deploykit prune}: the services removed, and the releases whose
   * services are left.
   */
  public static PruneResult pruneNow(Stack stack, SwarmServices services) {
    List<String> removed = prune(stack, services);
    java.util.Set<String> kept = new java.util.TreeSet<>();
    for (com.github.dockerjava.api.model.Service s : services.ofStack(stack.name())) {
      String release = s.getSpec().getLabels().get(StackNames.LABEL_RELEASE);
      if (release != null) {
        kept.add(release);
      }
    }
    return new PruneResult(removed, kept);
  }

  /** The Swarm services removed. */
  public static List<String> prune(Stack stack, SwarmServices services) {
    Map<String, List<com.github.dockerjava.api.model.Service>> kept = services.ofStack(stack.name()).stream()
        .filter(s -> s.getSpec().getLabels().containsKey(StackNames.LABEL_RELEASE))
        .filter(s -> SwarmServiceSpecs.replicas(s.getSpec()) == 0)
        .collect(Collectors.groupingBy(s -> s.getSpec().getLabels().getOrDefault(StackNames.LABEL_SERVICE, "")));
    List<String> removed = new ArrayList<>();
    for (List<com.github.dockerjava.api.model.Service> ofOne : kept.values()) {
      ofOne.stream()
          .sorted(Comparator.comparing((com.github.dockerjava.api.model.Service s) ->
              s.getSpec().getLabels().get(StackNames.LABEL_RELEASE)).reversed())
          .skip(stack.settings().retain())
          .forEach(s -> {
            services.remove(s.getSpec().getName());
            removed.add(s.getSpec().getName());
          });
    }
    return removed;
  }
}
