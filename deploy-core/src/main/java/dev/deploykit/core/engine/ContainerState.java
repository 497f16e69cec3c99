package dev.deploykit.core.engine;

import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A container as the engine reports it ({@link DockerHost#inspect}, {@link DockerHost#list}): a
 * snapshot, not updated when the container changes.
 *
 * <p>Thread safety: immutable.
 *
 * @param id the full container id
 * @param name the name, without Docker's leading slash
 * @param image the image id it runs (sha256:...)
 * @param labels its labels
 * @param running whether it runs now
 * @param status Docker's state word: created, running, exited, dead, ...
 * @param health Docker's health status (starting, healthy, unhealthy), or null without a healthcheck
 * @param exitCode the exit code of a stopped container
 * @param ipAddress its address on the stack network, or null when it has none (stopped)
 * @param publishedPorts container port to host port, for the ports it publishes
 * @param restarts how often Docker restarted it (its restart policy at work)
 */
public record ContainerState(String id, String name, String image, Map<String, String> labels,
    boolean running, String status, @Nullable String health, int exitCode, @Nullable String ipAddress,
    Map<Integer, Integer> publishedPorts, int restarts) {

  /** Copies the maps. */
  public ContainerState {
    labels = Map.copyOf(labels);
    publishedPorts = Map.copyOf(publishedPorts);
  }

  /**
   * The value of one of its labels, if it carries it.
   *
   * @param key the label's name, for example {@link dev.deploykit.core.StackNames#LABEL_SERVICE}
   */
  public Optional<String> label(String key) {
    return Optional.ofNullable(labels.get(key));
  }

  /**
   * Whether the container belongs to the given release ({@link dev.deploykit.core.StackNames#LABEL_RELEASE}).
   *
   * @param release the release's id
   */
  public boolean isOfRelease(String release) {
    return release.equals(labels.get(dev.deploykit.core.StackNames.LABEL_RELEASE));
  }
}
