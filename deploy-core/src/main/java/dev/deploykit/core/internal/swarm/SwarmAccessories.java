package dev.deploykit.core.internal.swarm;

import dev.deploykit.core.Role;
import dev.deploykit.core.Service;
import dev.deploykit.core.Stack;
import dev.deploykit.core.StackNames;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.VolumeMount;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A stack's accessories (PostgreSQL, Ollama, ...) on a swarm, as on one host: each is created
 * once, as one Swarm service with one replica pinned to the manager beside its named volumes
 * (made on the manager, labelled as the stack's), and kept across releases: a deploy never updates
 * one that exists (a kept one at 0 replicas is scaled back to 1). Each is gated on its task running
 * healthy (Swarm counts a task running once its healthcheck passed) within its {@code
 * deploy_timeout}, in start order.
 */
public final class SwarmAccessories {
  private final DockerHost manager;
  private final SwarmServices services;

  /**
   * @param manager the swarm manager's engine (the accessories' volumes are made there)
   * @param services the manager's Swarm services
   */
  public SwarmAccessories(DockerHost manager, SwarmServices services) {
    this.manager = Objects.requireNonNull(manager, "manager");
    this.services = Objects.requireNonNull(services, "services");
  }

  /**
   * One accessory brought up.
   *
   * @param service the Compose service
   * @param swarmService its Swarm service ({@code <stack>-<service>})
   * @param created whether this call created it (false: it was there and is kept)
   */
  public record Ready(String service, String swarmService, boolean created) {}

  /**
   * Brings every accessory of the stack up, in start order; the first that does not come up ends
   * the step.
   *
   * @throws dev.deploykit.core.DeployException naming the accessory's Swarm service, its task's
   *     node and Swarm's error, when one does not run healthy within its deploy timeout
   */
  public List<Ready> ensure(Stack stack) {
    List<Ready> ready = new ArrayList<>();
    for (Service s : stack.inStartOrder(Role.ACCESSORY)) {
      ready.add(ensure(stack.name(), s));
    }
    return ready;
  }

  private Ready ensure(String stack, Service s) {
    for (VolumeMount v : s.volumes()) {
      if (v.type().equals("volume")) {
        manager.ensureVolume(StackNames.volume(stack, v.source()), StackNames.labels(stack, StackNames.KIND_VOLUME));
      }
    }
    String name = SwarmNames.accessoryService(stack, s.name());
    var existing = services.find(name);
    if (existing.isEmpty()) {
      services.create(SwarmServiceSpecs.accessory(stack, s, s.image(), s.environment(), null));
    } else if (SwarmServiceSpecs.replicas(existing.get().getSpec()) == 0) {
      services.scale(name, 1);
    }
    services.awaitRunning(name, 1, s.deploy().deployTimeout());
    return new Ready(s.name(), name, existing.isEmpty());
  }
}
