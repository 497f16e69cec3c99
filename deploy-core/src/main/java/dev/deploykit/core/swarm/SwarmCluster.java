package dev.deploykit.core.swarm;

import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.SwarmInfo;
import com.github.dockerjava.api.model.SwarmNodeAvailability;
import com.github.dockerjava.api.model.SwarmSpec;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.internal.swarm.NodeDrain;
import dev.deploykit.core.internal.swarm.SwarmProxy;
import dev.deploykit.core.internal.swarm.SwarmServices;
import dev.deploykit.health.wait.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A Docker Swarm cluster seen through one manager's engine: makes the swarm ({@link #init}),
 * joins workers to it ({@link #join}), lists its nodes ({@link #nodes}) and drains or activates a
 * node ({@link #availability}, {@link #drain}) and shows what runs of a stack ({@link #status}). Init and join are idempotent: a host that is already the manager,
 * or already a node of this swarm, is left as it is and the result says so. The hosts are used,
 * never closed: whoever built them closes them.
 *
 * <pre>{@code
 * try (SshHost manager = SshHost.fromAddress("ssh://deploy@10.0.0.1").build();
 *     SshHost worker = SshHost.fromAddress("ssh://deploy@10.0.0.2").build()) {
 *   SwarmCluster cluster = SwarmCluster.of(manager);
 *   cluster.init("10.0.0.1");
 *   cluster.join(worker);
 *   cluster.nodes().forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p>Every engine call has the host's own call deadline ({@link dev.deploykit.core.engine.SshHost
 * .Builder#callTimeout}). Failures: {@link DeployException} with the host's reason when a host
 * cannot be reached, {@link SwarmException} when a host is not what the call needs.
 *
 * <p>Thread safety: safe for concurrent use when the hosts are (both of deploykit's are).
 */
public final class SwarmCluster {
  /** How long a manager's calls are asked again while it cannot reach a leader that went down. */
  private static final Duration LEADER_SETTLE = Duration.ofSeconds(30);
  private static final Duration LEADER_RETRY = Duration.ofSeconds(2);
  private static final String LISTEN_ADDRESS = "0.0.0.0:" + SwarmFacts.MANAGEMENT_PORT;

  private final DockerHost manager;

  private SwarmCluster(DockerHost manager) {
    this.manager = manager;
  }

  /** The cluster whose manager (or, before {@link #init}, future manager) is {@code manager}. */
  public static SwarmCluster of(DockerHost manager) {
    return new SwarmCluster(Objects.requireNonNull(manager, "manager"));
  }

  /** The manager's engine. */
  public DockerHost manager() {
    return manager;
  }

  /**
   * Makes a swarm with the manager as its first manager, the engine choosing the address it
   * advertises; nothing happens when it already manages a swarm.
   *
   * @throws SwarmException {@link SwarmException.Problem#NO_ADVERTISE_ADDRESS} when the engine
   *     cannot choose (several addresses: give one with {@link #init(String)}), {@link
   *     SwarmException.Problem#NOT_A_MANAGER} when the host is a worker of a swarm
   * @throws DeployException when the manager cannot be reached
   */
  public SwarmInit init() {
    return init(null);
  }

  /**
   * Makes a swarm with the manager as its first manager advertising {@code advertiseAddress} (an
   * address the other nodes reach, {@code ip} or {@code ip:port}); nothing happens when it already
   * manages a swarm (whatever address it advertises).
   *
   * @param advertiseAddress the address, or null to let the engine choose
   * @throws SwarmException as {@link #init()}
   * @throws DeployException when the manager cannot be reached
   */
  public SwarmInit init(@Nullable String advertiseAddress) {
    SwarmInfo swarm = swarmOf(manager, "manager");
    switch (SwarmFacts.membership(swarm)) {
      case MANAGER -> {
        return new SwarmInit(swarmId(), swarm.getNodeID(), SwarmFacts.managerAddress(swarm), false);
      }
      case WORKER -> throw new SwarmException(SwarmException.Problem.NOT_A_MANAGER, manager.describe()
          + " is a worker of a swarm already: run init on one of its managers, or `docker swarm leave` on it first.");
      case OTHER -> throw otherState(manager, swarm);
      case NONE -> { }
    }
    var command = manager.client().initializeSwarmCmd(new SwarmSpec()).withListenAddr(LISTEN_ADDRESS);
    if (advertiseAddress != null && !advertiseAddress.isBlank()) {
      command = command.withAdvertiseAddr(advertiseAddress);
    }
    try {
      command.exec();
    } catch (DockerException e) {
      Optional<SwarmException.Problem> problem = SwarmFacts.problemIn(e.getMessage());
      if (problem.orElse(null) == SwarmException.Problem.NO_ADVERTISE_ADDRESS) {
        throw new SwarmException(SwarmException.Problem.NO_ADVERTISE_ADDRESS, "The engine on " + manager.describe()
            + " cannot choose the address to advertise to the other nodes (" + firstLine(e)
            + "). Give the address the other nodes reach it on (--advertise-addr).", e);
      }
      throw new DeployException("Cannot make a swarm on " + manager.describe() + ": " + firstLine(e), e);
    }
    SwarmInfo made = swarmOf(manager, "manager");
    return new SwarmInit(swarmId(), made.getNodeID(), SwarmFacts.managerAddress(made), true);
  }

  /**
   * Joins {@code worker} to the swarm as a worker, with the join token and the address read from
   * the manager; nothing happens when it is already a node of this swarm.
   *
   * @throws SwarmException {@link SwarmException.Problem#NOT_IN_SWARM} or {@link
   *     SwarmException.Problem#NOT_A_MANAGER} when the manager cannot hand out a join, {@link
   *     SwarmException.Problem#IN_ANOTHER_SWARM} when the worker is in another swarm, {@link
   *     SwarmException.Problem#JOIN_REFUSED} when the join fails, {@link
   *     SwarmException.Problem#QUORUM_LOST} when the manager's swarm has no leader
   * @throws DeployException when a host cannot be reached
   */
  public SwarmJoin join(DockerHost worker) {
    Objects.requireNonNull(worker, "worker");
    SwarmInfo managerSwarm = requireManager();
    var swarm = managerCall(() -> manager.client().inspectSwarmCmd().exec(), managerSwarm);
    SwarmInfo workerSwarm = swarmOf(worker, "worker");
    switch (SwarmFacts.membership(workerSwarm)) {
      case MANAGER, WORKER -> {
        String id = workerSwarm.getNodeID();
        boolean ours = nodes().stream().anyMatch(n -> n.id().equals(id));
        if (ours) {
          return new SwarmJoin(swarm.getId(), id, false);
        }
        throw new SwarmException(SwarmException.Problem.IN_ANOTHER_SWARM, worker.describe()
            + " is a node of another swarm (node " + id + "), not of the swarm of " + manager.describe()
            + ". Run `docker swarm leave` on it (add --force on a manager) and join again.");
      }
      case OTHER -> throw otherState(worker, workerSwarm);
      case NONE -> { }
    }
    String address = SwarmFacts.managerAddress(managerSwarm);
    try {
      worker.client().joinSwarmCmd().withRemoteAddrs(List.of(address))
          .withJoinToken(swarm.getJoinTokens().getWorker()).withListenAddr(LISTEN_ADDRESS).exec();
    } catch (DockerException e) {
      throw new SwarmException(SwarmException.Problem.JOIN_REFUSED, worker.describe() + " could not join the swarm of "
          + manager.describe() + " at " + address + ": " + firstLine(e) + ". Check that the worker reaches " + address
          + " (TCP " + SwarmFacts.MANAGEMENT_PORT + ") and that the nodes reach each other on TCP/UDP 7946 and"
          + " UDP 4789; rerun the join when it does.", e);
    }
    SwarmInfo joined = swarmOf(worker, "worker");
    if (SwarmFacts.membership(joined) == SwarmFacts.Membership.NONE) {
      throw new SwarmException(SwarmException.Problem.JOIN_REFUSED, worker.describe()
          + " accepted the join to " + address + " but is in no swarm after it" + error(joined)
          + ". Check that it reaches " + address + " and rerun the join.");
    }
    return new SwarmJoin(swarm.getId(), joined.getNodeID(), true);
  }

  /**
   * The swarm's nodes as the manager reports them, managers first, then by host name.
   *
   * @throws SwarmException when the manager is in no swarm, is no manager, or has lost its quorum
   * @throws DeployException when the manager cannot be reached
   */
  public List<SwarmNode> nodes() {
    SwarmInfo swarm = requireManager();
    return managerCall(() -> manager.client().listSwarmNodesCmd().exec(), swarm).stream().map(SwarmFacts::node)
        .sorted(java.util.Comparator.comparing((SwarmNode n) -> n.role()).thenComparing(SwarmNode::hostname)
            .thenComparing(SwarmNode::id))
        .toList();
  }

  /**
   * Sets a node's availability: {@link SwarmNode.Availability#DRAIN} moves its tasks off, {@link
   * SwarmNode.Availability#ACTIVE} lets the scheduler use it again. Setting the availability it
   * has changes nothing.
   *
   * @param node the node's id, a unique prefix of it, or its host name
   * @return the node as it is after the change
   * @throws SwarmException {@link SwarmException.Problem#UNKNOWN_NODE} when no node (or more than
   *     one) matches, and as {@link #nodes()}
   */
  public SwarmNode availability(String node, SwarmNode.Availability availability) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(availability, "availability");
    SwarmNode target = find(node);
    if (target.availability() == availability) {
      return target;
    }
    SwarmInfo swarm = requireManager();
    managerCall(() -> {
      var listed = manager.client().listSwarmNodesCmd().withIdFilter(List.of(target.id())).exec();
      if (listed.isEmpty()) {
        throw new SwarmException(SwarmException.Problem.UNKNOWN_NODE, "The node " + target.id()
            + " left the swarm of " + manager.describe() + " meanwhile.");
      }
      var current = listed.getFirst();
      var spec = current.getSpec().withAvailability(SwarmNodeAvailability.valueOf(availability.name()));
      manager.client().updateSwarmNodeCmd().withSwarmNodeId(target.id()).withVersion(current.getVersion().getIndex())
          .withSwarmNodeSpec(spec).exec();
      return null;
    }, swarm);
    return find(target.id());
  }

  /**
   * Drains a node start-first: the node is paused, each of deploykit's Swarm services with tasks
   * there gets as many extra replicas on the other nodes, and only once those run healthy is the
   * node drained (Swarm's own drain stops the tasks first); then the services go back to their
   * replicas. Draining a drained node changes nothing.
   *
   * @param node the node's id, a unique prefix of it, or its host name
   * @param timeout how long the replacements may take to run healthy (and, again, the node's
   *     tasks to stop); past it the node is drained anyway and the result says so
   * @param progress told each step
   * @throws SwarmException as {@link #availability}
   */
  public SwarmDrain drain(String node, Duration timeout, Consumer<String> progress) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(progress, "progress");
    SwarmNode target = find(node);
    if (target.availability() == SwarmNode.Availability.DRAIN) {
      return new SwarmDrain(target, Map.of(), true, false);
    }
    SwarmServices services = new SwarmServices(manager.client(), manager.describe(), TimeSource.system());
    NodeDrain.Result result = managerCall(() -> new NodeDrain(services, TimeSource.system())
        .drain(target.id(), new NodeDrain.Availability() {
          @Override
          public void pause() {
            availability(target.id(), SwarmNode.Availability.PAUSE);
          }

          @Override
          public void drain() {
            availability(target.id(), SwarmNode.Availability.DRAIN);
          }
        }, timeout, progress), requireManager());
    return new SwarmDrain(find(target.id()), result.moved(), result.startedFirst(), true);
  }

  /**
   * What runs of a stack on the swarm: its Swarm services (accessories, then releases newest first) with
   * their tasks by node, and, when the stack's proxy runs on the manager, the servers of its web
   * backends as HAProxy's own checks see them.
   *
   * @param stack the stack's name
   * @throws SwarmException as {@link #nodes()}
   * @throws DeployException when the manager, or the proxy's Runtime API, cannot be reached
   */
  public SwarmStackStatus status(String stack) {
    Objects.requireNonNull(stack, "stack");
    List<SwarmNode> nodes = nodes();
    Map<String, String> names = new java.util.HashMap<>();
    nodes.forEach(n -> names.put(n.id(), n.hostname().isEmpty() ? n.id() : n.hostname()));
    SwarmServices services = new SwarmServices(manager.client(), manager.describe(), TimeSource.system());
    List<SwarmStackStatus.Service> shown = managerCall(() -> services.ofStack(stack).stream()
        .sorted(SwarmStatusFacts.ORDER)
        .map(s -> SwarmStatusFacts.service(s, services.tasks(s.getSpec().getName()), names)).toList(),
        requireManager());
    Optional<SwarmProxy> proxy = SwarmProxy.running(manager, stack, TimeSource.system());
    if (proxy.isEmpty()) {
      return new SwarmStackStatus(stack, nodes, shown, List.of(), false);
    }
    try (SwarmProxy open = proxy.get()) {
      return new SwarmStackStatus(stack, nodes, shown,
          open.api().servers().stream().map(SwarmStatusFacts::server).toList(), true);
    }
  }

  /**
   * Checks, before a run changes anything, that the host manages a swarm that has its quorum.
   *
   * @throws SwarmException as {@link #nodes()}: with what to do when the host is in no swarm, is
   *     a worker, or its swarm has lost its quorum
   * @throws DeployException when the manager cannot be reached
   */
  public void requireUsable() {
    nodes();
  }

  /**
   * Whether the host is a manager of a swarm (not in one, or a worker: false).
   *
   * @throws DeployException when its engine cannot be reached
   */
  public boolean managesASwarm() {
    return SwarmFacts.membership(swarmOf(manager, "manager")) == SwarmFacts.Membership.MANAGER;
  }

  /**
   * The manager as a stack's database step sees it on this cluster ({@link
   * dev.deploykit.core.DatabaseStep#prepare}): the database accessory's one-host container name
   * names its task's container on the manager, and a forward to it goes through a short-lived
   * relay container (made from {@code relayImage}, removed when the returned host is closed).
   * Closing it leaves the manager's connection open.
   *
   * @param relayImage an HAProxy image the manager holds (the stack proxy's)
   * @throws DeployException when the stack has no {@code x-deploykit.db_init}
   */
  public DockerHost databaseHost(dev.deploykit.core.Stack stack, String relayImage) {
    dev.deploykit.core.DatabaseSettings db = stack.settings().database();
    if (db == null) {
      throw new DeployException(DeployException.Reason.INVALID_STACK, "Stack " + stack.name()
          + " has no x-deploykit.db_init block, so there is no database to reach");
    }
    return new dev.deploykit.core.internal.swarm.SwarmDatabaseHost(manager, stack.name(), db.service(), relayImage,
        TimeSource.system());
  }

  private SwarmNode find(String node) {
    List<SwarmNode> nodes = nodes();
    List<SwarmNode> exact = nodes.stream().filter(n -> n.id().equals(node) || n.hostname().equals(node)).toList();
    List<SwarmNode> matches = exact.isEmpty() ? nodes.stream().filter(n -> n.id().startsWith(node)).toList() : exact;
    if (matches.size() != 1) {
      throw new SwarmException(SwarmException.Problem.UNKNOWN_NODE, (matches.isEmpty() ? "No node" : "More than one node")
          + " of the swarm of " + manager.describe() + " is " + node + "; its nodes: " + nodes.stream()
              .map(n -> n.hostname() + " (" + n.id() + ")").toList() + ". Name a node by its id or host name.");
    }
    return matches.getFirst();
  }

  private String swarmId() {
    SwarmInfo swarm = requireManager();
    return managerCall(() -> manager.client().inspectSwarmCmd().exec(), swarm).getId();
  }

  /** The manager's swarm section, once it is known to be a manager of a swarm. */
  private SwarmInfo requireManager() {
    SwarmInfo swarm = swarmOf(manager, "manager");
    return switch (SwarmFacts.membership(swarm)) {
      case MANAGER -> swarm;
      case NONE -> throw new SwarmException(SwarmException.Problem.NOT_IN_SWARM, "The swarm manager " + manager.describe()
          + " is in no swarm. Make one there first (`deploykit swarm init`), or name a manager of the swarm.");
      case WORKER -> throw new SwarmException(SwarmException.Problem.NOT_A_MANAGER, manager.describe()
          + " is a worker of a swarm, not a manager: name one of its managers instead"
          + managersOf(swarm) + ".");
      case OTHER -> throw otherState(manager, swarm);
    };
  }

  private <T> T managerCall(Supplier<T> call, SwarmInfo swarm) {
    long settled = System.nanoTime() + LEADER_SETTLE.toNanos();
    while (true) {
      try {
        return call.get();
      } catch (DockerException e) {
        if (!SwarmFacts.leaderUnanswered(e.getMessage())) {
          throw failure(e, swarm);
        }
        if (System.nanoTime() - settled >= 0) {
          throw new DeployException(DeployException.Reason.ENGINE_UNAVAILABLE, "The swarm manager "
              + manager.describe() + " got no answer from its swarm's leader for " + LEADER_SETTLE.toSeconds()
              + " s (" + firstLine(e) + "): the leader is down or cut off from it. Start the managers that are"
              + " down, or mend the network between them (TCP " + SwarmFacts.MANAGEMENT_PORT + "), then try again.", e);
        }
        pause();
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(LEADER_RETRY.toMillis());
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new DeployException("Interrupted while waiting for the swarm's leader", interrupted);
    }
  }

  /** What a manager's refusal means for the user. */
  private RuntimeException failure(DockerException e, SwarmInfo swarm) {
    SwarmException.Problem problem = SwarmFacts.problemIn(e.getMessage()).orElse(null);
    if (problem == SwarmException.Problem.QUORUM_LOST) {
      return new SwarmException(problem, SwarmFacts.quorumLost(manager.describe(), swarmOf(manager, "manager")), e);
    }
    if (problem == SwarmException.Problem.NOT_A_MANAGER || problem == SwarmException.Problem.NOT_IN_SWARM) {
      return new SwarmException(problem, manager.describe() + " answered: " + firstLine(e)
          + (problem == SwarmException.Problem.NOT_A_MANAGER ? " Name a manager instead" + managersOf(swarm) + "." : ""), e);
    }
    return new DeployException("The swarm manager " + manager.describe() + " refused the call: " + firstLine(e), e);
  }

  /** The host's swarm section, saying which host could not be reached when it cannot. */
  private static SwarmInfo swarmOf(DockerHost host, String role) {
    Info info;
    try {
      info = host.client().infoCmd().exec();
    } catch (DeployException e) {
      throw new DeployException(e.reason(), "Cannot reach the swarm " + role + " " + host.describe() + ": "
          + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new DeployException(DeployException.Reason.ENGINE_UNAVAILABLE, "Cannot reach the engine of the swarm "
          + role + " " + host.describe() + ": " + e.getMessage(), e);
    }
    return Objects.requireNonNullElseGet(info.getSwarm(), SwarmInfo::new);
  }

  private static SwarmException otherState(DockerHost host, SwarmInfo swarm) {
    return new SwarmException(SwarmException.Problem.NODE_STATE, "The engine on " + host.describe() + " is in swarm state "
        + swarm.getLocalNodeState() + error(swarm) + ": a locked manager needs `docker swarm unlock`, a pending"
        + " join finishes or fails by itself (`docker info` shows which), a node in error needs `docker swarm leave`.");
  }

  private static String error(SwarmInfo swarm) {
    String error = swarm.getError();
    return error == null || error.isBlank() ? "" : " (" + error + ")";
  }

  private static String managersOf(SwarmInfo swarm) {
    var peers = Objects.requireNonNullElse(swarm.getRemoteManagers(), List.<com.github.dockerjava.api.model.PeerNode>of());
    return peers.isEmpty() ? "" : " (its managers: " + String.join(", ", peers.stream()
        .map(p -> Objects.requireNonNullElse(p.getAddr(), "?")).toList()) + ")";
  }

  private static String firstLine(Exception e) {
    String message = Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName()).strip();
    // docker-java prefixes the engine's JSON answer with "Status 503: {"message":"..."}".
    int at = message.indexOf("\"message\":\"");
    if (at >= 0) {
      int end = message.indexOf('"', at + 11);
      message = message.substring(at + 11, end > 0 ? end : message.length());
    }
    int newline = message.indexOf('\n');
    return newline > 0 ? message.substring(0, newline) : message;
  }
}
