package dev.deploykit.core.internal.protocol;

import com.github.dockerjava.api.model.ServiceSpec;
import dev.deploykit.core.Release;
import dev.deploykit.core.Service;
import dev.deploykit.core.internal.swarm.SwarmNames;
import dev.deploykit.core.internal.swarm.SwarmServiceSpecs;
import dev.deploykit.core.internal.swarm.SwarmServices;

/**
 * The Swarm service spec each web and worker service of a run releases: a new release's from the
 * stack, named after the release; a rollback's the restored release's own spec as the cluster
 * kept it (at 0 replicas), with the replicas of that release's snapshot, or made anew from the
 * snapshot when it was pruned.
 */
final class SwarmReleaseSpecs {
  private final RunContext run;
  private final SwarmServices services;
  private final Release release;

  SwarmReleaseSpecs(RunContext run, SwarmServices services, Release release) {
    this.run = run;
    this.services = services;
    this.release = release;
  }

  ServiceSpec of(Service service) {
    String restored = release.rollbackOf();
    if (restored == null) {
      return SwarmServiceSpecs.release(run.stack.name(), service, release.id(), service.image(),
          ReleaseContainers.environment(service, release.id()));
    }
    return services.find(SwarmNames.releaseService(run.stack.name(), service.name(), restored))
        .map(kept -> SwarmServiceSpecs.scaled(kept.getSpec(), service.replicas()))
        .orElseGet(() -> SwarmServiceSpecs.release(run.stack.name(), service, restored, service.image(),
            ReleaseContainers.environment(service, restored)));
  }
}
