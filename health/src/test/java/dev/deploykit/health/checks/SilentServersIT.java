package dev.deploykit.health.checks;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.deploykit.health.CheckSpec;
import dev.deploykit.health.ComponentHealth;
import dev.deploykit.health.HealthCheck;
import dev.deploykit.health.HealthReport;
import dev.deploykit.health.HealthRunner;
import dev.deploykit.health.HealthStatus;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every built-in check shares, against servers that accept and never answer (TCP,
 * and a Unix socket standing in for a hung Docker engine): the runner cancels each at its timeout
 * and answers with every check DOWN "timed out after 300ms", never an exception, never a hang.
 */
class SilentServersIT {
  @TempDir
  Path dir;

  @Test
  void everyCheckAgainstASilentServerIsCutAtItsTimeout() throws Exception {
    List<SocketChannel> accepted = new CopyOnWriteArrayList<>();
    Path socket = dir.resolve("hung-docker.sock");
    try (LoopbackServers.Raw silent = new LoopbackServers.Raw(LoopbackServers.Behaviour.SILENT);
        ServerSocketChannel hungDocker = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      hungDocker.bind(UnixDomainSocketAddress.of(socket));
      Thread.ofVirtual().start(() -> {
        while (hungDocker.isOpen()) {
          try {
            accepted.add(hungDocker.accept());
          } catch (java.io.IOException e) {
            return;
          }
        }
      });
      URI dockerHost = URI.create("unix://" + socket);
      DockerClient docker = DockerClientImpl.getInstance(
          DefaultDockerClientConfig.createDefaultConfigBuilder()
              .withDockerHost(dockerHost.toString()).build(),
          new ZerodepDockerHttpClient.Builder().dockerHost(dockerHost)
              .responseTimeout(Duration.ofSeconds(30)).build());
      PostgresTarget pg = PostgresTarget.of("jdbc:postgresql://127.0.0.1:" + silent.port()
          + "/db", "app", "pw");
      Map<String, HealthCheck> checks = new LinkedHashMap<>();
      checks.put("http", HttpCheck.builder(silent.uri("http", "/up")).build());
      checks.put("postgres", PostgresCheck.builder(pg).build());
      checks.put("heartbeat", WorkerHeartbeatCheck.builder(pg,
          "select beat from hb where worker = ?", "w").build());
      checks.put("ollama", OllamaCheck.builder(silent.uri("http", "")).model("m").build());
      checks.put("runpod", RunPodCheck.builder(silent.uri("http", ""), "ep", "key").build());
      checks.put("container", DockerContainerCheck.stack(docker, "s").build());
      checks.put("network", DockerNetworkCheck.of(docker, "n", List.of()));
      checks.put("engine", DockerEngineCheck.builder(docker).build());
      checks.put("worker-log", WorkerLogCheck.of(docker, "c", Pattern.compile("x"),
          Duration.ofMinutes(1)));
      HealthRunner.Builder b = HealthRunner.builder().deadline(Duration.ofSeconds(5));
      checks.forEach((name, check) -> b.add(CheckSpec.of(name, check)
          .timeout(Duration.ofMillis(300)).platformThread(name.matches(
              "container|network|engine|worker-log"))));
      List<AutoCloseable> closeables = new ArrayList<>();
      checks.values().forEach(c -> {
        if (c instanceof AutoCloseable a) {
          closeables.add(a);
        }
      });
      try (HealthRunner runner = b.build()) {
        HealthReport report = runner.run();
        assertThat(report.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(report.checks()).extracting(ComponentHealth::name)
            .containsExactlyElementsOf(checks.keySet());
        assertThat(report.checks()).allSatisfy(c -> {
          assertThat(c.status()).as(c.name()).isEqualTo(HealthStatus.DOWN);
          assertThat(c.result().detail()).as(c.name()).isEqualTo("timed out after 300ms");
        });
      } finally {
        for (AutoCloseable c : closeables) {
          c.close();
        }
        hungDocker.close();
        for (SocketChannel s : accepted) {
          s.close();
        }
        docker.close();
      }
    }
  }
}
