package dev.deploykit.core.internal.swarm;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.StackNames;
import dev.deploykit.core.engine.ContainerSpec;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.PortForward;
import dev.deploykit.health.wait.TimeSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A relay from the manager's bridge network to a Swarm service's port on the stack's overlay, so
 * that this machine reaches a task through the host's forward: overlay addresses are not routable
 * from the host. It is an HAProxy container (the stack proxy's image, present on the manager) on
 * both networks, in TCP mode, resolving the service by Docker's DNS. It is made for one step
 * (db-init and the backup before it) and removed when closed; one a crashed run left behind is
 * replaced.
 *
 * <p>Thread safety: {@link #forward} may be called from any thread; close once.
 */
final class SwarmRelay implements AutoCloseable {
  private static final String CONFIG_PATH = "/usr/local/etc/haproxy/haproxy.cfg";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration PAUSE = Duration.ofMillis(100);

  private final DockerHost manager;
  private final String name;
  private final String bridge;
  private final int port;

  private SwarmRelay(DockerHost manager, String name, String bridge, int port) {
    this.manager = manager;
    this.name = name;
    this.bridge = bridge;
    this.port = port;
  }

  /**
   * Starts a relay on {@code manager} to {@code port} of the stack's Swarm service {@code
   * swarmService}, and waits until it accepts connections that reach the service.
   *
   * @param service the Compose service the relay is named after
   * @throws DeployException when the manager refuses a step, or no connection reaches the
   *     service through the relay within 20 s (the relay is removed)
   * @throws InterruptedException when interrupted (the relay is removed)
   */
  static SwarmRelay open(DockerHost manager, String stack, String service, String swarmService, int port,
      String image, TimeSource time) throws InterruptedException {
    Objects.requireNonNull(manager, "manager");
    String name = SwarmNames.relay(stack, service);
    String bridge = StackNames.network(stack);
    manager.remove(name);
    manager.ensureNetwork(bridge, StackNames.labels(stack, StackNames.KIND_NETWORK));
    String id = manager.create(ContainerSpec.builder(name, image)
        .labels(StackNames.labels(stack, SwarmNames.KIND_RELAY))
        .network(bridge, List.of())
        .build());
    SwarmRelay relay = new SwarmRelay(manager, name, bridge, port);
    try {
      manager.writeFile(id, CONFIG_PATH, config(swarmService, port).getBytes(StandardCharsets.UTF_8), 0644);
      SwarmProxy.joinOverlay(manager, stack, id, name);
      manager.start(id);
      relay.awaitReaching(time, swarmService);
      return relay;
    } catch (InterruptedException | RuntimeException e) {
      relay.close();
      throw e;
    }
  }

  /** HAProxy in TCP mode: {@code :port} to the service's task, re-resolved as Swarm moves it. */
  static String config(String swarmService, int port) {
    return """
        # Written by deploykit: a relay for one step, removed after it.
        global
          log stdout format raw local0 info

        defaults
          mode tcp
          log global
          timeout connect 5s
          timeout client 2h
          timeout server 2h

        resolvers docker
          nameserver dns 127.0.0.11:53
          hold valid 1s

        listen relay
          bind :%2$d
          server target %1$s:%2$d resolvers docker init-addr last,libc,none
        """.formatted(swarmService, port);
  }

  /** A forward from this machine to the relay's port; close it when done. */
  PortForward forward() {
    return manager.forward(name, bridge, port);
  }

  /**
   * Until a connection through the relay stays open: one the relay (or the forward) cannot take
   * on is closed at once; the service, a database, waits for the client to speak first.
   */
  private void awaitReaching(TimeSource time, String swarmService) throws InterruptedException {
    long deadline = time.nanoTime() + READY_TIMEOUT.toNanos();
    String last = "no attempt";
    while (true) {
      try (PortForward forward = forward(); Socket socket = new Socket()) {
        socket.connect(forward.address(), 2_000);
        socket.setSoTimeout(300);
        InputStream in = socket.getInputStream();
        try {
          if (in.read() >= 0) {
            return;
          }
          last = "the connection was closed at once";
        } catch (SocketTimeoutException open) {
          return;
        }
      } catch (IOException | DeployException e) {
        last = e.getMessage();
      }
      if (time.nanoTime() > deadline) {
        throw new DeployException("The relay " + name + " on " + manager.describe() + " did not reach port " + port
            + " of the Swarm service " + swarmService + " within " + READY_TIMEOUT.toSeconds() + " s (" + last
            + "): check that its task runs (docker service ps " + swarmService + ")");
      }
      time.sleep(PAUSE);
    }
  }

  /** Removes the relay container. */
  @Override
  public void close() {
    manager.remove(name);
  }
}
