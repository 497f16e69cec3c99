package dev.deploykit.core.swarm;

import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import dev.deploykit.core.StackNames;
import dev.deploykit.core.internal.haproxy.ServerStat;
import dev.deploykit.core.internal.swarm.SwarmServiceSpecs;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How docker-java's service and task models, and HAProxy's {@code show stat}, read as a {@link
 * SwarmStackStatus}: the pure part of {@link SwarmCluster#status}, tested without an engine.
 */
final class SwarmStatusFacts {
  private SwarmStatusFacts() {}

  /**
   * One Swarm service as status shows it: the tasks meant to run, those still stopping, and the
   * newest task error while the service runs fewer tasks than its replicas.
   *
   * @param nodeNames node ids to host names (an unknown id shows as itself)
   */
  static SwarmStackStatus.Service service(com.github.dockerjava.api.model.Service service, List<Task> tasks,
      Map<String, String> nodeNames) {
    var spec = service.getSpec();
    Map<String, String> labels = Objects.requireNonNullElse(spec.getLabels(), Map.of());
    List<SwarmStackStatus.Task> shown = tasks.stream()
        .filter(t -> t.getDesiredState() == TaskState.RUNNING || state(t) == TaskState.RUNNING)
        .sorted(Comparator.comparing((Task t) -> node(t, nodeNames)).thenComparing(t -> Objects.requireNonNullElse(t.getId(), "")))
        .map(t -> new SwarmStackStatus.Task(Objects.requireNonNullElse(t.getId(), ""), node(t, nodeNames),
            value(state(t)), value(t.getDesiredState()), error(t)))
        .toList();
    int replicas = (int) SwarmServiceSpecs.replicas(spec);
    long running = shown.stream().filter(SwarmStackStatus.Task::serving).count();
    String lastError = running == replicas ? null : tasks.stream().filter(t -> error(t) != null)
        .max(Comparator.comparing(t -> Objects.requireNonNullElse(t.getStatus().getTimestamp(), "")))
        .map(t -> node(t, nodeNames) + ": " + error(t)).orElse(null);
    return new SwarmStackStatus.Service(spec.getName(),
        labels.getOrDefault(StackNames.LABEL_SERVICE, spec.getName()), labels.get(StackNames.LABEL_RELEASE),
        labels.getOrDefault(StackNames.LABEL_ROLE, ""), replicas, shown, lastError);
  }

  /** Accessories first (no release label), then releases newest first, then by name. */
  static final Comparator<com.github.dockerjava.api.model.Service> ORDER = Comparator
      .comparing((com.github.dockerjava.api.model.Service s) -> release(s) != null)
      .thenComparing((com.github.dockerjava.api.model.Service s) -> s.getCreatedAt() == null ? 0L
          : -s.getCreatedAt().getTime())
      .thenComparing(s -> s.getSpec().getName());

  private static @Nullable String release(com.github.dockerjava.api.model.Service s) {
    return Objects.requireNonNullElse(s.getSpec().getLabels(), Map.<String, String>of()).get(StackNames.LABEL_RELEASE);
  }

  /** A server of HAProxy's {@code show stat} as status shows it. */
  static SwarmStackStatus.ProxyServer server(ServerStat stat) {
    return new SwarmStackStatus.ProxyServer(stat.backend(), stat.server(), stat.status(), stat.address(), stat.sessions());
  }

  private static @Nullable TaskState state(Task t) {
    return t.getStatus() == null ? null : t.getStatus().getState();
  }

  private static String value(@Nullable TaskState state) {
    return state == null ? "unknown" : state.getValue();
  }

  private static String node(Task t, Map<String, String> nodeNames) {
    String id = t.getNodeId();
    return id == null || id.isEmpty() ? "" : nodeNames.getOrDefault(id, id);
  }

  private static @Nullable String error(Task t) {
    if (t.getStatus() == null) {
      return null;
    }
    String err = t.getStatus().getErr();
    return err == null || err.isBlank() ? null : err.strip();
  }
}
