package dev.deploykit.health.checks;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import dev.deploykit.health.CheckContext;
import dev.deploykit.health.HealthCheck;
import dev.deploykit.health.HealthResult;
import dev.deploykit.health.HealthStatus;
import dev.deploykit.health.internal.DockerFailures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Checks containers through the Docker engine API: each must be running and, if it has a Docker
 * health check, healthy; restarts beyond a limit degrade it; a dead one is reported with its exit
 * code and whether it was OOM-killed.
 *
 * <pre>{@code
 * DockerContainerCheck stack = DockerContainerCheck.stack(docker, "shop").maxRestarts(3).build();
 * DockerContainerCheck one = DockerContainerCheck.containers(docker, "shop-web-1").build();
 * }</pre>
 *
 * <p>Rules per container: not running, unhealthy, or missing: DOWN; health {@code starting} or
 * more than {@code maxRestarts} restarts: DEGRADED; else UP. The check's status is the worst. A
 * Docker engine that is down gives DOWN "Docker engine unreachable". A stack with no container is
 * DOWN.
 *
 * <p>Takes the {@link DockerClient} from the caller and never closes it. Thread-safe if the client
 * is (docker-java's are). A docker-java call cannot be interrupted; when one overruns, the runner
 * reports the check timed out and the call ends by the client's own timeouts.
 */
public final class DockerContainerCheck implements HealthCheck {
  /** The label deploykit puts on every container of a stack. */
  public static final String STACK_LABEL = "dev.deploykit.stack";

  private final DockerClient docker;
  private final @Nullable String stack;
  private final List<String> names;
  private final int maxRestarts;

  private DockerContainerCheck(Builder b) {
    this.docker = b.docker;
    this.stack = b.stack;
    this.names = List.copyOf(b.names);
    this.maxRestarts = b.maxRestarts;
  }

  /** A builder for every container labelled {@code dev.deploykit.stack=<stack>}. */
  public static Builder stack(DockerClient docker, String stack) {
    return new Builder(docker, Objects.requireNonNull(stack, "stack"), List.of());
  }

  /** A builder for the containers with these names or ids. */
  public static Builder containers(DockerClient docker, String... namesOrIds) {
    if (namesOrIds.length == 0) {
      throw new IllegalArgumentException("name at least one container");
    }
    return new Builder(docker, null, List.of(namesOrIds));
  }

  @Override
  public HealthResult check(CheckContext context) throws InterruptedException {
    List<String> targets;
    try {
      if (stack != null) {
        List<Container> found = docker.listContainersCmd().withShowAll(true)
            .withLabelFilter(Map.of(STACK_LABEL, stack)).exec();
        if (found.isEmpty()) {
          return HealthResult.down("no container of stack " + stack);
        }
        targets = found.stream().map(Container::getId).toList();
      } else {
        targets = names;
      }
    } catch (RuntimeException e) {
      return HealthResult.down(DockerFailures.describe(e));
    }
    HealthStatus worst = HealthStatus.UP;
    List<String> problems = new ArrayList<>();
    int running = 0;
    for (String target : targets) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("cancelled");
      }
      InspectContainerResponse c;
      try {
        c = docker.inspectContainerCmd(target).exec();
      } catch (NotFoundException e) {
        worst = HealthStatus.DOWN;
        problems.add(target + " does not exist");
        continue;
      } catch (RuntimeException e) {
        return HealthResult.down(DockerFailures.describe(e));
      }
      String name = c.getName() == null ? target : c.getName().replaceFirst("^/", "");
      InspectContainerResponse.ContainerState state = c.getState();
      boolean isRunning = state != null && Boolean.TRUE.equals(state.getRunning());
      int restarts = c.getRestartCount() == null ? 0 : c.getRestartCount();
      if (!isRunning) {
        worst = HealthStatus.DOWN;
        String status = state == null || state.getStatus() == null ? "not running"
            : state.getStatus();
        Long exit = state == null ? null : state.getExitCodeLong();
        boolean oom = state != null && Boolean.TRUE.equals(state.getOOMKilled());
        problems.add(name + " " + status + (exit == null ? "" : " (exit code " + exit
            + (oom ? ", OOM-killed" : "") + ")"));
        continue;
      }
      running++;
      HealthState health = state.getHealth();
      String healthStatus = health == null ? null : health.getStatus();
      if ("unhealthy".equals(healthStatus)) {
        worst = HealthStatus.DOWN;
        problems.add(name + " unhealthy");
      } else if ("starting".equals(healthStatus)) {
        worst = worst.worst(HealthStatus.DEGRADED);
        problems.add(name + " health starting");
      }
      if (restarts > maxRestarts) {
        worst = worst.worst(HealthStatus.DEGRADED);
        problems.add(name + " restarted " + restarts + " times");
      }
    }
    String detail = problems.isEmpty()
        ? running + " of " + targets.size() + " container(s) running"
            + (targets.size() == 1 ? "" : "")
        : String.join("; ", problems);
    return HealthResult.of(worst, detail).withData("containers", targets.size())
        .withData("running", running);
  }

  /**
   * Settings of a {@link DockerContainerCheck}: up to 5 restarts tolerated.
   *
   * <p>Not thread-safe.
   */
  public static final class Builder {
    private final DockerClient docker;
    private final @Nullable String stack;
    private final List<String> names;
    private int maxRestarts = 5;

    private Builder(DockerClient docker, @Nullable String stack, List<String> names) {
      this.docker = Objects.requireNonNull(docker, "docker");
      this.stack = stack;
      this.names = names;
    }

    /**
     * Restarts tolerated before the container counts as DEGRADED.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder maxRestarts(int maxRestarts) {
      if (maxRestarts < 0) {
        throw new IllegalArgumentException("maxRestarts must not be negative: " + maxRestarts);
      }
      this.maxRestarts = maxRestarts;
      return this;
    }

    /** The check. */
    public DockerContainerCheck build() {
      return new DockerContainerCheck(this);
    }
  }
}
