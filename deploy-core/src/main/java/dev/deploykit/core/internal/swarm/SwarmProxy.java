package dev.deploykit.core.internal.swarm;

import com.github.dockerjava.api.exception.DockerException;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.StackNames;
import dev.deploykit.core.engine.ContainerSpec;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.PortForward;
import dev.deploykit.core.engine.PortMapping;
import dev.deploykit.core.internal.haproxy.HaproxyConfig;
import dev.deploykit.core.internal.haproxy.RuntimeApi;
import dev.deploykit.core.internal.haproxy.SlotGroupSwitch;
import dev.deploykit.health.wait.TimeSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * deploykit's HAProxy for a stack on a swarm: a plain container on the manager (restart
 * unless-stopped), publishing the proxy port on the manager's own interfaces (host mode), on the
 * stack's bridge network (its Runtime API is forwarded through the host from there: overlay
 * addresses are not routable from the host) and on the stack's overlay (the traffic to the tasks,
 * and Docker's DNS for {@code tasks.<service>}). Its configuration holds the web backends' slot
 * groups ({@link HaproxyConfig#renderSlotGroups}).
 *
 * <p>{@link #ensure} is idempotent: a proxy that exists is started when stopped and joined to the
 * overlay when it is not on it, and its configuration is kept (its slot groups carry the live
 * release). Close the proxy to close the Runtime API's forward; the container stays.
 */
public final class SwarmProxy implements AutoCloseable {
  private static final String CONFIG_PATH = "/usr/local/etc/haproxy/haproxy.cfg";
  private static final Duration API_TIMEOUT = Duration.ofSeconds(5);

  private final PortForward forward;
  private final RuntimeApi api;
  private final SlotGroupSwitch slots;

  private SwarmProxy(PortForward forward, TimeSource time) {
    this.forward = forward;
    this.api = new RuntimeApi(forward.address(), API_TIMEOUT);
    this.slots = new SlotGroupSwitch(api, time);
  }

  /**
   * Makes (or finds) the stack's proxy on the manager, running, and opens its Runtime API.
   *
   * @param manager the swarm manager's engine
   * @param stack the stack's name
   * @param image the HAProxy image (present on the manager)
   * @param proxyPort the port published on the manager's interfaces
   * @param backends the web services' slot groups, for a proxy made now
   * @param serverTimeout how long a request may take on the server side, for a proxy made now
   * @throws DeployException when the manager refuses a step (the step and its answer named)
   */
  public static SwarmProxy ensure(DockerHost manager, String stack, String image, int proxyPort,
      List<HaproxyConfig.SlotGroups> backends, Duration serverTimeout, TimeSource time) {
    Objects.requireNonNull(manager, "manager");
    String name = StackNames.proxyContainer(stack);
    String bridge = StackNames.network(stack);
    manager.ensureNetwork(bridge, StackNames.labels(stack, StackNames.KIND_NETWORK));
    Optional<ContainerState> existing = manager.inspect(name, bridge);
    String id;
    if (existing.isPresent()) {
      id = existing.get().id();
    } else {
      id = manager.create(ContainerSpec.builder(name, image)
          .labels(StackNames.labels(stack, StackNames.KIND_PROXY))
          .network(bridge, List.of("proxy"))
          .ports(List.of(new PortMapping("0.0.0.0", proxyPort, HaproxyConfig.LISTEN_PORT, "tcp")))
          .restart("unless-stopped")
          .build());
      manager.writeFile(id, CONFIG_PATH, HaproxyConfig.renderSlotGroups(backends, serverTimeout)
          .getBytes(StandardCharsets.UTF_8), 0644);
    }
    joinOverlay(manager, stack, id, name);
    if (existing.isEmpty() || !existing.get().running()) {
      manager.start(id);
    }
    SwarmProxy proxy = new SwarmProxy(manager.forward(name, bridge, HaproxyConfig.RUNTIME_API_PORT), time);
    try {
      proxy.api.awaitAnswering(Duration.ofSeconds(30), time, name);
    } catch (InterruptedException e) {
      proxy.close();
      Thread.currentThread().interrupt();
      throw new DeployException(DeployException.Reason.INTERRUPTED, "Interrupted while waiting for the proxy "
          + name + " on " + manager.describe() + " to answer", e);
    } catch (RuntimeException e) {
      proxy.close();
      throw e;
    }
    return proxy;
  }

  /**
   * The stack's proxy on the manager with its Runtime API open, when it exists and runs.
   *
   * @throws DeployException when the manager cannot be reached
   */
  public static Optional<SwarmProxy> running(DockerHost manager, String stack, TimeSource time) {
    String name = StackNames.proxyContainer(stack);
    String bridge = StackNames.network(stack);
    Optional<ContainerState> proxy = manager.inspect(name, bridge);
    if (proxy.isEmpty() || !proxy.get().running()) {
      return Optional.empty();
    }
    return Optional.of(new SwarmProxy(manager.forward(name, bridge, HaproxyConfig.RUNTIME_API_PORT), time));
  }

  /** Attaches the manager's container {@code id} (named {@code name}) to the stack's overlay, if it is not. */
  static void joinOverlay(DockerHost manager, String stack, String id, String name) {
    String overlay = SwarmNames.overlay(stack);
    try {
      Map<String, ?> networks = manager.client().inspectContainerCmd(id).exec().getNetworkSettings().getNetworks();
      if (networks == null || !networks.containsKey(overlay)) {
        manager.client().connectToNetworkCmd().withNetworkId(overlay).withContainerId(id).exec();
      }
    } catch (DockerException e) {
      throw new DeployException("Cannot attach " + name + " on "
          + manager.describe() + " to the overlay network " + overlay + ": " + e.getMessage()
          + ". Check that the manager is in a swarm and the network exists (a release makes it first).", e);
    }
  }

  /** The proxy's Runtime API. */
  public RuntimeApi api() {
    return api;
  }

  /** Switches and drains the web backends' slot groups. */
  public SlotGroupSwitch slots() {
    return slots;
  }

  /** Closes the Runtime API's forward; the proxy keeps running. */
  @Override
  public void close() {
    forward.close();
  }
}
