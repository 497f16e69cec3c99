package dev.deploykit.core.internal.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.ServiceSpec;
import dev.deploykit.core.ComposeFile;
import dev.deploykit.core.Service;
import dev.deploykit.core.Stack;
import java.nio.file.Path;
import java.time.Duration;
import dev.deploykit.core.Placement;
import dev.deploykit.core.engine.Resources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Swarm service specs deploykit submits for the sample stack's services. */
class SwarmServiceSpecsTest {
  private final Stack stack = ComposeFile.of(Path.of("..", "examples", "swarm", "compose.yaml"))
      .environment(Map.of()).load();

  @Test
  void aWebReleaseIsReplicatedOnTheOverlayByDnsWithItsHealthcheckAndLabels() {
    Service app = stack.service("app").orElseThrow();
    ServiceSpec spec = SwarmServiceSpecs.release(stack.name(), app, "r7", "deploykit.local/sample-app:v2",
        Map.of("APP_COLOUR", "blue"));

    assertThat(spec.getName()).isEqualTo("deploykit-sample-app-r7");
    assertThat(SwarmServiceSpecs.replicas(spec)).isEqualTo(2);
    assertThat(spec.getEndpointSpec().getMode()).isEqualTo(EndpointResolutionMode.DNSRR);
    assertThat(spec.getLabels()).containsEntry("dev.deploykit.stack", "deploykit-sample")
        .containsEntry("dev.deploykit.service", "app").containsEntry("dev.deploykit.release", "r7")
        .containsEntry("dev.deploykit.role", "web").containsEntry("dev.deploykit.kind", "swarm-service");
    assertThat(spec.getTaskTemplate().getNetworks()).singleElement().satisfies(n -> {
      assertThat(n.getTarget()).isEqualTo("deploykit-sample_swarm");
      assertThat(n.getAliases()).containsExactly("app");
    });
    assertThat(spec.getTaskTemplate().getPlacement().getConstraints()).isEmpty();
    ContainerSpec c = spec.getTaskTemplate().getContainerSpec();
    assertThat(c.getImage()).isEqualTo("deploykit.local/sample-app:v2");
    assertThat(c.getEnv()).containsExactly("APP_COLOUR=blue");
    assertThat(c.getStopGracePeriod()).isEqualTo(Duration.ofSeconds(30).toNanos());
    assertThat(c.getHealthCheck().getTest()).startsWith("CMD", "bash", "-c");
    assertThat(c.getHealthCheck().getInterval()).isEqualTo(Duration.ofSeconds(1).toNanos());
    assertThat(c.getHealthCheck().getStartPeriod()).isEqualTo(Duration.ofSeconds(30).toNanos());
    assertThat(c.getHealthCheck().getRetries()).isEqualTo(3);
  }

  @Test
  void theComposeResourcesAndPlacementGoIntoTheTaskTemplate() {
    Service app = stack.service("app").orElseThrow().newBuilder()
        .resources(new Resources(500_000_000L, 512L << 20, 0, 128L << 20))
        .placement(new Placement(List.of("node.labels.zone==eu-1"), 1))
        .build();
    ServiceSpec spec = SwarmServiceSpecs.release(stack.name(), app, "r8", "app:2", Map.of());

    assertThat(spec.getTaskTemplate().getResources().getLimits().getNanoCPUs()).isEqualTo(500_000_000L);
    assertThat(spec.getTaskTemplate().getResources().getLimits().getMemoryBytes()).isEqualTo(512L << 20);
    assertThat(spec.getTaskTemplate().getResources().getReservations().getNanoCPUs()).isNull();
    assertThat(spec.getTaskTemplate().getResources().getReservations().getMemoryBytes()).isEqualTo(128L << 20);
    assertThat(spec.getTaskTemplate().getPlacement().getConstraints()).containsExactly("node.labels.zone==eu-1");
    assertThat(spec.getTaskTemplate().getPlacement().getMaxReplicas()).isEqualTo(1);

    Service db = stack.service("db").orElseThrow().newBuilder()
        .placement(new Placement(List.of("node.labels.disk==ssd"), 0)).build();
    assertThat(SwarmServiceSpecs.accessory(stack.name(), db, "postgres:18.1", Map.of(), "node-2")
        .getTaskTemplate().getPlacement().getConstraints())
        .containsExactly("node.hostname==node-2", "node.labels.disk==ssd");
  }

  @Test
  void aStoredSpecComesBackAsItWasWithItsConfigurationAndHealthcheck() {
    ServiceSpec spec = SwarmServiceSpecs.release(stack.name(), stack.service("app").orElseThrow(), "r3",
        "deploykit.local/sample-app:v1", Map.of("APP_VERSION", "old-config"));

    String stored = SwarmServiceSpecs.stored(spec);
    ServiceSpec restored = SwarmServiceSpecs.restored(stored);

    assertThat(stored).contains("\"Name\":\"deploykit-sample-app-r3\"", "APP_VERSION=old-config", "\"dnsrr\"");
    assertThat(restored).isEqualTo(spec);
    assertThat(SwarmServiceSpecs.stored(restored)).isEqualTo(stored);
    assertThatThrownBy(() -> SwarmServiceSpecs.restored("{\"Name\": [1]}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Not a stored Swarm service spec");
  }

  @Test
  void anAccessoryIsOneReplicaPinnedToTheManagerWithItsNamedVolume() {
    Service db = stack.service("db").orElseThrow();
    ServiceSpec spec = SwarmServiceSpecs.accessory(stack.name(), db, "postgres:18.1", db.environment(), null);

    assertThat(spec.getName()).isEqualTo("deploykit-sample-db");
    assertThat(SwarmServiceSpecs.replicas(spec)).isEqualTo(1);
    assertThat(spec.getLabels()).doesNotContainKey("dev.deploykit.release").containsEntry("dev.deploykit.role", "accessory");
    assertThat(spec.getTaskTemplate().getPlacement().getConstraints()).containsExactly("node.role==manager");
    assertThat(spec.getTaskTemplate().getContainerSpec().getMounts()).singleElement().satisfies(m -> {
      assertThat(m.getType()).isEqualTo(MountType.VOLUME);
      assertThat(m.getSource()).isEqualTo("deploykit-sample_pgdata");
      assertThat(m.getTarget()).isEqualTo("/var/lib/postgresql");
    });
    assertThat(spec.getTaskTemplate().getContainerSpec().getStopSignal()).isEqualTo("SIGINT");
    assertThat(SwarmServiceSpecs.accessory(stack.name(), db, "postgres:18.1", Map.of(), "node-2")
        .getTaskTemplate().getPlacement().getConstraints()).containsExactly("node.hostname==node-2");
  }

  @Test
  void scalingToZeroKeepsTheRestOfTheSpec() {
    Service worker = stack.service("worker").orElseThrow();
    ServiceSpec spec = SwarmServiceSpecs.release(stack.name(), worker, "r3", "w:1", Map.of());
    ServiceSpec parked = SwarmServiceSpecs.scaled(spec, 0);

    assertThat(SwarmServiceSpecs.replicas(parked)).isZero();
    assertThat(parked.getName()).isEqualTo("deploykit-sample-worker-r3");
    assertThat(parked.getTaskTemplate()).isSameAs(spec.getTaskTemplate());
  }

  @Test
  void rolesAreNotMixedUp() {
    Service db = stack.service("db").orElseThrow();
    Service app = stack.service("app").orElseThrow();
    assertThatThrownBy(() -> SwarmServiceSpecs.release(stack.name(), db, "r1", "x", Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("db is an accessory: use accessory()");
    assertThatThrownBy(() -> SwarmServiceSpecs.accessory(stack.name(), app, "x", Map.of(), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("app is not an accessory: use release()");
  }
}
