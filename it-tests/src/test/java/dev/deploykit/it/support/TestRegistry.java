package dev.deploykit.it.support;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import dev.deploykit.core.engine.RegistryAuth;
import dev.deploykit.images.Recipes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;

/**
 * A registry on this machine's engine: the {@link Recipes#REGISTRY_2} stand-in with bcrypt
 * htpasswd auth for one user and a fresh random password, published on 127.0.0.1 only (plain
 * HTTP, which Docker accepts for a loopback registry). Removed with its volume on close.
 */
public final class TestRegistry implements AutoCloseable {
  /** The one user the registry knows. */
  public static final String USER = "pusher";
  private static final String LABEL = "dev.deploykit.test.registry";
  private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(30);

  private final DockerClient docker;
  private final String container;
  private final int port;
  private final String password;

  private TestRegistry(DockerClient docker, String container, int port, String password) {
    this.docker = docker;
    this.container = container;
    this.port = port;
    this.password = password;
  }

  /** Builds the stand-in if needed, starts a registry and waits until it answers. */
  public static TestRegistry start() {
    DockerClient docker = DockerClientFactory.instance().client();
    String image = StandInImageSubstitutor.images().build(Recipes.REGISTRY_2);
    String password = UUID.randomUUID().toString();
    Ports bindings = new Ports();
    bindings.bind(ExposedPort.tcp(5000), Ports.Binding.bindIp("127.0.0.1"));
    String id = docker.createContainerCmd(image)
        .withName("deploykit-test-registry-" + UUID.randomUUID().toString().substring(0, 8))
        .withLabels(Map.of(LABEL, "true"))
        .withEnv(List.of("REGISTRY_HTPASSWD_USER=" + USER, "REGISTRY_HTPASSWD_PASSWORD=" + password))
        .withExposedPorts(ExposedPort.tcp(5000))
        .withHostConfig(HostConfig.newHostConfig().withPortBindings(bindings))
        .exec().getId();
    try {
      docker.startContainerCmd(id).exec();
      int port = Integer.parseInt(docker.inspectContainerCmd(id).exec().getNetworkSettings().getPorts()
          .getBindings().get(ExposedPort.tcp(5000))[0].getHostPortSpec());
      TestRegistry registry = new TestRegistry(docker, id, port, password);
      registry.awaitAnswer();
      return registry;
    } catch (RuntimeException e) {
      Containers.remove(docker, id);
      throw e;
    }
  }

  private void awaitAnswer() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
    while (true) {
      try {
        HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create("http://" + server() + "/v2/"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        if (answer.statusCode() == 401) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the test registry", e);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the test registry did not answer on " + server() + " within "
            + BOOT_TIMEOUT.toSeconds() + " s");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the test registry", e);
      }
    }
  }

  /** Its published port on this machine's 127.0.0.1. */
  public int port() {
    return port;
  }

  /** {@code 127.0.0.1:PORT}, as image names start with it. */
  public String server() {
    return "127.0.0.1:" + port;
  }

  /** The credentials it accepts. */
  public RegistryAuth auth() {
    return new RegistryAuth(server(), USER, password);
  }

  /** The password it accepts (for a test that passes it through an environment variable). */
  public String password() {
    return password;
  }

  @Override
  public void close() {
    Containers.remove(docker, container);
  }
}
