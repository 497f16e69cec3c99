package dev.deploykit.core.internal.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.StackNames;
import dev.deploykit.health.wait.Await;
import dev.deploykit.health.wait.AwaitResult;
import dev.deploykit.health.wait.Backoff;
import dev.deploykit.health.wait.TimeSource;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A stack's Swarm services and overlay network on the manager's engine: create, scale, remove,
 * list, and wait for a service's tasks to pass the {@link TaskGate}.
 *
 * <p>Thread safety: as safe as the docker-java client it is given (which is thread safe).
 */
public final class SwarmServices {
  private static final Backoff POLL = Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(1));

  private final DockerClient docker;
  private final String where;
  private final TimeSource time;

  /**
   * @param docker the manager's engine
   * @param where how errors name the manager (its {@code describe()})
   */
  public SwarmServices(DockerClient docker, String where, TimeSource time) {
    this.docker = Objects.requireNonNull(docker, "docker");
    this.where = Objects.requireNonNull(where, "where");
    this.time = Objects.requireNonNull(time, "time");
  }

  /** Creates the stack's attachable overlay network unless it exists; returns its name. */
  public String ensureOverlay(String stack) {
    String name = SwarmNames.overlay(stack);
    Optional<Network> found = network(name);
    if (found.isPresent()) {
      if (!"overlay".equals(found.get().getDriver())) {
        throw new DeployException("The network " + name + " on " + where + " is a " + found.get().getDriver()
            + " network, not the stack's overlay: remove it or rename the stack");
      }
      return name;
    }
    docker.createNetworkCmd().withName(name).withDriver("overlay").withAttachable(true)
        .withLabels(StackNames.labels(stack, StackNames.KIND_NETWORK)).exec();
    return name;
  }

  /** Creates the service; returns its id. */
  public String create(ServiceSpec spec) {
    return docker.createServiceCmd(spec).exec().getId();
  }

  /**
   * Makes the service be {@code spec}: creates it, or updates the one of that name (a release kept
   * at 0 replicas comes back with the spec's replicas and configuration; an unchanged spec
   * restarts nothing).
   *
   * @return whether the service was created
   */
  public boolean apply(ServiceSpec spec) {
    Optional<com.github.dockerjava.api.model.Service> existing = find(spec.getName());
    if (existing.isEmpty()) {
      create(spec);
      return true;
    }
    com.github.dockerjava.api.model.Service s = existing.get();
    docker.updateServiceCmd(s.getId(), spec).withVersion(s.getVersion().getIndex()).exec();
    return false;
  }

  /** The service named {@code name}, if it exists. */
  public Optional<com.github.dockerjava.api.model.Service> find(String name) {
    return docker.listServicesCmd().withNameFilter(List.of(name)).exec().stream()
        .filter(s -> s.getSpec() != null && name.equals(s.getSpec().getName())).findFirst();
  }

  /**
   * Takes the stack's Swarm services down: removes each, and waits until their task containers
   * on this engine (the manager, where the accessories and their volumes are) are gone.
   *
   * @return the services removed
   * @throws DeployException when their tasks are still there after {@code timeout} (named: a rerun
   *     finishes the job)
   */
  public List<String> removeStack(String stack, Duration timeout) throws InterruptedException {
    List<String> removed = new java.util.ArrayList<>();
    for (com.github.dockerjava.api.model.Service s : ofStack(stack)) {
      remove(s.getSpec().getName());
      removed.add(s.getSpec().getName());
    }
    long deadline = time.nanoTime() + timeout.toNanos();
    for (String name : removed) {
      boolean gone = Await.atMost(Duration.ofNanos(Math.max(0, deadline - time.nanoTime()))).backoff(POLL)
          .timeSource(time)
          .until(d -> docker.listContainersCmd().withShowAll(true)
              .withLabelFilter(Map.of(SwarmNames.TASK_SERVICE_LABEL, name)).exec(), List::isEmpty)
          .isSatisfied();
      if (!gone) {
        throw new DeployException("The tasks of the Swarm service " + name + " on " + where + " were still there "
            + timeout.toSeconds() + " s after it was removed: run the command again to finish");
      }
    }
    return removed;
  }

  /**
   * Removes the stack's overlay network, which Swarm frees once no task and no container (the
   * proxy's attachment) uses it; a network that is gone is fine.
   *
   * @throws DeployException when it is still in use after {@code timeout} (its user named)
   */
  public void removeOverlay(String stack, Duration timeout) throws InterruptedException {
    long deadline = time.nanoTime() + timeout.toNanos();
    String overlay = SwarmNames.overlay(stack);
    String last = "";
    do {
      Optional<Network> found = network(overlay);
      if (found.isEmpty()) {
        return;
      }
      try {
        docker.removeNetworkCmd(found.get().getId()).exec();
        return;
      } catch (NotFoundException e) {
        return;
      } catch (com.github.dockerjava.api.exception.DockerException e) {
        // In use until the engines free the removed tasks' endpoints.
        last = e.getMessage();
      }
      time.sleep(Duration.ofMillis(500));
    } while (time.nanoTime() < deadline);
    throw new DeployException("The overlay network " + overlay + " on " + where + " could not be removed within "
        + timeout.toSeconds() + " s (" + last + "): run the command again to finish");
  }

  /** The network of exactly this name ({@code withNameFilter} also matches parts of names). */
  private Optional<Network> network(String name) {
    return docker.listNetworksCmd().withNameFilter(name).exec().stream()
        .filter(n -> n.getName().equals(name)).findFirst();
  }

  /** The stack's services that deploykit made, by label. */
  public List<com.github.dockerjava.api.model.Service> ofStack(String stack) {
    return docker.listServicesCmd().withLabelFilter(Map.of(StackNames.LABEL_STACK, stack)).exec();
  }

  /**
   * The release services of the stack's {@code service} (a web or worker service) that ask for
   * tasks, other than {@code except}: the ones a kept release retires.
   */
  public List<String> runningReleases(String stack, String service, String except) {
    return ofStack(stack).stream()
        .filter(s -> service.equals(s.getSpec().getLabels().get(StackNames.LABEL_SERVICE)))
        .filter(s -> s.getSpec().getLabels().containsKey(StackNames.LABEL_RELEASE))
        .filter(s -> SwarmServiceSpecs.replicas(s.getSpec()) > 0)
        .map(s -> s.getSpec().getName())
        .filter(n -> !n.equals(except))
        .toList();
  }

  /** Takes a release's service away: removed when this run made it, else kept at 0 replicas. */
  public void withdraw(String name, boolean created) {
    if (created) {
      remove(name);
    } else {
      scale(name, 0);
    }
  }

  /** Every service deploykit made, of any stack. */
  public List<com.github.dockerjava.api.model.Service> ofDeploykit() {
    return docker.listServicesCmd().exec().stream()
        .filter(s -> s.getSpec() != null && s.getSpec().getLabels() != null
            && s.getSpec().getLabels().containsKey(StackNames.LABEL_STACK))
        .toList();
  }

  /** Sets the service's replicas (0 keeps it, stopped, for a rollback). */
  public void scale(String name, int replicas) {
    com.github.dockerjava.api.model.Service s = find(name).orElseThrow(() -> new DeployException(
        "The Swarm service " + name + " is gone from " + where + "; rerun the deploy to converge"));
    docker.updateServiceCmd(s.getId(), SwarmServiceSpecs.scaled(s.getSpec(), replicas))
        .withVersion(s.getVersion().getIndex()).exec();
  }

  /**
   * Sets the service's replicas to {@code replicas} only while it asks for {@code expected}, so a
   * change someone else made meanwhile (a release scaling it to 0) stands; an update that loses
   * the race on the service's version is read again and decided anew.
   *
   * @return whether it was changed
   */
  public boolean scaleIf(String name, long expected, int replicas) {
    for (int attempt = 0; ; attempt++) {
      Optional<com.github.dockerjava.api.model.Service> found = find(name);
      if (found.isEmpty() || SwarmServiceSpecs.replicas(found.get().getSpec()) != expected) {
        return false;
      }
      com.github.dockerjava.api.model.Service s = found.get();
      try {
        docker.updateServiceCmd(s.getId(), SwarmServiceSpecs.scaled(s.getSpec(), replicas))
            .withVersion(s.getVersion().getIndex()).exec();
        return true;
      } catch (com.github.dockerjava.api.exception.DockerException e) {
        if (attempt >= 3 || e.getMessage() == null || !e.getMessage().contains("update out of sequence")) {
          throw new DeployException("Scaling the Swarm service " + name + " on " + where + " to " + replicas
              + " failed: " + e.getMessage(), e);
        }
      }
    }
  }

  /** Removes the service; a service that is already gone is fine. */
  public void remove(String name) {
    find(name).ifPresent(s -> {
      try {
        docker.removeServiceCmd(s.getId()).exec();
      } catch (NotFoundException e) {
        // removed meanwhile
      }
    });
  }

  /**
   * Waits until none of the service's tasks runs any more (scaled to 0: each stopped after its
   * stop grace period).
   *
   * @return whether they all stopped in time
   */
  public boolean awaitStopped(String name, Duration timeout) {
    try {
      return Await.atMost(timeout).backoff(POLL).timeSource(time)
          .until(deadline -> tasks(name), tasks -> tasks.stream().noneMatch(t -> t.getStatus() != null
              && t.getStatus().getState() != null && t.getStatus().getState().ordinal() <= TaskState.RUNNING.ordinal()))
          .isSatisfied();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeployException(DeployException.Reason.INTERRUPTED, "Interrupted while waiting for the tasks of "
          + name + " on " + where + " to stop", e);
    }
  }

  /** Every task of the service. */
  public List<Task> tasks(String name) {
    return docker.listTasksCmd().withServiceFilter(name).exec();
  }

  /** Node ids to host names. */
  public Map<String, String> nodeNames() {
    Map<String, String> names = new HashMap<>();
    for (SwarmNode n : docker.listSwarmNodesCmd().exec()) {
      names.put(n.getId(), n.getDescription() == null ? n.getId() : n.getDescription().getHostname());
    }
    return names;
  }

  /**
   * Waits until the service's tasks pass the {@link TaskGate}.
   *
   * @return the number of tasks running healthy
   * @throws DeployException when the gate refuses (naming the task, its node and Swarm's error) or
   *     the deadline passes first
   */
  public int awaitRunning(String name, int replicas, Duration timeout) {
    Map<String, String> nodes = nodeNames();
    AwaitResult<TaskGate.Verdict> result;
    try {
      result = Await.atMost(timeout).backoff(POLL).timeSource(time)
          .until(deadline -> TaskGate.verdict(tasks(name), replicas, nodes),
              v -> !(v instanceof TaskGate.Verdict.Waiting));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeployException(DeployException.Reason.INTERRUPTED, "Interrupted while waiting for the tasks of "
          + name + " on " + where, e);
    }
    TaskGate.Verdict last = switch (result.last()) {
      case dev.deploykit.health.wait.Observed.Value<TaskGate.Verdict> v -> v.value();
      case dev.deploykit.health.wait.Observed.Failure<TaskGate.Verdict> f ->
          throw new DeployException("Listing the tasks of " + name + " on " + where + " failed: " + f.describe(), f.error());
    };
    return switch (last) {
      case TaskGate.Verdict.Passed p -> p.running();
      case TaskGate.Verdict.Refused r -> throw new DeployException("The Swarm service " + name + " on " + where
          + " does not come up: " + r.reason());
      case TaskGate.Verdict.Waiting w -> throw new DeployException("The Swarm service " + name + " on " + where
          + " did not come up within " + timeout.toMillis() + " ms: " + w.detail());
    };
  }
}
