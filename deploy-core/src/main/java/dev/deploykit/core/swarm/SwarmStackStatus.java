package dev.deploykit.core.swarm;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What runs of a stack on a swarm, as its manager and deploykit's proxy report it: each of the
 * stack's Swarm services with its tasks by node, and the proxy's backends with the state HAProxy's
 * own checks give each server.
 *
 * @param stack the stack's name
 * @param nodes the swarm's nodes
 * @param services the stack's Swarm services: accessories, then releases newest first
 * @param proxy the proxy's servers, when it runs; empty when it does not ({@link #proxyRunning})
 * @param proxyRunning whether the stack's proxy container runs on the manager
 */
public record SwarmStackStatus(String stack, List<SwarmNode> nodes, List<Service> services, List<ProxyServer> proxy,
    boolean proxyRunning) {

  /** Copies the lists. */
  public SwarmStackStatus {
    Objects.requireNonNull(stack, "stack");
    nodes = List.copyOf(nodes);
    services = List.copyOf(services);
    proxy = List.copyOf(proxy);
  }

  /** The services that are meant to run (one replica or more): the live releases and accessories. */
  public List<Service> live() {
    return services.stream().filter(s -> s.replicas() > 0).toList();
  }

  /**
   * One Swarm service of the stack.
   *
   * @param name the Swarm service's name ({@code <stack>-<service>[-<release>]})
   * @param service the Compose service it runs
   * @param release the release it belongs to, or null for an accessory
   * @param role the service's role ({@code web}, {@code worker}, {@code accessory})
   * @param replicas the replicas it is meant to run (0: a kept release, for a rollback)
   * @param tasks its tasks that are meant to run, and the ones still stopping
   * @param lastError the newest error a task of it reported (a node that cannot pull, a task that
   *     failed its healthcheck), or null
   */
  public record Service(String name, String service, @Nullable String release, String role, int replicas,
      List<Task> tasks, @Nullable String lastError) {

    /** Copies the list. */
    public Service {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(role, "role");
      tasks = List.copyOf(tasks);
    }

    /** The tasks that run and are meant to (Swarm reports a task running once it is healthy). */
    public long running() {
      return tasks.stream().filter(Task::serving).count();
    }

    /** Whether as many tasks run as the service is meant to have. */
    public boolean converged() {
      return running() == replicas;
    }

    /** Running tasks by node host name, sorted. */
    public Map<String, Long> byNode() {
      Map<String, Long> byNode = new TreeMap<>();
      tasks.stream().filter(Task::serving).forEach(t -> byNode.merge(t.node(), 1L, Long::sum));
      return byNode;
    }
  }

  /**
   * One task of a service.
   *
   * @param id the task's id
   * @param node the host name of the node it is on ({@code ""} before it is scheduled)
   * @param state its state as Swarm reports it ({@code running}, {@code starting}, {@code
   *     pending}, {@code rejected}, ...)
   * @param desiredState the state Swarm moves it to ({@code running} or {@code shutdown})
   * @param error the error it reported, or null
   */
  public record Task(String id, String node, String state, String desiredState, @Nullable String error) {
    /** Validates the fields. */
    public Task {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(desiredState, "desiredState");
    }

    /** Whether it runs and is meant to. */
    public boolean serving() {
      return state.equals("running") && desiredState.equals("running");
    }
  }

  /**
   * One server of a web backend in deploykit's proxy.
   *
   * @param backend the backend (the web service's name)
   * @param server the server's name: slot group {@code a} or {@code b} and its number
   * @param status HAProxy's status ({@code UP}, {@code DOWN}, {@code DRAIN}, {@code MAINT}, ...)
   * @param address the task's {@code ip:port} it points at, {@code ""} when it has none
   * @param sessions its current sessions
   */
  public record ProxyServer(String backend, String server, String status, String address, int sessions) {
    /** Validates the fields. */
    public ProxyServer {
      Objects.requireNonNull(backend, "backend");
      Objects.requireNonNull(server, "server");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(address, "address");
    }

    /** Whether it takes new requests. */
    public boolean up() {
      return status.equals("UP") || status.startsWith("UP ");
    }
  }
}
