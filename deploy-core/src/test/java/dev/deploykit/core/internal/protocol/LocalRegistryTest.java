package dev.deploykit.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.engine.ContainerSpec;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.PortMapping;
import dev.deploykit.core.testing.FakeDockerHost;
import dev.deploykit.health.wait.FakeTimeSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The operator-side registries of the local-registry mode, shared by deploys from one machine. */
class LocalRegistryTest {
  private static final String IMAGE = "registry:2";
  private static final Map<String, String> LABELS = Map.of(LocalRegistry.LABEL, "local");
  private static final Duration PULL = Duration.ofSeconds(5);

  private final FakeDockerHost engine = new FakeDockerHost(new FakeTimeSource());

  @Test
  void aRegistryMadeByAnotherDeployBetweenTheLookAndTheCreateIsUsed() {
    engine.image(IMAGE);
    assertThat(LocalRegistry.ensure(engine, IMAGE, 5555, PULL)).isTrue();

    // The second deploy looked before the first one's create landed: it sees no registry.
    boolean started = LocalRegistry.ensure(blindToTheFirstList(engine), IMAGE, 5555, PULL);

    assertThat(started).as("it may still be starting").isTrue();
    assertThat(engine.list(LABELS, "bridge")).singleElement().satisfies(c -> {
      assertThat(c.name()).isEqualTo("deploykit-registry-5555");
      assertThat(c.running()).isTrue();
      assertThat(c.publishedPorts()).containsEntry(5000, 5555);
    });
  }

  @Test
  void aRunningRegistryOnThePortIsKeptAndAnotherPortGetsARegistryOfItsOwn() {
    engine.image(IMAGE);
    LocalRegistry.ensure(engine, IMAGE, 5555, PULL);
    assertThat(LocalRegistry.ensure(engine, IMAGE, 5555, PULL)).isFalse();

    // Another stack's deploy on another port, while the first one's pinned digests name 5555.
    assertThat(LocalRegistry.ensure(engine, IMAGE, 5556, PULL)).isTrue();
    assertThat(engine.list(LABELS, "bridge")).hasSize(2).allSatisfy(c -> assertThat(c.running()).isTrue())
        .extracting(c -> c.publishedPorts().get(5000)).containsExactlyInAnyOrder(5555, 5556);
  }

  @Test
  void aStoppedRegistryIsStartedAgainWithItsData() {
    engine.image(IMAGE);
    LocalRegistry.ensure(engine, IMAGE, 5555, PULL);
    engine.stop(LocalRegistry.name(5555), Duration.ofSeconds(1));

    assertThat(LocalRegistry.ensure(engine, IMAGE, 5555, PULL)).isTrue();
    assertThat(engine.list(LABELS, "bridge")).singleElement()
        .satisfies(c -> assertThat(c.running()).isTrue());
  }

  @Test
  void aRegistryOfAnEarlierVersionOnThePortIsUsedAsItIs() {
    engine.image(IMAGE);
    engine.create(ContainerSpec.builder("deploykit-registry", IMAGE).labels(LABELS)
        .ports(List.of(new PortMapping("127.0.0.1", 5555, 5000, "tcp"))).build());
    engine.start("deploykit-registry");

    assertThat(LocalRegistry.ensure(engine, IMAGE, 5555, PULL)).isFalse();
    assertThat(engine.list(LABELS, "bridge")).extracting(ContainerState::name).containsExactly("deploykit-registry");
  }

  @Test
  void aContainerOfThatNameThatIsNotTheRegistryIsReportedNotTaken() {
    engine.image(IMAGE);
    engine.create(ContainerSpec.builder(LocalRegistry.name(5555), IMAGE).build());
    assertThatThrownBy(() -> LocalRegistry.ensure(engine, IMAGE, 5555, PULL))
        .isInstanceOf(DeployException.class)
        .hasMessageContaining("A container named " + LocalRegistry.name(5555) + " already exists");
    assertThat(engine.list(LABELS, "bridge")).isEmpty();
  }

  /** The engine, except that its first {@code list} answers as if nothing ran yet. */
  private static DockerHost blindToTheFirstList(DockerHost engine) {
    AtomicBoolean first = new AtomicBoolean(true);
    return (DockerHost) Proxy.newProxyInstance(DockerHost.class.getClassLoader(), new Class<?>[] {DockerHost.class},
        (proxy, method, args) -> {
          if (method.getName().equals("list") && first.getAndSet(false)) {
            return List.of();
          }
          try {
            return method.invoke(engine, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
