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
 *
 * <p>One registry per port, {@code deploykit-registry-PORT}: a release's images are pinned as
 * {@code 127.0.0.1:PORT/name@sha256:...}, so a rollback needs the registry on that port, and two
 * deploys from one machine with different ports (two stacks, two hosts) never take each other's
 * registry away. A registry labelled as deploykit's that already publishes the port (such as one
 * named {@code deploykit-registry} by an earlier version) is used as it is.
 */
final class LocalRegistry {
  /** The label that marks the registry containers and their volumes. */
  static final String LABEL = "dev.deploykit.registry";
  private static final String NAME = "deploykit-registry-";
  private static final int REGISTRY_PORT = 5000;

  private LocalRegistry() {}

  /** Its address as image names start with it: {@code 127.0.0.1:PORT}. */
  static String server(int port) {
    return "127.0.0.1:" + port;
  }

  /** The container (and volume) name of the registry on {@code port}. */
  static String name(int port) {
    return NAME + port;
  }

  /**
   * Makes sure a registry runs on {@code engine}, published on {@code 127.0.0.1:port}.
   *
   * @return true when it was created or started now, here or by a run at the same moment (it may
   *     take a moment to answer)
   */
  static boolean ensure(DockerHost engine, String image, int port, java.time.Duration pullTimeout) {
    Map<String, String> labels = Map.of(LABEL, "local");
    Optional<ContainerState> existing = onPort(engine, labels, port);
    if (existing.isPresent()) {
      if (existing.get().running()) {
        return false;
      }
      // Stopped (the engine restarted, or someone stopped it): its data is where it was.
      engine.start(existing.get().name());
      return true;
    }
    if (engine.imageId(image).isEmpty()) {
      engine.pull(image, pullTimeout);
    }
    String name = name(port);
    engine.ensureVolume(name, labels);
    try {
      engine.create(ContainerSpec.builder(name, image)
          .labels(labels)
          .ports(List.of(new PortMapping("127.0.0.1", port, REGISTRY_PORT, "tcp")))
          .volumes(List.of(new VolumeMount("volume", name, "/var/lib/registry", false)))
          .restart("unless-stopped")
          .build());
    } catch (DeployException e) {
      // Two deploys from this machine at once: the other one made it between our look and our
      // create. Its registry serves both; anything else is the real error.
      if (onPort(engine, labels, port).isEmpty()) {
        throw e;
      }
    }
    engine.start(name);
    return true;
  }

  /**
   * deploykit's registry for {@code port}: the one named for it (a stopped container publishes
   * nothing), or one publishing it.
   */
  private static Optional<ContainerState> onPort(DockerHost engine, Map<String, String> labels, int port) {
    return engine.list(labels, "bridge").stream()
        .filter(c -> c.name().equals(name(port))
            || Integer.valueOf(port).equals(c.publishedPorts().get(REGISTRY_PORT)))
        .findFirst();
  }
}
