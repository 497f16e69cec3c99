package dev.deploykit.core.swarm;

import java.util.Objects;

/**
 * What {@link SwarmCluster#join} found or did.
 *
 * @param swarmId the swarm's id
 * @param nodeId the worker's node id
 * @param joined true when this call joined the worker, false when it was already a node of the
 *     swarm
 */
public record SwarmJoin(String swarmId, String nodeId, boolean joined) {
  /** Validates that every field is present. */
  public SwarmJoin {
    Objects.requireNonNull(swarmId, "swarmId");
    Objects.requireNonNull(nodeId, "nodeId");
  }
}
