package dev.deploykit.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.testing.FakeContainer;
import dev.deploykit.core.testing.FakeDockerHost;
import dev.deploykit.health.wait.FakeTimeSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One engine double on fake time and the deployers that run against it, for the decision tests.
 * Closing it checks that the engine closed every forward it opened.
 */
final class Harness implements AutoCloseable {
  static final String OWNER = "alice@laptop";

  final FakeTimeSource time = new FakeTimeSource();
  final FakeDockerHost fake = new FakeDockerHost(time);
  private DatabaseStep databaseStep = DatabaseStep.NONE;

  Harness() {
    fake.image("haproxy:3.0");
  }

  /** Makes the images present. */
  Harness images(String... references) {
    for (String r : references) {
      fake.image(r);
    }
    return this;
  }

  Harness databaseStep(DatabaseStep step) {
    this.databaseStep = step;
    return this;
  }

  Deployer deployer() {
    return deployer(OWNER);
  }

  Deployer deployer(String owner) {
    return builder(owner).build();
  }

  /** A deployer's builder with the harness's engine, time, listener and database step. */
  Deployer.Builder builder(String owner) {
    return Deployer.builder(fake).timeSource(time).clock(fake.clock()).owner(owner)
        .listener(fake.listener()).databaseStep(databaseStep).proxyBindAddress("127.0.0.1");
  }

  DeployResult deploy(Stack stack, String version) throws InterruptedException {
    return deployer().deploy(stack, version);
  }

  DeployResult.Deployed deployed(Stack stack, String version) throws InterruptedException {
    DeployResult result = deploy(stack, version);
    assertThat(result).isInstanceOf(DeployResult.Deployed.class);
    return (DeployResult.Deployed) result;
  }

  ReleaseHistory history() {
    return deployer().history(Stacks.NAME);
  }

  /** The release the history says is live. */
  Release live() {
    return history().live().orElseThrow(() -> new AssertionError("no live release in " + history()));
  }

  /** The running containers of a service (web or worker), as the engine reports them. */
  List<ContainerState> running(String service) {
    return fake.list(Map.of(StackNames.LABEL_STACK, Stacks.NAME, StackNames.LABEL_SERVICE, service),
        Stacks.NETWORK).stream().filter(ContainerState::running).toList();
  }

  /** The containers of a service in one release. */
  List<FakeContainer> containersOf(String service, String release) {
    return fake.containers(Map.of(StackNames.LABEL_STACK, Stacks.NAME, StackNames.LABEL_SERVICE, service,
        StackNames.LABEL_RELEASE, release));
  }

  /** The container the proxy sends the web service's new requests to. */
  Optional<String> served() {
    return fake.proxy(Stacks.NAME).servedContainer("web");
  }

  /** The web container of a release. */
  String webOf(String release) {
    return StackNames.releaseContainer(Stacks.NAME, "web", release, 0);
  }

  @Override
  public void close() {
    try {
      assertThat(fake.openForwards()).as("forwards the engine left open").isEmpty();
    } finally {
      fake.close();
      Thread.interrupted();
    }
  }
}
