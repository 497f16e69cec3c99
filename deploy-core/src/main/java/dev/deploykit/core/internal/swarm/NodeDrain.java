package dev.deploykit.core.internal.swarm;

import com.github.dockerjava.api.model.TaskState;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.StackNames;
import dev.deploykit.health.wait.Await;
import dev.deploykit.health.wait.Backoff;
import dev.deploykit.health.wait.TimeSource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Drains a node start-first. Swarm's own drain stops a node's tasks and only then starts their
 * replacements elsewhere: a service whose replicas all sit on nodes being drained or lost serves
 * nothing until the replacements pass their healthchecks (SwarmReleaseSshIT counted thousands of
 * 503s so). Here the node is paused first (its tasks run on, no new ones land there), each of
 * deploykit's services with tasks on it gets as many extra replicas, which start on the other
 * nodes, and only once they run healthy is the node drained; when its tasks are gone each service
 * goes back to its replicas, unless someone changed them meanwhile (a release scaling its
 * previous service to 0 wins).
 *
 * <p>Thread safety: one drain per node at a time.
 */
public final class NodeDrain {
  private static final Backoff POLL = Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(1));

  private final SwarmServices services;
  private final TimeSource time;

  public NodeDrain(SwarmServices services, TimeSource time) {
    this.services = Objects.requireNonNull(services, "services");
    this.time = Objects.requireNonNull(time, "time");
  }

  /**
   * What a drain did.
   *
   * @param moved each service whose tasks were moved, with how many
   * @param startedFirst whether every replacement ran healthy before the node's tasks stopped
   *     (false when the other nodes could not take them in time: the node was drained anyway)
   */
  public record Result(Map<String, Integer> moved, boolean startedFirst) {}

  /** Node availability changes, by the caller (it owns the node's spec and version). */
  public interface Availability {
    void pause();

    void drain();
  }

  /**
   * Drains the node {@code nodeId}.
   *
   * @param timeout how long the replacements may take to run healthy, and the node's tasks to stop
   * @param progress told each step, one line at a time
   * @throws DeployException when the manager refuses a change
   */
  public Result drain(String nodeId, Availability availability, Duration timeout, Consumer<String> progress) {
    availability.pause();
    Map<String, Integer> onNode = tasksOn(nodeId);
    Map<String, Long> wanted = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> e : onNode.entrySet()) {
      long replicas = replicas(e.getKey());
      if (replicas > 0 && services.scaleIf(e.getKey(), replicas, (int) replicas + e.getValue())) {
        wanted.put(e.getKey(), replicas);
        progress.accept("starting " + e.getValue() + " replacement(s) of " + e.getKey() + " on the other nodes");
      }
    }
    // A service someone scaled meanwhile (a release taking its previous one to 0) is theirs again.
    boolean startedFirst = await(timeout, () -> wanted.entrySet().stream()
        .allMatch(e -> replicas(e.getKey()) != e.getValue() + onNode.get(e.getKey())
            || runningElsewhere(e.getKey(), nodeId) >= e.getValue()));
    if (!startedFirst) {
      progress.accept("the replacements did not all run healthy within " + timeout.toSeconds()
          + " s; draining anyway");
    }
    availability.drain();
    await(timeout, () -> tasksOn(nodeId).keySet().stream().noneMatch(wanted::containsKey));
    wanted.forEach((service, replicas) -> services.scaleIf(service, replicas + onNode.get(service),
        (int) (long) replicas));
    return new Result(Map.copyOf(onNode), startedFirst);
  }

  /** deploykit's services with tasks running (or starting) on the node, and how many. */
  private Map<String, Integer> tasksOn(String nodeId) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (var service : services.ofDeploykit()) {
      String name = service.getSpec().getName();
      int n = (int) services.tasks(name).stream()
          .filter(t -> nodeId.equals(t.getNodeId()) && t.getDesiredState() == TaskState.RUNNING).count();
      if (n > 0) {
        counts.put(name, n);
      }
    }
    return counts;
  }

  private long replicas(String service) {
    return services.find(service).map(s -> SwarmServiceSpecs.replicas(s.getSpec())).orElse(0L);
  }

  private long runningElsewhere(String service, String nodeId) {
    return services.tasks(service).stream().filter(t -> !nodeId.equals(t.getNodeId()) && t.getDesiredState() == TaskState.RUNNING
        && t.getStatus() != null && t.getStatus().getState() == TaskState.RUNNING).count();
  }

  private boolean await(Duration timeout, java.util.function.BooleanSupplier done) {
    try {
      return Await.atMost(timeout).backoff(POLL).timeSource(time)
          .until(deadline -> done.getAsBoolean(), Boolean::booleanValue).isSatisfied();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeployException(DeployException.Reason.INTERRUPTED, "Interrupted while draining a node", e);
    }
  }
}
