package dev.deploykit.core;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a Swarm cluster may run a service's tasks: the Compose {@code deploy.placement} keys. One
 * host has one place, so there it changes nothing.
 *
 * <pre>{@code
 * Placement p = new Placement(List.of("node.labels.zone==eu-1", "node.role!=manager"), 1);
 * }</pre>
 *
 * <p>Thread safety: immutable.
 *
 * @param constraints Swarm constraints, each {@code <attribute>==<value>} or {@code
 *     <attribute>!=<value>}, all of which a node must meet
 * @param maxReplicasPerNode at most this many of the service's tasks on one node, 0 for no cap
 */
public record Placement(List<String> constraints, int maxReplicasPerNode) {
  /** No constraint, no cap: wherever the scheduler spreads them. */
  public static final Placement ANYWHERE = new Placement(List.of(), 0);

  private static final Pattern CONSTRAINT = Pattern.compile("[A-Za-z][\\w.\\-]*\\s*(==|!=)\\s*\\S.*");

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException when a constraint has no {@code ==} or {@code !=} between an
   *     attribute and a value, or the cap is negative
   */
  public Placement {
    constraints = List.copyOf(Objects.requireNonNull(constraints, "constraints"));
    for (String c : constraints) {
      if (!CONSTRAINT.matcher(c.strip()).matches()) {
        throw new IllegalArgumentException("a placement constraint is <attribute>==<value> or <attribute>!=<value>"
            + " (node.role==manager, node.labels.zone==eu-1), found \"" + c + "\"");
      }
    }
    if (maxReplicasPerNode < 0) {
      throw new IllegalArgumentException("maxReplicasPerNode must not be negative, was " + maxReplicasPerNode);
    }
  }
}
