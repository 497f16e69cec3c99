package dev.deploykit.it.support;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;

/** What the suite's test hosts do with their containers when they are done. */
public final class Containers {
  private Containers() {}

  /** Removes a container and its anonymous volumes, running or not; one already gone is fine. */
  public static void remove(DockerClient docker, String id) {
    try {
      docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
    } catch (DockerException e) {
      // Already gone.
    }
  }
}
