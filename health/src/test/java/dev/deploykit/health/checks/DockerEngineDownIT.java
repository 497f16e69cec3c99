package dev.deploykit.health.checks;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.deploykit.health.HealthCheck;
import dev.deploykit.health.HealthResult;
import dev.deploykit.health.HealthStatus;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every Docker check against an engine that is down: a client on a socket nobody serves. */
class DockerEngineDownIT {
  @TempDir
  static Path dir;
  private static DockerClient docker;

  @BeforeAll
  static void client() {
    URI socket = URI.create("unix://" + dir.resolve("no-docker.sock"));
    var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(socket.toString()).build();
    docker = DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
        .dockerHost(socket).connectionTimeout(Duration.ofSeconds(1))
        .responseTimeout(Duration.ofSeconds(1)).build());
  }

  @AfterAll
  static void close() throws Exception {
    docker.close();
  }

  @Test
  void everyDockerCheckIsDownWithAOneLineReason() throws Exception {
    List<HealthCheck> checks = List.of(
        DockerContainerCheck.stack(docker, "shop").build(),
        DockerContainerCheck.containers(docker, "shop-web-1").build(),
        DockerNetworkCheck.of(docker, "shop", List.of("shop-web-1")),
        DockerEngineCheck.builder(docker).build(),
        WorkerLogCheck.of(docker, "shop-worker-1", Pattern.compile("beat"), Duration.ofMinutes(1)));
    for (HealthCheck check : checks) {
      HealthResult r = Checks.run(check, Duration.ofSeconds(2));
      assertThat(r.status()).as(check.getClass().getSimpleName()).isEqualTo(HealthStatus.DOWN);
      assertThat(r.detail()).as(check.getClass().getSimpleName())
          .startsWith("Docker engine unreachable");
    }
  }
}
