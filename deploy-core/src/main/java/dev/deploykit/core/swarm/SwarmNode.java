package dev.deploykit.core.swarm;

import java.util.Objects;

/**
 * One node of a swarm as its manager reports it.
 *
 * @param id the node's id
 * @param hostname the node's host name
 * @param role manager or worker
 * @param availability whether the scheduler places tasks on it
 * @param state whether the manager hears from it
 * @param reachability for a manager node, whether it takes part in the raft ({@link
 *     Reachability#NONE} for a worker)
 * @param engineVersion the node's Docker engine version ({@code ""} when not reported)
 * @param address the node's address as the manager sees it ({@code ""} when not reported)
 */
public record SwarmNode(String id, String hostname, Role role, Availability availability, State state,
    Reachability reachability, String engineVersion, String address) {

  /** A node's role. */
  public enum Role {
    /** Takes part in the raft and can run manager calls. */
    MANAGER,
    /** Runs tasks only. */
    WORKER
  }

  /** Whether the scheduler places tasks on a node. */
  public enum Availability {
    /** New tasks may run there. */
    ACTIVE,
    /** Running tasks stay, no new ones. */
    PAUSE,
    /** Tasks are moved off the node. */
    DRAIN
  }

  /** Whether the manager hears from a node. */
  public enum State {
    /** Heard from and able to run tasks. */
    READY,
    /** Not heard from: stopped, unreachable, or left. */
    DOWN,
    /** Lost its connection to the managers. */
    DISCONNECTED,
    /** Not known yet. */
    UNKNOWN
  }

  /** A manager node's part in the raft. */
  public enum Reachability {
    /** The raft's leader. */
    LEADER,
    /** A manager the leader reaches. */
    REACHABLE,
    /** A manager the leader cannot reach. */
    UNREACHABLE,
    /** A manager whose reachability is not known. */
    UNKNOWN,
    /** Not a manager. */
    NONE
  }

  /** Validates that every field is present. */
  public SwarmNode {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(availability, "availability");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(reachability, "reachability");
    Objects.requireNonNull(engineVersion, "engineVersion");
    Objects.requireNonNull(address, "address");
  }

  /** Whether the node is a manager. */
  public boolean isManager() {
    return role == Role.MANAGER;
  }
}
