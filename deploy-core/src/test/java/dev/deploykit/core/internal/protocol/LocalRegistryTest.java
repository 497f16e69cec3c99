package dev.deploykit.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.engine.ContainerSpec;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.testing.FakeDockerHost;
import dev.deploykit.health.wait.FakeTimeSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The operator-side registry of the local-registry mode, shared by deploys from one machine. */
class LocalRegistryTest {
  private static final String IMAGE = "registry:2";
  private static final Map<String, String> LABELS = Map.of(LocalRegistry.LABEL, "local");

  private final FakeDockerHost engine = new FakeDockerHost(new FakeTimeSource());

  @Test
  void aRegistryMadeByAnotherDeployBetweenTheLookAndTheCreateIsUsed() {
    engine.image(IMAGE);
    assertThat(LocalRegistry.ensure(engine, IMAGE, 5555, Duration.ofSeconds(5))).isTrue();

    // The second deploy looked before the first one's create landed: it sees no registry.
    boolean started = LocalRegistry.ensure(blindToTheFirstList(engine), IMAGE, 5555, Duration.ofSeconds(5));

    assertThat(started).as("it may still be starting").isTrue();
    List<ContainerState> registries = engine.list(LABELS, "bridge");
    assertThat(registries).singleElement().satisfies(c -> {
      assertThat(c.running()).isTrue();
      assertThat(c.publishedPorts()).containsEntry(5000, 5555);
    });
  }

  @Test
  void aRunningRegistryOnThePortIsKeptAndAnotherPortMakesItAgain() {
    engine.image(IMAGE);
    LocalRegistry.ensure(engine, IMAGE, 5555, Duration.ofSeconds(5));
    assertThat(LocalRegistry.ensure(engine, IMAGE, 5555, Duration.ofSeconds(5))).isFalse();

    assertThat(LocalRegistry.ensure(engine, IMAGE, 5556, Duration.ofSeconds(5))).isTrue();
    assertThat(engine.list(LABELS, "bridge")).singleElement()
        .satisfies(c -> assertThat(c.publishedPorts()).containsEntry(5000, 5556));
  }

  @Test
  void aContainerOfThatNameThatIsNotTheRegistryIsReportedNotTaken() {
    engine.image(IMAGE);
    engine.create(ContainerSpec.builder(LocalRegistry.NAME, IMAGE).build());
    assertThatThrownBy(() -> LocalRegistry.ensure(engine, IMAGE, 5555, Duration.ofSeconds(5)))
        .isInstanceOf(DeployException.class)
        .hasMessageContaining("A container named " + LocalRegistry.NAME + " already exists");
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
