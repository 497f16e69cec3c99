package dev.deploykit.core.internal.protocol;

import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.Release;
import dev.deploykit.core.Service;
import dev.deploykit.core.StackNames;
import dev.deploykit.core.engine.ContainerSpec;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.engine.PortMapping;
import dev.deploykit.core.engine.VolumeMount;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The containers a release creates: their specs, labels and environment, and starting them. */
final class ReleaseContainers {
  private final RunContext run;

  ReleaseContainers(RunContext run) {
    this.run = run;
  }

  /** The service's environment and the two variables deploykit adds on every engine. */
  static Map<String, String> environment(Service service, String release) {
    Map<String, String> env = new LinkedHashMap<>(service.environment());
    env.put("DEPLOYKIT_RELEASE", release);
    env.put("DEPLOYKIT_SERVICE", service.name());
    return env;
  }

  /**
   * Creates and starts one replica of a web or worker service for the release, with no host
   * port: web traffic arrives through the proxy, and two releases run side by side.
   */
  ContainerState start(Service s, Release release, String imageId, int replica) {
    String name = StackNames.releaseContainer(run.stack.name(), s.name(), release.id(), replica);
    Map<String, String> labels = new LinkedHashMap<>(s.labels());
    labels.putAll(StackNames.labels(run.stack.name(), StackNames.KIND_APP));
    labels.put(StackNames.LABEL_SERVICE, s.name());
    labels.put(StackNames.LABEL_RELEASE, release.id());
    labels.put(StackNames.LABEL_ROLE, s.role().name().toLowerCase(Locale.ROOT));
    Map<String, String> env = environment(s, release.id());
    List<PortMapping> exposed = s.ports().stream()
        .map(p -> new PortMapping(null, null, p.target(), p.protocol())).toList();
    String id = run.host.create(spec(s, name, imageId).labels(labels).environment(env).ports(exposed).build());
    run.host.start(id);
    ContainerState c = run.host.inspect(id, run.network).orElseThrow(
        () -> new DeployException("Container " + name + " vanished right after it started"));
    run.emit(new DeployEvent.ContainerStarted(run.at(), s.name(), name));
    return c;
  }

  /** The spec every container of the service shares: image, command, network, volumes, stop. */
  ContainerSpec.Builder spec(Service s, String name, String imageId) {
    List<VolumeMount> volumes = s.volumes().stream()
        .map(v -> v.type().equals("volume")
            ? new VolumeMount("volume", StackNames.volume(run.stack.name(), v.source()), v.target(), v.readOnly())
            : v)
        .toList();
    return ContainerSpec.builder(name, imageId)
        .environment(s.environment())
        .command(s.command().orElse(null))
        .entrypoint(s.entrypoint().orElse(null))
        .network(run.network, List.of(s.name()))
        .volumes(volumes)
        .stopSignal(s.stopSignal().orElse(null))
        .stopGracePeriod(s.stopGracePeriod())
        .restart(s.restart())
        .resources(s.resources())
        .healthcheck(s.healthcheck().orElse(null));
  }
}
