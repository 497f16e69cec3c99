package dev.deploykit.core.internal.protocol;

import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.Role;
import dev.deploykit.core.Service;
import dev.deploykit.core.StackNames;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.engine.VolumeMount;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The stack's named volumes and its accessories (PostgreSQL, Ollama, ...): each accessory is
 * created once, started when it is not running, and kept across releases; it is never replaced
 * as a side effect of a deploy. Started in dependency order, each health-gated.
 */
final class Accessories {
  private final RunContext run;
  private final ReleaseContainers containers;

  Accessories(RunContext run, ReleaseContainers containers) {
    this.run = run;
    this.containers = containers;
  }

  /** Creates the stack's named volumes that are missing. */
  void ensureVolumes() {
    for (Service s : run.stack.services()) {
      for (VolumeMount v : s.volumes()) {
        if (v.type().equals("volume")) {
          run.host.ensureVolume(StackNames.volume(run.stack.name(), v.source()),
              StackNames.labels(run.stack.name(), StackNames.KIND_VOLUME));
        }
      }
    }
  }

  /** What bringing the accessories up found: all ready, or one that failed, with its logs. */
  record Failure(String reason, String container) {}

  /** Brings every accessory up; the first that fails its gate ends the step. */
  Optional<Failure> ensure(Map<String, String> imageIds) throws InterruptedException {
    for (Service s : run.stack.inStartOrder(Role.ACCESSORY)) {
      Optional<Failure> failure = ensure(s, imageIds.get(s.name()));
      if (failure.isPresent()) {
        return failure;
      }
    }
    return Optional.empty();
  }

  private Optional<Failure> ensure(Service s, String imageId) throws InterruptedException {
    String name = StackNames.accessoryContainer(run.stack.name(), s.name());
    Optional<ContainerState> existing = run.host.inspect(name, run.network);
    boolean created = existing.isEmpty();
    if (created) {
      Map<String, String> labels = new LinkedHashMap<>(s.labels());
      labels.putAll(StackNames.labels(run.stack.name(), StackNames.KIND_ACCESSORY));
      labels.put(StackNames.LABEL_SERVICE, s.name());
      labels.put(StackNames.LABEL_ROLE, "accessory");
      run.host.create(containers.spec(s, name, imageId).labels(labels).ports(s.ports()).build());
    }
    boolean kept = existing.isPresent() && existing.get().running();
    if (!kept) {
      run.host.start(name);
    }
    ContainerState c = kept ? existing.get() : run.host.inspect(name, run.network).orElseThrow();
    Gates.Verdict verdict = kept ? run.gates.kept(c, s.deploy().deployTimeout())
        : run.gates.started(c, s.deploy().deployTimeout());
    if (!verdict.passed()) {
      return Optional.of(new Failure("accessory " + s.name() + ": " + verdict.reason(), name));
    }
    run.emit(new DeployEvent.AccessoryReady(run.at(), s.name(), created));
    return Optional.empty();
  }
}
