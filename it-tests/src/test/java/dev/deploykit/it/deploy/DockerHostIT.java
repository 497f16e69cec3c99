package dev.deploykit.it.deploy;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.core.engine.ContainerSpec;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.ExecResult;
import dev.deploykit.core.engine.PortMapping;
import dev.deploykit.it.support.DockerRequired;
import dev.deploykit.it.support.StandInImageSubstitutor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The local transport of {@link DockerHost} against the real engine. */
@ExtendWith(DockerRequired.class)
class DockerHostIT {
  private final String network = "dkhost-" + UUID.randomUUID().toString().substring(0, 8);

  @Test
  void createsRunsExecsCopiesListsStopsAndRemovesContainers() {
    String image = StandInImageSubstitutor.resolve("debian:trixie");
    try (DockerHost host = DockerHost.local()) {
      host.ping();
      host.ensureNetwork(network, Map.of("dev.deploykit.test", "DockerHostIT"));
      host.ensureNetwork(network, Map.of());
      String id = host.create(ContainerSpec.builder(network + "-c", image)
          .labels(Map.of("dev.deploykit.test", network))
          .environment(Map.of("GREETING", "hello"))
          .command(List.of("sh", "-c", "trap 'echo bye; exit 0' TERM; echo started; while true; do sleep 0.1; done"))
          .network(network, List.of("svc"))
          .ports(List.of(new PortMapping("127.0.0.1", 0, 8080, "tcp")))
          .stopGracePeriod(Duration.ofSeconds(5))
          .build());
      try {
        host.writeFile(id, "/etc/deploykit/note.txt", "written before start".getBytes(StandardCharsets.UTF_8), 0644);
        host.start(id);
        ContainerState running = host.inspect(id, network).orElseThrow();
        assertThat(running.running()).isTrue();
        assertThat(Optional.ofNullable(running.ipAddress())).isPresent();
        assertThat(running.publishedPorts()).containsKey(8080);
        assertThat(host.list(Map.of("dev.deploykit.test", network), network)).extracting(ContainerState::id)
            .containsExactly(id);

        ExecResult echo = host.exec(id, List.of("sh", "-c", "echo $GREETING; cat /etc/deploykit/note.txt; exit 7"),
            Duration.ofSeconds(10));
        assertThat(echo.exitCode()).isEqualTo(7);
        assertThat(echo.output()).contains("hello").contains("written before start");
        assertThat(host.readFile(id, "/etc/deploykit/note.txt")).get()
            .extracting(b -> new String(b, StandardCharsets.UTF_8)).isEqualTo("written before start");
        assertThat(host.readFile(id, "/no/such/file")).isEmpty();
        assertThatThrownBy(() -> host.exec(id, List.of("sleep", "5"), Duration.ofMillis(300)))
            .isInstanceOf(DeployException.class).hasMessageContaining("did not finish within 300 ms");

        host.stop(id, Duration.ofSeconds(5));
        ContainerState stopped = host.inspect(id, network).orElseThrow();
        assertThat(stopped.running()).isFalse();
        assertThat(stopped.exitCode()).as("stopped by its signal, not killed").isZero();
        assertThat(host.logs(id, 10)).contains("started", "bye");
        host.stop(id, Duration.ofSeconds(1));
      } finally {
        host.remove(id);
        host.remove(id);
        host.removeNetwork(network);
      }
      assertThat(host.inspect(id, network)).isEmpty();
    }
  }
}
