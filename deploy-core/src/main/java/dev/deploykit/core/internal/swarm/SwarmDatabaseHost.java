package dev.deploykit.core.internal.swarm;

import com.github.dockerjava.api.DockerClient;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.StackNames;
import dev.deploykit.core.engine.ContainerSpec;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.ExecResult;
import dev.deploykit.core.engine.PortForward;
import dev.deploykit.core.engine.RegistryAuth;
import dev.deploykit.core.engine.StreamedExec;
import dev.deploykit.core.engine.TransferProgress;
import dev.deploykit.health.wait.TimeSource;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A Swarm manager's engine as a stack's database step sees it, so that what prepares and backs up
 * the database on one host runs unchanged on a cluster: the database accessory's one-host
 * container name ({@code <stack>-<service>}) names the container of its Swarm task, which runs on
 * the manager (accessories are pinned there), for inspecting, exec and copying; and a forward to
 * that container goes through a {@link SwarmRelay}, made on the first forward and removed by
 * {@link #close}. Every other call is the manager's own.
 *
 * <p>Closing this host removes the relay; the manager's connection stays open (its owner closes
 * it).
 */
public final class SwarmDatabaseHost implements DockerHost {
  private final DockerHost manager;
  private final String stack;
  private final String service;
  private final String container;
  private final String relayImage;
  private final TimeSource time;
  private @Nullable SwarmRelay relay;

  /**
   * @param manager the swarm manager's engine
   * @param stack the stack's name
   * @param service the database accessory's Compose service
   * @param relayImage the image of the relay (the stack proxy's HAProxy image, on the manager)
   */
  public SwarmDatabaseHost(DockerHost manager, String stack, String service, String relayImage, TimeSource time) {
    this.manager = Objects.requireNonNull(manager, "manager");
    this.stack = Objects.requireNonNull(stack, "stack");
    this.service = Objects.requireNonNull(service, "service");
    this.container = StackNames.accessoryContainer(stack, service);
    this.relayImage = Objects.requireNonNull(relayImage, "relayImage");
    this.time = Objects.requireNonNull(time, "time");
  }

  private String swarmService() {
    return SwarmNames.accessoryService(stack, service);
  }

  /** The running task container of the database's Swarm service on the manager, if there is one. */
  private Optional<ContainerState> task() {
    return manager.list(Map.of(SwarmNames.TASK_SERVICE_LABEL, swarmService()), SwarmNames.overlay(stack)).stream()
        .filter(ContainerState::running).findFirst();
  }

  /** The manager's container for {@code name}: the database's task for its one-host name. */
  private String resolve(String name) {
    if (!name.equals(container)) {
      return name;
    }
    return task().map(ContainerState::id).orElseThrow(() -> new DeployException("The Swarm service "
        + swarmService() + " has no running task on the manager " + manager.describe() + ": `docker service ps "
        + swarmService() + "` shows why; a release starts it"));
  }

  @Override
  public Optional<ContainerState> inspect(String name, String network) {
    if (!name.equals(container)) {
      return manager.inspect(name, network);
    }
    // The task's address on the overlay: the network the database listens on in the cluster.
    return task().flatMap(t -> manager.inspect(t.id(), SwarmNames.overlay(stack)));
  }

  @Override
  public synchronized PortForward forward(String name, String network, int port) {
    if (!name.equals(container)) {
      return manager.forward(name, network, port);
    }
    resolve(name);
    if (relay == null) {
      try {
        relay = SwarmRelay.open(manager, stack, service, swarmService(), port, relayImage, time);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DeployException(DeployException.Reason.INTERRUPTED, "Interrupted while starting the relay to "
            + swarmService() + " on " + manager.describe(), e);
      }
    }
    return relay.forward();
  }

  @Override
  public ExecResult exec(String name, List<String> command, Duration timeout) {
    return manager.exec(resolve(name), command, timeout);
  }

  @Override
  public StreamedExec execStreaming(String name, List<String> command, Map<String, String> environment,
      OutputStream stdout, Duration timeout) {
    return manager.execStreaming(resolve(name), command, environment, stdout, timeout);
  }

  @Override
  public void copyFile(String name, String path, InputStream content, long size, int mode) {
    manager.copyFile(resolve(name), path, content, size, mode);
  }

  @Override
  public List<String> logs(String name, int lines) {
    return manager.logs(resolve(name), lines);
  }

  @Override
  public void writeFile(String name, String path, byte[] content, int mode) {
    manager.writeFile(resolve(name), path, content, mode);
  }

  @Override
  public Optional<byte[]> readFile(String name, String path) {
    return manager.readFile(resolve(name), path);
  }

  @Override
  public String describe() {
    return manager.describe();
  }

  @Override
  public DockerClient client() {
    return manager.client();
  }

  @Override
  public void ping() {
    manager.ping();
  }

  @Override
  public Optional<String> imageId(String image) {
    return manager.imageId(image);
  }

  @Override
  public String pull(String image, Duration timeout) {
    return manager.pull(image, timeout);
  }

  @Override
  public String pull(String image, @Nullable RegistryAuth auth, Duration timeout, TransferProgress progress) {
    return manager.pull(image, auth, timeout, progress);
  }

  @Override
  public String push(String image, @Nullable RegistryAuth auth, Duration timeout, TransferProgress progress) {
    return manager.push(image, auth, timeout, progress);
  }

  @Override
  public void tag(String image, String reference) {
    manager.tag(image, reference);
  }

  @Override
  public void ensureNetwork(String name, Map<String, String> labels) {
    manager.ensureNetwork(name, labels);
  }

  @Override
  public void ensureVolume(String name, Map<String, String> labels) {
    manager.ensureVolume(name, labels);
  }

  @Override
  public void removeNetwork(String name) {
    manager.removeNetwork(name);
  }

  @Override
  public void removeVolumes(Map<String, String> labels) {
    manager.removeVolumes(labels);
  }

  @Override
  public String create(ContainerSpec spec) {
    return manager.create(spec);
  }

  @Override
  public void start(String name) {
    manager.start(name);
  }

  @Override
  public void stop(String name, Duration grace) {
    manager.stop(name, grace);
  }

  @Override
  public void remove(String name) {
    manager.remove(name);
  }

  @Override
  public List<ContainerState> list(Map<String, String> labels, String network) {
    return manager.list(labels, network);
  }

  /** Removes the relay, if one was made; the manager's connection stays open. */
  @Override
  public synchronized void close() {
    if (relay != null) {
      relay.close();
      relay = null;
    }
  }

  @Override
  public String toString() {
    return "SwarmDatabaseHost[" + swarmService() + " on " + manager.describe() + "]";
  }
}
