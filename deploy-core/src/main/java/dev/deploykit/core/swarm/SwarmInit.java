package dev.deploykit.core.swarm;

import java.util.Objects;

/**
 * What {@link SwarmCluster#init} found or did.
 *
 * @param swarmId the swarm's id
 * @param nodeId the manager's node id
 * @param managerAddress the address workers join ({@code ip:2377})
 * @param created true when this call made the swarm, false when the host was already its manager
 */
public record SwarmInit(String swarmId, String nodeId, String managerAddress, boolean created) {
  /** Validates that every field is present. */
  public SwarmInit {
    Objects.requireNonNull(swarmId, "swarmId");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(managerAddress, "managerAddress");
  }
}
