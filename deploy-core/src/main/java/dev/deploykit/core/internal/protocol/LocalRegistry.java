package dev.deploykit.core.internal.protocol;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.engine.ContainerSpec;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.PortMapping;
import dev.deploykit.core.engine.VolumeMount;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local-registry mode's registry (Kamal's): a registry container on the operator's engine,
 * published on its loopback only, kept between runs (its data on a named volume, so a later
 * release pushes only the layers it changed and a rollback finds its digests).
 */
final class LocalRegistry {
  /** The label that marks the registry container and its volume. */
  static final String LABEL = "dev.deploykit.registry";
  static final String NAME = "deploykit-registry";
  private static final int REGISTRY_PORT = 5000;

  private LocalRegistry() {}

  /** Its address as image names start with it: {@code 127.0.0.1:PORT}. */
  static String server(int port) {
    return "127.0.0.1:" + port;
  }

  /**
   * Makes sure the registry runs on {@code engine}, published on {@code 127.0.0.1:port}.
   *
   * @return true when it was created or started now, here or by a run at the same moment (it may
   *     take a moment to answer)
   */
  static boolean ensure(DockerHost engine, String image, int port, java.time.Duration pullTimeout) {
    Map<String, String> labels = Map.of(LABEL, "local");
    Optional<ContainerState> existing = engine.list(labels, "bridge").stream().findFirst();
    if (existing.isPresent()) {
      Integer published = existing.get().publishedPorts().get(REGISTRY_PORT);
      if (existing.get().running() && published != null && published == port) {
        return false;
      }
      // Stopped, or published on another port: made again; its data stays on the volume.
      engine.remove(existing.get().name());
    }
    if (engine.imageId(image).isEmpty()) {
      engine.pull(image, pullTimeout);
    }
    engine.ensureVolume(NAME, labels);
    try {
      engine.create(ContainerSpec.builder(NAME, image)
          .labels(labels)
          .ports(List.of(new PortMapping("127.0.0.1", port, REGISTRY_PORT, "tcp")))
          .volumes(List.of(new VolumeMount("volume", NAME, "/var/lib/registry", false)))
          .restart("unless-stopped")
          .build());
    } catch (DeployException e) {
      // Two deploys from this machine at once (to two hosts): the other one made it between our
      // look and our create. Its registry serves both; anything else is the real error.
      if (engine.list(labels, "bridge").stream().noneMatch(c -> c.name().equals(NAME))) {
        throw e;
      }
    }
    engine.start(NAME);
    return true;
  }
}
