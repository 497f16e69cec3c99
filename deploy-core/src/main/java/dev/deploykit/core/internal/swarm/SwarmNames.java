package dev.deploykit.core.internal.swarm;

import dev.deploykit.core.StackNames;

/**
 * The names deploykit gives what it creates on a Swarm cluster. The lock, the state volume and
 * the proxy keep their one-host names ({@link StackNames}) on the manager.
 */
public final class SwarmNames {
  /** The label that marks the stack's overlay network and Swarm services as deploykit's. */
  public static final String KIND_SWARM_SERVICE = "swarm-service";

  /** The label of a short-lived relay from the manager's bridge network to a Swarm service's port. */
  public static final String KIND_RELAY = "relay";

  /** The label Swarm puts on a task's container: the service it runs. */
  public static final String TASK_SERVICE_LABEL = "com.docker.swarm.service.name";

  private SwarmNames() {}

  /** The relay to an accessory's port, on the manager: {@code <stack>-<service>-relay}. */
  public static String relay(String stack, String service) {
    return accessoryService(stack, service) + "-relay";
  }

  /** The stack's attachable overlay network: {@code <stack>_swarm}. */
  public static String overlay(String stack) {
    return stack + "_swarm";
  }

  /** One release of a web or worker service: {@code <stack>-<service>-<release>}. */
  public static String releaseService(String stack, String service, String release) {
    return stack + "-" + service + "-" + release;
  }

  /** An accessory's Swarm service: {@code <stack>-<service>}, created once and kept. */
  public static String accessoryService(String stack, String service) {
    return StackNames.accessoryContainer(stack, service);
  }

  /** The name Docker's DNS answers with the addresses of a service's running tasks. */
  public static String tasks(String swarmService) {
    return "tasks." + swarmService;
  }
}
