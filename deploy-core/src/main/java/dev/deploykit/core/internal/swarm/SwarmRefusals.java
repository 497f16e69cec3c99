package dev.deploykit.core.internal.swarm;

import dev.deploykit.core.Dependency;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.Role;
import dev.deploykit.core.Service;
import dev.deploykit.core.Stack;
import dev.deploykit.core.internal.haproxy.HaproxyConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * What a stack on {@code x-deploykit.engine: swarm} may not hold, checked before anything on the
 * cluster changes, every problem named at once with its service and key. ({@code build:} and
 * {@code network_mode} are refused for every engine when the file is read.)
 *
 * <ul>
 *   <li>a web service without a healthcheck: Swarm reports a task running as soon as it starts
 *       when its image has none, so the gate would prove nothing;
 *   <li>{@code depends_on} with {@code condition: service_healthy} or {@code
 *       service_completed_successfully}: Swarm ignores conditions; deploykit starts accessories
 *       first and gates them itself, so say the order that way;
 *   <li>published ports on a web or worker service: on a cluster only deploykit's proxy publishes
 *       (in host mode on the manager); a port published by a replicated service needs Swarm's
 *       routing mesh, which drops requests on updates and cannot run without IPVS;
 *   <li>more replicas than a slot group of the proxy holds.
 * </ul>
 *
 * <p>Thread safety: stateless.
 */
public final class SwarmRefusals {
  private SwarmRefusals() {}

  /** The problems, each one line naming the service and the key; empty when Swarm can run it. */
  public static List<String> problems(Stack stack) {
    List<String> problems = new ArrayList<>();
    for (Service s : stack.services()) {
      String where = "service " + s.name() + ": ";
      if (s.role() == Role.WEB && s.healthcheck().map(h -> h.disabled()).orElse(true)) {
        problems.add(where + "a web service on a Swarm cluster needs a healthcheck (Swarm counts a task"
            + " running, and deploykit's gate passes, only once it is healthy); add healthcheck: with a"
            + " test on " + s.deploy().healthPath());
      }
      for (Dependency d : s.dependsOn()) {
        if (d.condition() != Dependency.Condition.SERVICE_STARTED) {
          problems.add(where + "depends_on." + d.service() + ".condition: "
              + d.condition().name().toLowerCase(java.util.Locale.ROOT) + " is not run by Swarm; deploykit starts"
              + " accessories first and gates them on their healthcheck itself, so drop the condition"
              + " (examples/swarm/compose.yaml)");
        }
      }
      if (s.role() != Role.ACCESSORY && s.ports().stream().anyMatch(p -> p.published() != null)) {
        problems.add(where + "ports: publishes a host port; on a Swarm cluster only deploykit's proxy"
            + " publishes (x-deploykit.proxy_port), so list the container port alone (\"8080\")");
      }
      if (s.role() == Role.WEB && s.replicas() > HaproxyConfig.MAX_SLOTS) {
        problems.add(where + "deploy.replicas: " + s.replicas() + " is more than the proxy's "
            + HaproxyConfig.MAX_SLOTS + " servers per release");
      }
    }
    return problems;
  }

  /**
   * Refuses the stack when Swarm cannot run it.
   *
   * @throws DeployException naming every problem
   */
  public static void check(Stack stack) {
    List<String> problems = problems(stack);
    if (!problems.isEmpty()) {
      throw new DeployException(DeployException.Reason.INVALID_STACK, "Stack " + stack.name() + " cannot run on a Swarm cluster (x-deploykit.engine:"
          + " swarm):\n  " + String.join("\n  ", problems));
    }
  }
}
