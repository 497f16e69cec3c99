package dev.deploykit.core.internal.swarm;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.ResourceRequirements;
import com.github.dockerjava.api.model.ResourceSpecs;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServicePlacement;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.TaskSpec;
import dev.deploykit.core.Role;
import dev.deploykit.core.Service;
import dev.deploykit.core.StackNames;
import dev.deploykit.core.engine.ContainerHealthcheck;
import dev.deploykit.core.engine.Resources;
import dev.deploykit.core.engine.VolumeMount;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The Swarm service specification of one of a stack's services: replicated with the service's
 * {@code deploy.replicas}, on the stack's overlay network with the Compose name as alias (so
 * {@code db:5432} resolves as on one host) and {@code endpoint_mode: dnsrr} (no VIP and no routing
 * mesh: the proxy reaches the tasks by {@code tasks.<service>}), the healthcheck, stop grace
 * period and stop signal of the Compose file, and the labels that name stack, service, release
 * and role, the Compose {@code deploy.resources} and {@code deploy.placement}. Accessories are
 * pinned to one node (their volumes live there); web and worker tasks go wherever the scheduler
 * spreads them within their constraints (Swarm places a service's tasks on the nodes that run
 * fewest of them). The spec is a value: it is stored in the release's snapshot, and a rollback
 * submits the stored one again.
 *
 * <p>Thread safety: stateless.
 */
public final class SwarmServiceSpecs {
  /** Where an accessory runs unless its {@code x-deploykit.node} names a node. */
  public static final String MANAGER = "node.role==manager";

  // docker-java's models name their API fields with @JsonProperty; their other getters (such as
  // ServiceModeConfig.getMode()) are derived and would not read back.
  private static final ObjectMapper JSON = new ObjectMapper()
      .setSerializationInclusion(JsonInclude.Include.NON_NULL)
      .setVisibility(PropertyAccessor.GETTER, JsonAutoDetect.Visibility.NONE)
      .setVisibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE);

  private SwarmServiceSpecs() {}

  /** The spec as a release's snapshot keeps it: the engine API's own JSON. */
  public static String stored(ServiceSpec spec) {
    try {
      return JSON.writeValueAsString(Objects.requireNonNull(spec, "spec"));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A Swarm service spec did not write as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * A spec kept by {@link #stored}.
   *
   * @throws IllegalArgumentException when the text is no service spec
   */
  public static ServiceSpec restored(String json) {
    try {
      return JSON.readValue(Objects.requireNonNull(json, "json"), ServiceSpec.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Not a stored Swarm service spec: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The spec of one release of a web or worker service.
   *
   * @param image the image as the nodes know it (a digest-pinned reference or a local tag)
   * @param environment the resolved environment of the release
   */
  public static ServiceSpec release(String stack, Service service, String release, String image,
      Map<String, String> environment) {
    if (service.role() == Role.ACCESSORY) {
      throw new IllegalArgumentException(service.name() + " is an accessory: use accessory()");
    }
    String name = SwarmNames.releaseService(stack, service.name(), release);
    Map<String, String> labels = labels(stack, service);
    labels.put(StackNames.LABEL_RELEASE, release);
    // The Compose constraints only: Swarm schedules onto active nodes only (a drained node gets
    // none) and spreads a service's tasks over the nodes that run fewest of them.
    ServicePlacement placement = new ServicePlacement().withConstraints(service.placement().constraints());
    if (service.placement().maxReplicasPerNode() > 0) {
      placement.withMaxReplicas(service.placement().maxReplicasPerNode());
    }
    return spec(stack, service, name, image, environment, labels, placement);
  }

  /**
   * The spec of an accessory: one replica, pinned.
   *
   * @param node the hostname of the node it is pinned to, or null for the manager
   */
  public static ServiceSpec accessory(String stack, Service service, String image, Map<String, String> environment,
      @Nullable String node) {
    if (service.role() != Role.ACCESSORY) {
      throw new IllegalArgumentException(service.name() + " is not an accessory: use release()");
    }
    List<String> constraints = new ArrayList<>();
    constraints.add(node == null ? MANAGER : "node.hostname==" + node);
    constraints.addAll(service.placement().constraints());
    ServicePlacement placement = new ServicePlacement().withConstraints(constraints);
    return spec(stack, service, SwarmNames.accessoryService(stack, service.name()), image, environment,
        labels(stack, service), placement).withMode(replicated(1));
  }

  private static ServiceSpec spec(String stack, Service s, String name, String image, Map<String, String> environment,
      Map<String, String> labels, ServicePlacement placement) {
    ContainerSpec container = new ContainerSpec()
        .withImage(image)
        .withEnv(environment.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
        .withLabels(labels)
        .withMounts(mounts(stack, s.volumes()))
        .withStopGracePeriod(s.stopGracePeriod().toNanos());
    s.entrypoint().ifPresent(container::withCommand);
    s.command().ifPresent(container::withArgs);
    s.stopSignal().ifPresent(container::withStopSignal);
    s.healthcheck().ifPresent(h -> container.withHealthCheck(healthCheck(h)));
    TaskSpec task = new TaskSpec()
        .withContainerSpec(container)
        .withPlacement(placement)
        .withResources(resources(s.resources()))
        // A task that exits is replaced; deploykit's gate and the watch window say whether a
        // release is good, not the restart policy.
        .withRestartPolicy(new ServiceRestartPolicy().withCondition(ServiceRestartCondition.ANY)
            .withDelay(Duration.ofSeconds(1).toNanos()))
        .withNetworks(List.of(new NetworkAttachmentConfig().withTarget(SwarmNames.overlay(stack))
            .withAliases(List.of(s.name()))));
    return new ServiceSpec()
        .withName(name)
        .withLabels(labels)
        .withTaskTemplate(task)
        .withMode(replicated(s.replicas()))
        .withEndpointSpec(new EndpointSpec().withMode(EndpointResolutionMode.DNSRR));
  }

  /** A copy of {@code spec} with another number of replicas (0 keeps a release for rollback). */
  public static ServiceSpec scaled(ServiceSpec spec, int replicas) {
    Objects.requireNonNull(spec, "spec");
    return spec.withMode(replicated(replicas));
  }

  /** The number of replicas a replicated spec asks for. */
  public static long replicas(ServiceSpec spec) {
    ServiceModeConfig mode = spec.getMode();
    if (mode == null || mode.getReplicated() == null) {
      throw new IllegalArgumentException("not a replicated service: " + spec.getName());
    }
    return mode.getReplicated().getReplicas();
  }

  private static ServiceModeConfig replicated(int replicas) {
    if (replicas < 0) {
      throw new IllegalArgumentException("replicas must be 0 or more, was " + replicas);
    }
    return new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(replicas));
  }

  private static Map<String, String> labels(String stack, Service s) {
    Map<String, String> labels = new LinkedHashMap<>(s.labels());
    labels.putAll(StackNames.labels(stack, SwarmNames.KIND_SWARM_SERVICE));
    labels.put(StackNames.LABEL_SERVICE, s.name());
    labels.put(StackNames.LABEL_ROLE, s.role().name().toLowerCase(Locale.ROOT));
    return labels;
  }

  private static List<Mount> mounts(String stack, List<VolumeMount> volumes) {
    List<Mount> mounts = new ArrayList<>();
    for (VolumeMount v : volumes) {
      boolean named = v.type().equals("volume");
      mounts.add(new Mount()
          .withType(named ? MountType.VOLUME : MountType.BIND)
          .withSource(named ? StackNames.volume(stack, v.source()) : v.source())
          .withTarget(v.target())
          .withReadOnly(v.readOnly()));
    }
    return mounts;
  }

  private static ResourceRequirements resources(Resources r) {
    ResourceSpecs limits = new ResourceSpecs();
    ResourceSpecs reservations = new ResourceSpecs();
    if (r.cpuLimit() > 0) {
      limits.withNanoCPUs(r.cpuLimit());
    }
    if (r.memoryLimit() > 0) {
      limits.withMemoryBytes(r.memoryLimit());
    }
    if (r.cpuReservation() > 0) {
      reservations.withNanoCPUs(r.cpuReservation());
    }
    if (r.memoryReservation() > 0) {
      reservations.withMemoryBytes(r.memoryReservation());
    }
    return new ResourceRequirements().withLimits(limits).withReservations(reservations);
  }

  private static HealthCheck healthCheck(ContainerHealthcheck h) {
    return new HealthCheck()
        .withTest(h.test())
        .withInterval(h.interval().toNanos())
        .withTimeout(h.timeout().toNanos())
        .withRetries(h.retries())
        .withStartPeriod(h.startPeriod().toNanos());
  }
}
