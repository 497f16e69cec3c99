package dev.deploykit.core.swarm;

import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.api.model.PeerNode;
import com.github.dockerjava.api.model.SwarmInfo;
import com.github.dockerjava.api.model.SwarmNodeManagerStatus;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The pure decisions of {@link SwarmCluster}: what an engine's swarm section says the host is,
 * what an engine's error text means, how docker-java's node model reads as a {@link SwarmNode},
 * and what a lost quorum message says. Kept apart so each is tested without an engine.
 */
final class SwarmFacts {
  /** The port managers listen on for the cluster's management traffic. */
  static final int MANAGEMENT_PORT = 2377;

  private SwarmFacts() {}

  /** What a host is in swarm terms, read off its engine's {@code info}. */
  enum Membership {
    /** In no swarm. */
    NONE,
    /** A manager (control available). */
    MANAGER,
    /** A node without control: a worker. */
    WORKER,
    /** Joining, locked or in error. */
    OTHER
  }

  static Membership membership(@Nullable SwarmInfo swarm) {
    if (swarm == null || swarm.getLocalNodeState() == null) {
      return Membership.NONE;
    }
    LocalNodeState state = swarm.getLocalNodeState();
    return switch (state) {
      case INACTIVE, EMPTY -> Membership.NONE;
      case ACTIVE -> Boolean.TRUE.equals(swarm.getControlAvailable()) ? Membership.MANAGER : Membership.WORKER;
      case PENDING, ERROR, LOCKED -> Membership.OTHER;
    };
  }

  /**
   * Whether an engine's error text is the manager giving up on its leader ({@code rpc error: code
   * = DeadlineExceeded}): a follower forwards its calls to the leader, and while a leader that
   * went down is not yet noticed (an election timeout, about ten seconds) each call ends so. Worth
   * asking again until the follower knows whether the swarm still has a leader.
   */
  static boolean leaderUnanswered(@Nullable String engineMessage) {
    String text = Objects.requireNonNullElse(engineMessage, "");
    return text.contains("DeadlineExceeded") || text.contains("context deadline exceeded");
  }

  /** What an engine's error text says went wrong, when it is a swarm-state failure. */
  static Optional<SwarmException.Problem> problemIn(@Nullable String engineMessage) {
    String text = Objects.requireNonNullElse(engineMessage, "");
    if (text.contains("does not have a leader") || text.contains("too few managers are online")) {
      return Optional.of(SwarmException.Problem.QUORUM_LOST);
    }
    if (text.contains("not a swarm manager")) {
      return Optional.of(text.contains("Worker nodes") ? SwarmException.Problem.NOT_A_MANAGER
          : SwarmException.Problem.NOT_IN_SWARM);
    }
    if (text.contains("could not choose an IP address to advertise")
        || text.contains("must specify a listening address")) {
      return Optional.of(SwarmException.Problem.NO_ADVERTISE_ADDRESS);
    }
    return Optional.empty();
  }

  /**
   * The address a worker joins: this manager's entry among the engine's remote managers, else its
   * node address on the management port.
   */
  static String managerAddress(SwarmInfo swarm) {
    String self = Objects.requireNonNullElse(swarm.getNodeID(), "");
    for (PeerNode peer : Objects.requireNonNullElse(swarm.getRemoteManagers(), List.<PeerNode>of())) {
      if (self.equals(peer.getNodeID()) && peer.getAddr() != null && !peer.getAddr().isBlank()) {
        return peer.getAddr();
      }
    }
    String address = Objects.requireNonNullElse(swarm.getNodeAddr(), "");
    return address.isBlank() ? "" : withPort(address);
  }

  /** The address with the management port when it names none. */
  static String withPort(String address) {
    boolean bracketed = address.startsWith("[");
    boolean hasPort = bracketed ? address.contains("]:") : address.indexOf(':') > 0 && address.indexOf(':') == address.lastIndexOf(':');
    return hasPort ? address : (address.contains(":") && !bracketed ? "[" + address + "]" : address) + ":" + MANAGEMENT_PORT;
  }

  /** Reads docker-java's node model; fields the engine leaves out become UNKNOWN or {@code ""}. */
  static SwarmNode node(com.github.dockerjava.api.model.SwarmNode node) {
    var spec = node.getSpec();
    var description = node.getDescription();
    var status = node.getStatus();
    SwarmNode.Role role = spec != null && spec.getRole() == com.github.dockerjava.api.model.SwarmNodeRole.MANAGER
        ? SwarmNode.Role.MANAGER : SwarmNode.Role.WORKER;
    SwarmNode.Availability availability = spec == null || spec.getAvailability() == null ? SwarmNode.Availability.ACTIVE
        : SwarmNode.Availability.valueOf(spec.getAvailability().name());
    SwarmNode.State state = status == null || status.getState() == null ? SwarmNode.State.UNKNOWN
        : SwarmNode.State.valueOf(status.getState().name());
    String hostname = description == null ? "" : Objects.requireNonNullElse(description.getHostname(), "");
    String engine = description == null || description.getEngine() == null ? ""
        : Objects.requireNonNullElse(description.getEngine().getEngineVersion(), "");
    String address = status == null ? "" : Objects.requireNonNullElse(status.getAddress(), "");
    return new SwarmNode(Objects.requireNonNullElse(node.getId(), ""), hostname, role, availability, state,
        reachability(node.getManagerStatus()), engine, address);
  }

  private static SwarmNode.Reachability reachability(@Nullable SwarmNodeManagerStatus manager) {
    if (manager == null) {
      return SwarmNode.Reachability.NONE;
    }
    if (manager.isLeader()) {
      return SwarmNode.Reachability.LEADER;
    }
    if (manager.getReachability() == null) {
      return SwarmNode.Reachability.UNKNOWN;
    }
    return switch (manager.getReachability()) {
      case REACHABLE -> SwarmNode.Reachability.REACHABLE;
      case UNREACHABLE -> SwarmNode.Reachability.UNREACHABLE;
      case UNKNOWN -> SwarmNode.Reachability.UNKNOWN;
    };
  }

  /**
   * What to tell the user when the manager at {@code where} answers but its swarm has no leader.
   *
   * @param swarm the manager's swarm section (its manager count and peers)
   */
  static String quorumLost(String where, @Nullable SwarmInfo swarm) {
    int managers = swarm == null || swarm.getManagers() == null ? 0 : swarm.getManagers();
    List<PeerNode> peers = swarm == null ? List.of() : Objects.requireNonNullElse(swarm.getRemoteManagers(), List.of());
    managers = Math.max(managers, peers.size());
    String self = swarm == null ? "" : Objects.requireNonNullElse(swarm.getNodeID(), "");
    String selfAddress = swarm == null ? "" : Objects.requireNonNullElse(swarm.getNodeAddr(), "");
    List<String> others = peers.stream().filter(p -> !self.equals(p.getNodeID()))
        .map(p -> Objects.requireNonNullElse(p.getAddr(), "?")).toList();
    StringBuilder text = new StringBuilder("The swarm of the manager ").append(where)
        .append(" has lost its quorum: it has no leader, so no manager call can be made.");
    if (managers > 0) {
      int majority = managers / 2 + 1;
      text.append(" It has ").append(managers).append(" manager(s); a leader needs ").append(majority)
          .append(" of them to reach each other, and only 1 answers here (this one");
      if (!selfAddress.isBlank()) {
        text.append(", ").append(selfAddress);
      }
      text.append(")");
      if (!others.isEmpty()) {
        text.append("; the others: ").append(String.join(", ", others));
      }
      text.append(".");
    }
    text.append(" Start the managers that are down, or mend the network between them (TCP ")
        .append(MANAGEMENT_PORT).append("), and the swarm elects a leader by itself. If they are lost for good,"
            + " run `docker swarm init --force-new-cluster");
    if (!selfAddress.isBlank()) {
      text.append(" --advertise-addr ").append(selfAddress);
    }
    text.append("` on this manager: it keeps the swarm's services and becomes its only manager;"
        + " then join or promote new managers.");
    return text.toString();
  }
}
