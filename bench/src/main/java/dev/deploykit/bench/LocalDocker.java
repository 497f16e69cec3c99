package dev.deploykit.bench;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The local Docker engine, as the benchmark reaches it: docker-java over the Unix socket. */
final class LocalDocker {
  /** Where the engine listens. */
  static final Path SOCKET = Path.of("/var/run/docker.sock");

  private LocalDocker() {}

  /** Whether the socket exists (the engine may still not answer). */
  static boolean present() {
    return Files.exists(SOCKET);
  }

  /** A client for the engine at {@link #SOCKET}; callers close it. */
  static DockerClient client() {
    URI host = URI.create("unix://" + SOCKET);
    return DockerClientImpl.getInstance(
        DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host.toString())
            .build(),
        new ZerodepDockerHttpClient.Builder().dockerHost(host)
            .connectionTimeout(Duration.ofSeconds(2)).responseTimeout(Duration.ofSeconds(10))
            .build());
  }
}
