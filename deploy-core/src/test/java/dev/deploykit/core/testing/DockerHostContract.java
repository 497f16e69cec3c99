package dev.deploykit.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.engine.ContainerSpec;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.VolumeMount;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DockerHost} must do the way the release engine relies on it, whatever its
 * transport: the in-memory double runs it ({@code FakeDockerHostContractTest}), and so should a
 * remote transport against a real engine. A subclass names the host and an image whose containers
 * keep running until stopped.
 *
 * <pre>{@code
 * class SshHostContractIT extends DockerHostContract {
 *   protected DockerHost host() { return sshHost; }
 *   protected String runningImage() { return "alpine:3.20"; }
 * }
 * }</pre>
 */
public abstract class DockerHostContract {
  private final String prefix = "contract-" + UUID.randomUUID().toString().substring(0, 8);

  /** The host under test (the same instance on every call of one test). */
  protected abstract DockerHost host();

  /** An image present on the host whose containers run {@link #runningCommand()} until stopped. */
  protected abstract String runningImage();

  /** The command that keeps a container of {@link #runningImage()} running. */
  protected List<String> runningCommand() {
    return List.of("sleep", "3600");
  }

  /** A name unique to this test. */
  protected final String unique(String name) {
    return prefix + "-" + name;
  }

  private Map<String, String> labels() {
    return Map.of("dev.deploykit.contract", prefix);
  }

  private String network() {
    host().ensureNetwork(unique("net"), labels());
    return unique("net");
  }

  private ContainerSpec.Builder spec(String name) {
    return ContainerSpec.builder(unique(name), runningImage()).labels(labels())
        .command(runningCommand()).network(network(), List.of(name));
  }

  @AfterEach
  void removeWhatTheTestMade() {
    for (ContainerState c : host().list(labels(), unique("net"))) {
      host().remove(c.id());
    }
    host().removeNetwork(unique("net"));
    host().removeVolumes(labels());
  }

  @Test
  public void aSecondContainerOfTheSameNameIsRefused() {
    host().create(spec("lock").build());
    assertThatThrownBy(() -> host().create(spec("lock").build()))
        .isInstanceOf(DeployException.class).hasMessageContaining(unique("lock"));
  }

  @Test
  public void aFileWrittenIntoANeverStartedContainerReadsBack() {
    String id = host().create(spec("state").build());
    host().writeFile(id, "/deploykit/state/releases.json", "[]".getBytes(StandardCharsets.UTF_8), 0600);
    assertThat(host().readFile(id, "/deploykit/state/releases.json"))
        .hasValueSatisfying(b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("[]"));
    assertThat(host().readFile(id, "/deploykit/state/absent.json")).isEmpty();
    assertThat(host().inspect(id, network())).hasValueSatisfying(c -> assertThat(c.status()).isEqualTo("created"));
  }

  @Test
  public void filesOnANamedVolumeOutliveTheContainerThatWroteThem() {
    host().ensureVolume(unique("data"), labels());
    VolumeMount mount = new VolumeMount("volume", unique("data"), "/data", false);
    String first = host().create(spec("writer").volumes(List.of(mount)).build());
    host().writeFile(first, "/data/audit.log", "one\n".getBytes(StandardCharsets.UTF_8), 0600);
    host().remove(first);
    String second = host().create(spec("reader").volumes(List.of(mount)).build());
    assertThat(host().readFile(second, "/data/audit.log")).isPresent();
  }

  @Test
  public void aStartedContainerRunsWithAnAddressAndAStoppedOneHasNone() {
    String id = host().create(spec("app").build());
    host().start(id);
    host().start(id);
    assertThat(host().inspect(id, network())).hasValueSatisfying(c -> {
      assertThat(c.running()).isTrue();
      assertThat(c.ipAddress()).isNotNull();
      assertThat(c.name()).isEqualTo(unique("app"));
      assertThat(c.labels()).containsAllEntriesOf(labels());
    });
    host().stop(id, Duration.ofSeconds(1));
    host().stop(id, Duration.ofSeconds(1));
    assertThat(host().inspect(id, network())).hasValueSatisfying(c -> {
      assertThat(c.running()).isFalse();
      assertThat(c.ipAddress()).isNull();
    });
  }

  @Test
  public void listFindsTheContainersCarryingEveryLabelRunningOrNot() {
    String running = host().create(spec("one").labels(Map.of("tier", "web")).build());
    host().start(running);
    String created = host().create(spec("two").labels(Map.of("tier", "web")).build());
    host().create(spec("three").labels(Map.of("tier", "db")).build());
    Map<String, String> web = new java.util.HashMap<>(labels());
    web.put("tier", "web");
    assertThat(host().list(web, network())).extracting(ContainerState::id)
        .containsExactlyInAnyOrder(running, created);
  }

  @Test
  public void anAbsentContainerInspectsEmptyAndRemovesQuietly() {
    assertThat(host().inspect(unique("absent"), network())).isEmpty();
    host().remove(unique("absent"));
    host().stop(unique("absent"), Duration.ofSeconds(1));
    assertThat(host().readFile(unique("absent"), "/etc/hostname")).isEmpty();
  }

  @Test
  public void aStoppedContainerCannotBeForwardedTo() {
    String id = host().create(spec("stopped").build());
    assertThatThrownBy(() -> host().forward(id, network(), 8080))
        .isInstanceOf(DeployException.class).hasMessageContaining("cannot be reached");
  }

  @Test
  public void aForwardOfARunningContainerIsAnAddressOnThisMachine() {
    String id = host().create(spec("served").build());
    host().start(id);
    try (var forward = host().forward(id, network(), 8080)) {
      assertThat(forward.address().getPort()).isPositive();
      assertThat(forward.hostAndPort()).endsWith(":" + forward.address().getPort());
    }
  }

  @Test
  public void aContainerOfAnAbsentImageIsRefused() {
    assertThatThrownBy(() -> host().create(ContainerSpec.builder(unique("ghost"), "deploykit-absent/none:0")
        .labels(labels()).build()))
        .isInstanceOf(DeployException.class).hasMessageContaining("deploykit-absent/none:0");
  }
}
