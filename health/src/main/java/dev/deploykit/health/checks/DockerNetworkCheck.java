package dev.deploykit.health.checks;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Network;
import dev.deploykit.health.CheckContext;
import dev.deploykit.health.HealthCheck;
import dev.deploykit.health.HealthResult;
import dev.deploykit.health.internal.DockerFailures;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks that a Docker network exists and that the expected containers are attached to it.
 *
 * <pre>{@code
 * DockerNetworkCheck net = DockerNetworkCheck.of(docker, "shop", List.of("shop-web", "shop-db"));
 * }</pre>
 *
 * <p>DOWN when the network is missing, an expected container (by name or id) is not attached, or
 * the Docker engine cannot be reached. Takes the {@link DockerClient} from the caller and never
 * closes it. Immutable and thread-safe if the client is.
 */
public final class DockerNetworkCheck implements HealthCheck {
  private final DockerClient docker;
  private final String network;
  private final List<String> expected;

  private DockerNetworkCheck(DockerClient docker, String network, List<String> expected) {
    this.docker = Objects.requireNonNull(docker, "docker");
    this.network = Objects.requireNonNull(network, "network");
    this.expected = List.copyOf(expected);
  }

  /** A check that {@code network} exists with {@code expectedContainers} attached. */
  public static DockerNetworkCheck of(DockerClient docker, String network,
      List<String> expectedContainers) {
    return new DockerNetworkCheck(docker, network, expectedContainers);
  }

  @Override
  public HealthResult check(CheckContext context) {
    Network n;
    try {
      n = docker.inspectNetworkCmd().withNetworkId(network).exec();
    } catch (NotFoundException e) {
      return HealthResult.down("network " + network + " does not exist");
    } catch (RuntimeException e) {
      return HealthResult.down(DockerFailures.describe(e));
    }
    Set<String> attached = new HashSet<>();
    Map<String, Network.ContainerNetworkConfig> containers = n.getContainers();
    if (containers != null) {
      containers.forEach((id, cfg) -> {
        attached.add(id);
        if (id.length() >= 12) {
          attached.add(id.substring(0, 12));
        }
        if (cfg.getName() != null) {
          attached.add(cfg.getName());
        }
      });
    }
    List<String> missing = new ArrayList<>();
    for (String e : expected) {
      if (!attached.contains(e)) {
        missing.add(e);
      }
    }
    int count = containers == null ? 0 : containers.size();
    HealthResult r = missing.isEmpty()
        ? HealthResult.up("network " + network + " has " + count + " container(s) attached")
        : HealthResult.down("not attached to network " + network + ": "
            + String.join(", ", missing));
    return r.withData("attached", count);
  }
}
