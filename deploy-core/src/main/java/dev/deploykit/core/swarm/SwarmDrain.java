package dev.deploykit.core.swarm;

import java.util.Map;
import java.util.Objects;

/**
 * What {@link SwarmCluster#drain} did.
 *
 * <p>Thread safety: immutable.
 *
 * @param node the node as it is after the drain
 * @param moved each of deploykit's Swarm services whose tasks left the node, with how many
 * @param startedFirst whether every replacement ran healthy on the other nodes before the node's
 *     own tasks stopped (false when they could not within the timeout: the node was drained
 *     anyway, as Swarm drains)
 * @param changed false when the node was drained already and nothing was done
 */
public record SwarmDrain(SwarmNode node, Map<String, Integer> moved, boolean startedFirst, boolean changed) {
  /** Validates and copies. */
  public SwarmDrain {
    Objects.requireNonNull(node, "node");
    moved = Map.copyOf(moved);
  }
}
