package dev.deploykit.it.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.engine.ContainerSpec;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.ExecResult;
import dev.deploykit.core.engine.PortForward;
import dev.deploykit.core.engine.PortMapping;
import dev.deploykit.core.engine.Resources;
import dev.deploykit.core.engine.SshHost;
import dev.deploykit.images.Recipes;
import dev.deploykit.it.support.DockerRequired;
import dev.deploykit.it.support.StandInImageSubstitutor;
import dev.deploykit.it.support.TestDroplet;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.testcontainers.DockerClientFactory;

/**
 * The {@link DockerHost} contract, the same expectations for the local engine and for a test
 * droplet's engine over SSH: containers made, written, started, exec'd, read, stopped with their
 * own signal, logged and removed; a container port reached through {@link DockerHost#forward}.
 * The droplet starts once for the class, and the SSH host keeps one connection throughout.
 */
@ExtendWith(DockerRequired.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerHostContractSshIT {
  private TestDroplet droplet;
  private SshHost ssh;
  private DockerHost local;
  private String image;

  /** One host under test, named for the report. */
  record Target(String name, DockerHost host) {
    @Override
    public String toString() {
      return name;
    }
  }

  @BeforeAll
  void start() throws IOException {
    long started = System.nanoTime();
    image = StandInImageSubstitutor.images().build(Recipes.BUSYBOX);
    droplet = TestDroplet.start();
    long booted = System.nanoTime();
    ssh = droplet.ssh().build();
    local = DockerHost.local();
    DockerClient here = DockerClientFactory.instance().client();
    try (InputStream saved = here.saveImageCmd(image).exec()) {
      ssh.client().loadImageCmd(saved).exec();
    }
    System.out.printf("DockerHostContractSshIT: droplet up in %d ms, %s moved to it over SSH in %d ms%n",
        (booted - started) / 1_000_000, image, (System.nanoTime() - booted) / 1_000_000);
  }

  @AfterAll
  void stop() {
    try {
      if (ssh != null) {
        System.out.printf("DockerHostContractSshIT: %d SSH connection(s) for the whole class%n",
            ssh.connectionsOpened());
        assertThat(ssh.connectionsOpened()).as("one SSH connection for every call of the class").isEqualTo(1);
        ssh.close();
      }
      if (local != null) {
        local.close();
      }
    } finally {
      if (droplet != null) {
        droplet.close();
      }
    }
  }

  Stream<Target> hosts() {
    return Stream.of(new Target("local engine", local), new Target("droplet over SSH", ssh));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hosts")
  void createsWritesStartsExecsReadsStopsLogsAndRemovesContainers(Target target) {
    DockerHost host = target.host();
    String network = "contract-" + UUID.randomUUID().toString().substring(0, 8);
    host.ping();
    host.ensureNetwork(network, Map.of("dev.deploykit.test", "contract"));
    host.ensureNetwork(network, Map.of());
    String id = host.create(ContainerSpec.builder(network + "-c", image)
        .labels(Map.of("dev.deploykit.test", network))
        .environment(Map.of("GREETING", "hello"))
        .command(List.of("sh", "-c", "trap 'echo bye; exit 0' TERM; echo started; while true; do sleep 0.1; done"))
        .network(network, List.of("svc"))
        .ports(List.of(new PortMapping("127.0.0.1", 0, 8080, "tcp")))
        .stopGracePeriod(Duration.ofSeconds(5))
        .resources(new Resources(500_000_000L, 64L << 20, 250_000_000L, 32L << 20))
        .build());
    try {
      var limits = host.client().inspectContainerCmd(id).exec().getHostConfig();
      assertThat(limits.getNanoCPUs()).isEqualTo(500_000_000L);
      assertThat(limits.getMemory()).isEqualTo(64L << 20);
      assertThat(limits.getMemoryReservation()).isEqualTo(32L << 20);
      host.writeFile(id, "/etc/deploykit/note.txt", "written before start".getBytes(StandardCharsets.UTF_8), 0644);
      host.start(id);
      host.start(id);
      ContainerState running = host.inspect(id, network).orElseThrow();
      assertThat(running.running()).isTrue();
      assertThat(running.ipAddress()).isNotNull();
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

  @ParameterizedTest(name = "{0}")
  @MethodSource("hosts")
  void forwardsAContainerPortToThisMachine(Target target) throws Exception {
    DockerHost host = target.host();
    String network = "forward-" + UUID.randomUUID().toString().substring(0, 8);
    host.ensureNetwork(network, Map.of());
    String id = host.create(ContainerSpec.builder(network + "-web", image)
        .command(List.of("httpd", "-f", "-p", "8080", "-h", "/www"))
        .network(network, List.of())
        .build());
    try {
      host.writeFile(id, "/www/index.html", ("served by " + target.name()).getBytes(StandardCharsets.UTF_8), 0644);
      host.start(id);
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      try (PortForward forward = host.forward(id, network, 8080)) {
        for (int i = 0; i < 3; i++) {
          HttpResponse<String> response = awaitAnswer(http, forward);
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(response.body()).isEqualTo("served by " + target.name());
        }
        if (target.host() instanceof SshHost) {
          assertThat(forward.address().getAddress().isLoopbackAddress()).as("bound to loopback only").isTrue();
          PortForward closed = forward;
          closed.close();
          assertThatThrownBy(() -> new Socket(closed.address().getAddress(), closed.address().getPort()).close())
              .as("a closed forward listens no more").isInstanceOf(ConnectException.class);
        }
      }
      assertThatThrownBy(() -> host.forward("no-such-container", network, 8080))
          .isInstanceOf(DeployException.class).hasMessageContaining("does not exist");
    } finally {
      host.remove(id);
      host.removeNetwork(network);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hosts")
  void managesVolumesAndKnowsItsImages(Target target) {
    DockerHost host = target.host();
    String volume = "contract-" + UUID.randomUUID().toString().substring(0, 8);
    host.ensureVolume(volume, Map.of("dev.deploykit.test", volume));
    host.ensureVolume(volume, Map.of("dev.deploykit.test", volume));
    assertThat(host.client().inspectVolumeCmd(volume).exec().getName()).isEqualTo(volume);
    host.removeVolumes(Map.of("dev.deploykit.test", volume));
    assertThat(host.client().listVolumesCmd().exec().getVolumes()).noneMatch(v -> v.getName().equals(volume));
    assertThat(host.imageId(image)).get().asString().startsWith("sha256:");
    assertThat(host.imageId("deploykit.local/no-such-image:1")).isEmpty();
  }

  /** The first request may meet httpd before it listens: retry briefly. */
  private static HttpResponse<String> awaitAnswer(HttpClient http, PortForward forward) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + forward.hostAndPort() + "/index.html"))
        .timeout(Duration.ofSeconds(10)).build();
    IOException last = null;
    for (int attempt = 0; attempt < 50; attempt++) {
      try {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        last = e;
        Thread.sleep(100);
      }
    }
    throw last;
  }
}
