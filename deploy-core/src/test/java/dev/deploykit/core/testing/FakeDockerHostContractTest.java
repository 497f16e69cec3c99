package dev.deploykit.core.testing;

import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.health.wait.FakeTimeSource;
import org.junit.jupiter.api.AfterEach;

/** The in-memory double meets the engine contract every transport meets. */
class FakeDockerHostContractTest extends DockerHostContract {
  private final FakeDockerHost fake = new FakeDockerHost(new FakeTimeSource());

  FakeDockerHostContractTest() {
    fake.image("alpine:3.20");
  }

  @Override
  protected DockerHost host() {
    return fake;
  }

  @Override
  protected String runningImage() {
    return "alpine:3.20";
  }

  @AfterEach
  void closeTheHost() {
    fake.close();
  }
}
