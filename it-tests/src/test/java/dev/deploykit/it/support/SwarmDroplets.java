package dev.deploykit.it.support;

import com.github.dockerjava.api.DockerClient;
import dev.deploykit.core.engine.SshHost;
import dev.deploykit.core.swarm.SwarmCluster;
import dev.deploykit.core.swarm.SwarmDrain;
import dev.deploykit.core.swarm.SwarmNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.testcontainers.DockerClientFactory;

/**
 * A Docker Swarm of test droplets on this machine: N {@link TestDroplet}s (default 3) on the
 * default bridge, the first one the manager (advertising its bridge address), the others joined
 * as workers through {@link SwarmCluster}, every node given the same images ({@link
 * DropletImages#give}, in parallel). The ports asked for are published on the manager's droplet
 * (a proxy published there is reached at {@link #managerPort}). Closing removes every droplet
 * with its volumes.
 *
 * <pre>{@code
 * try (SwarmDroplets swarm = SwarmDroplets.start(3, List.of("app:1"), 8080)) {
 *   swarm.cluster().nodes();
 * }
 * }</pre>
 *
 * <p>No routing mesh here (no IPVS in this kernel): services must use {@code dnsrr} and no
 * ingress-published port. Thread safety: safe for concurrent use once started.
 */
public final class SwarmDroplets implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final List<TestDroplet> droplets;
  private final List<SshHost> hosts;
  private final List<String> nodeIds;
  private final SwarmCluster cluster;

  private SwarmDroplets(List<TestDroplet> droplets, List<SshHost> hosts, List<String> nodeIds) {
    this.droplets = List.copyOf(droplets);
    this.hosts = List.copyOf(hosts);
    this.nodeIds = List.copyOf(nodeIds);
    this.cluster = SwarmCluster.of(hosts.getFirst());
  }

  /** Three nodes, no images, no published port. */
  public static SwarmDroplets start() {
    return start(3, List.of());
  }

  /**
   * {@code nodes} droplets formed into a swarm whose nodes all hold {@code images}, with {@code
   * managerPorts} published on the manager's droplet.
   */
  public static SwarmDroplets start(int nodes, Collection<String> images, int... managerPorts) {
    if (nodes < 1) {
      throw new IllegalArgumentException("a swarm needs at least one node, not " + nodes);
    }
    List<TestDroplet> droplets = new ArrayList<>();
    List<SshHost> hosts = new ArrayList<>();
    try {
      List<CompletableFuture<TestDroplet>> starting = new ArrayList<>();
      starting.add(CompletableFuture.supplyAsync(() -> TestDroplet.start(managerPorts)));
      for (int i = 1; i < nodes; i++) {
        starting.add(CompletableFuture.supplyAsync(TestDroplet::start));
      }
      RuntimeException failure = null;
      for (var future : starting) {
        try {
          droplets.add(future.join());
        } catch (RuntimeException e) {
          failure = failure == null ? e : failure;
        }
      }
      if (failure != null) {
        throw failure;
      }
      for (TestDroplet droplet : droplets) {
        hosts.add(droplet.ssh().build());
      }
      if (!images.isEmpty()) {
        CompletableFuture.allOf(hosts.stream().map(h -> CompletableFuture.runAsync(() -> DropletImages.give(h, images)))
            .toArray(CompletableFuture[]::new)).join();
      }
      SwarmCluster cluster = SwarmCluster.of(hosts.getFirst());
      List<String> ids = new ArrayList<>();
      ids.add(cluster.init(bridgeAddress(droplets.getFirst())).nodeId());
      for (SshHost worker : hosts.subList(1, hosts.size())) {
        ids.add(cluster.join(worker).nodeId());
      }
      SwarmDroplets swarm = new SwarmDroplets(droplets, hosts, ids);
      swarm.awaitReady();
      return swarm;
    } catch (RuntimeException e) {
      hosts.forEach(SshHost::close);
      droplets.forEach(TestDroplet::close);
      throw e;
    }
  }

  /** The droplet's address on this machine's default bridge, which the other droplets reach. */
  public static String bridgeAddress(TestDroplet droplet) {
    DockerClient docker = DockerClientFactory.instance().client();
    return docker.inspectContainerCmd(droplet.container()).exec().getNetworkSettings().getNetworks().get("bridge")
        .getIpAddress();
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    List<SwarmNode> nodes = List.of();
    while (System.nanoTime() - deadline < 0) {
      nodes = cluster.nodes();
      if (nodes.size() == droplets.size() && nodes.stream().allMatch(n -> n.state() == SwarmNode.State.READY)) {
        return;
      }
      pause(Duration.ofMillis(250));
    }
    throw new IllegalStateException("The swarm's nodes were not all Ready within " + READY_TIMEOUT + ": " + nodes);
  }

  /** The cluster, driven through the manager. */
  public SwarmCluster cluster() {
    return cluster;
  }

  /** The number of nodes. */
  public int size() {
    return droplets.size();
  }

  /** Node {@code index}'s droplet (0 is the manager). */
  public TestDroplet droplet(int index) {
    return droplets.get(index);
  }

  /** Node {@code index}'s engine over SSH (0 is the manager); closed with the swarm. */
  public SshHost host(int index) {
    return hosts.get(index);
  }

  /** Node {@code index}'s swarm node id. */
  public String nodeId(int index) {
    return nodeIds.get(index);
  }

  /** Every node's swarm node id, the manager first. */
  public List<String> nodeIds() {
    return nodeIds;
  }

  /** The manager's droplet. */
  public TestDroplet managerDroplet() {
    return droplets.getFirst();
  }

  /** The manager's engine over SSH. */
  public SshHost manager() {
    return hosts.getFirst();
  }

  /** The 127.0.0.1 port that {@code inside} (one of the manager ports given to start) is published on. */
  public int managerPort(int inside) {
    return managerDroplet().publishedPort(inside);
  }

  /** Drains node {@code index} as {@code deploykit swarm drain} does: its tasks' replacements start first. */
  public SwarmNode drain(int index) {
    SwarmDrain drained = cluster.drain(nodeId(index), Duration.ofMinutes(2),
        line -> System.out.println("SwarmDroplets: drain " + index + ": " + line));
    System.out.println("SwarmDroplets: drained " + index + ": moved " + drained.moved() + ", replacements first: "
        + drained.startedFirst());
    return drained.node();
  }

  /** Makes node {@code index} active again. */
  public SwarmNode activate(int index) {
    return cluster.availability(nodeId(index), SwarmNode.Availability.ACTIVE);
  }

  /**
   * Stops node {@code index}'s droplet outright (its dockerd with it): the managers see the node
   * Down after their heartbeat period. Stopping the manager leaves the swarm without control.
   */
  public void stop(int index) {
    DockerClient docker = DockerClientFactory.instance().client();
    docker.stopContainerCmd(droplets.get(index).container()).withTimeout(5).exec();
  }

  /**
   * Waits until the manager reports node {@code index} in {@code state}.
   *
   * @throws IllegalStateException when it does not within {@code timeout}
   */
  public SwarmNode awaitState(int index, SwarmNode.State state, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    SwarmNode node = null;
    while (System.nanoTime() - deadline < 0) {
      String id = nodeId(index);
      node = cluster.nodes().stream().filter(n -> n.id().equals(id)).findFirst().orElse(null);
      if (node != null && node.state() == state) {
        return node;
      }
      pause(Duration.ofMillis(250));
    }
    throw new IllegalStateException("Node " + index + " was not " + state + " within " + timeout + ": " + node);
  }

  private static void pause(Duration pause) {
    try {
      Thread.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the swarm", e);
    }
  }

  @Override
  public void close() {
    hosts.forEach(h -> {
      try {
        h.close();
      } catch (RuntimeException e) {
        // The droplet goes next anyway.
      }
    });
    droplets.forEach(TestDroplet::close);
  }
}
