package dev.deploykit.core.swarm;

import dev.deploykit.core.DeployException;
import java.util.Objects;

/**
 * A swarm operation that cannot be done on the host as it is; {@link #problem()} says which, so
 * callers never match message text. The message names the host and what to do.
 *
 * <pre>{@code
 * try {
 *   cluster.nodes();
 * } catch (SwarmException e) {
 *   if (e.problem() == SwarmException.Problem.QUORUM_LOST) { ... }
 * }
 * }</pre>
 *
 * <p>Thread safety: immutable once thrown.
 */
public final class SwarmException extends DeployException {
  private static final long serialVersionUID = 1L;

  /** What is wrong with the swarm or the host. */
  public enum Problem {
    /** The host's engine is in no swarm. */
    NOT_IN_SWARM,
    /** The host is a worker (or otherwise has no control of the swarm): manager calls fail. */
    NOT_A_MANAGER,
    /** The host is already a node of a different swarm. */
    IN_ANOTHER_SWARM,
    /** The manager refused the join, or the join did not complete. */
    JOIN_REFUSED,
    /** The manager's raft has no leader: too few managers are reachable. */
    QUORUM_LOST,
    /** The engine cannot choose which address to advertise; one must be given. */
    NO_ADVERTISE_ADDRESS,
    /** The node named is not in the swarm. */
    UNKNOWN_NODE,
    /** The engine is in a swarm state deploykit cannot use (locked, error, pending). */
    NODE_STATE
  }

  private final Problem problem;

  /** A swarm failure of the given kind. */
  public SwarmException(Problem problem, String message) {
    super(message);
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  /** A swarm failure of the given kind with its cause. */
  public SwarmException(Problem problem, String message, Throwable cause) {
    super(message, cause);
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  /** What is wrong. */
  public Problem problem() {
    return problem;
  }
}
