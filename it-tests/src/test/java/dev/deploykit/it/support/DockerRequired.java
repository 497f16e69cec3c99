package dev.deploykit.it.support;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Fails a test class at once, with one line saying how to start an engine, when no Docker engine
 * answers. The engine is probed once per test run; every later class fails with the same line
 * instead of waiting for its own timeout.
 */
public final class DockerRequired implements BeforeAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(DockerRequired.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    Boolean available = context.getRoot().getStore(NAMESPACE).computeIfAbsent(
        "available", key -> DockerClientFactory.instance().isDockerAvailable(), Boolean.class);
    if (!Boolean.TRUE.equals(available)) {
      throw new IllegalStateException("No Docker engine answers (checked DOCKER_HOST and"
          + " /var/run/docker.sock): start one (`sudo systemctl start docker`, or `sudo dockerd &`"
          + " after `apt-get install docker.io`); .ci/run installs and starts it by itself.");
    }
  }
}
