package dev.deploykit.core.internal.state;

import dev.deploykit.core.StackNames;

import dev.deploykit.core.engine.ContainerSpec;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.Release;
import dev.deploykit.core.ReleaseHistory;
import dev.deploykit.core.Stack;
import dev.deploykit.core.engine.VolumeMount;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The stack's state directory on its host: a named volume holding {@code releases.json} (the
 * release history), {@code snapshots/<release>.json} (each release's full configuration) and
 * {@code audit.log}. It is read and written through a container that mounts the volume and never
 * runs, so it works over any transport to the engine. Writes happen under the stack's lock.
 */
public final class HostState {
  private static final String ROOT = "/deploykit-state";

  private final DockerHost host;
  private final String stack;
  private final String container;

  private HostState(DockerHost host, String stack) {
    this.host = host;
    this.stack = stack;
    this.container = StackNames.stateContainer(stack);
  }

  /**
   * The stack's state, creating its volume and container when missing.
   *
   * @param image any image present on the host (the state container never runs)
   */
  public static HostState open(DockerHost host, String stack, String image) {
    HostState state = new HostState(host, stack);
    if (host.inspect(state.container, StackNames.network(stack)).isEmpty()) {
      host.ensureVolume(StackNames.stateVolume(stack), StackNames.labels(stack, StackNames.KIND_STATE));
      host.create(ContainerSpec.builder(state.container, image)
          .labels(StackNames.labels(stack, StackNames.KIND_STATE))
          .entrypoint(List.of("true"))
          .volumes(List.of(new VolumeMount("volume", StackNames.stateVolume(stack), ROOT, false)))
          .build());
    }
    return state;
  }

  /** The stack's state if it has any on this host, without creating it. */
  public static Optional<HostState> existing(DockerHost host, String stack) {
    HostState state = new HostState(host, stack);
    return host.inspect(state.container, StackNames.network(stack)).map(c -> state);
  }

  /** The release history (empty when none was written yet). */
  public ReleaseHistory history() {
    return new ReleaseHistory(releases());
  }

  /** Writes the release history. */
  public void save(ReleaseHistory history) {
    saveReleases(history.releases());
  }

  /** The releases, oldest first. */
  public List<Release> releases() {
    return host.readFile(container, ROOT + "/releases.json")
        .map(StateJson::releases).orElseGet(ArrayList::new);
  }

  public void saveReleases(List<Release> releases) {
    host.writeFile(container, ROOT + "/releases.json", StateJson.releases(releases), 0600);
  }

  public void saveSnapshot(String release, Stack config) {
    host.writeFile(container, ROOT + "/snapshots/" + release + ".json", StateJson.stack(config), 0600);
  }

  public Optional<Stack> snapshot(String release) {
    return host.readFile(container, ROOT + "/snapshots/" + release + ".json").map(StateJson::stack);
  }

  /** Appends one line to the audit log. */
  public void audit(String line) {
    String before = host.readFile(container, ROOT + "/audit.log")
        .map(b -> new String(b, StandardCharsets.UTF_8)).orElse("");
    host.writeFile(container, ROOT + "/audit.log",
        (before + line.replace('\n', ' ') + "\n").getBytes(StandardCharsets.UTF_8), 0600);
  }

  public List<String> auditLog() {
    return host.readFile(container, ROOT + "/audit.log")
        .map(b -> new String(b, StandardCharsets.UTF_8).lines().toList()).orElse(List.of());
  }

  public String stack() {
    return stack;
  }
}
