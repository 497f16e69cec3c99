package dev.deploykit.cli;

import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.Role;
import dev.deploykit.core.Service;
import dev.deploykit.core.Stack;
import dev.deploykit.health.CheckSpec;
import dev.deploykit.health.HealthResult;
import dev.deploykit.health.HealthRunner;
import dev.deploykit.health.checks.DockerContainerCheck;
import dev.deploykit.health.checks.HttpCheck;
import dev.deploykit.health.checks.OllamaCheck;
import dev.deploykit.health.checks.PostgresCheck;
import dev.deploykit.health.checks.PostgresTarget;
import java.net.URI;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What runs on the host for a stack, read from the engine through the labels deploykit puts on
 * what it creates, and the health checks that go with it.
 */
final class StackView {
  static final String STACK_LABEL = "dev.deploykit.stack";
  static final String SERVICE_LABEL = "dev.deploykit.service";
  static final String RELEASE_LABEL = "dev.deploykit.release";

  /** The container ports of deploykit's HAProxy: its listener and its runtime API. */
  private static final int PROXY_LISTEN_PORT = 8080;
  private static final int PROXY_RUNTIME_API_PORT = 9999;

  /** Readiness: what users reach (the web services through the proxy, the accessories' APIs). */
  static final String READINESS = "readiness";
  /** Liveness: every service has its containers running. */
  static final String LIVENESS = "liveness";

  private final DockerHost host;
  private final Stack stack;

  StackView(DockerHost host, Stack stack) {
    this.host = host;
    this.stack = stack;
  }

  String network() {
    return stack.name() + "_default";
  }

  /** Every container deploykit made for the stack, running or not. */
  List<ContainerState> containers() {
    return host.list(Map.of(STACK_LABEL, stack.name()), network());
  }

  /** The running containers of a service. */
  List<ContainerState> running(String service) {
    return host.list(Map.of(STACK_LABEL, stack.name(), SERVICE_LABEL, service), network()).stream()
        .filter(ContainerState::running)
        .sorted(Comparator.comparing(ContainerState::name))
        .toList();
  }

  /** The proxy's container, if it exists. */
  Optional<ContainerState> proxy() {
    return host.inspect(stack.name() + "-proxy", network());
  }

  /** The URL the proxy serves the web services on, if it publishes a port. */
  Optional<URI> proxyUrl() {
    return proxy().flatMap(p -> {
      Map<Integer, Integer> ports = p.publishedPorts();
      // The proxy also publishes its runtime API (on loopback, a random port): pick the stack's
      // port, else the one behind the proxy's listener, else any but the runtime API's.
      if (ports.containsValue(stack.settings().proxyPort())) {
        return Optional.of(stack.settings().proxyPort());
      }
      if (ports.containsKey(PROXY_LISTEN_PORT)) {
        return Optional.of(ports.get(PROXY_LISTEN_PORT));
      }
      return ports.entrySet().stream().filter(e -> e.getKey() != PROXY_RUNTIME_API_PORT)
          .map(Map.Entry::getValue).findFirst();
    }).map(port -> URI.create("http://127.0.0.1:" + port));
  }

  /** The health checks of the stack as it runs now. */
  HealthRunner healthRunner() {
    HealthRunner.Builder runner = HealthRunner.builder().deadline(Duration.ofSeconds(10));
    Optional<URI> proxyUrl = proxyUrl();
    runner.add(proxy().filter(ContainerState::running)
        .map(p -> CheckSpec.of("proxy", DockerContainerCheck.containers(host.client(), p.id()).build()))
        .orElse(CheckSpec.of("proxy", c -> HealthResult.down("the proxy container "
            + stack.name() + "-proxy is not running")))
        .groups(LIVENESS, READINESS));
    for (Service s : stack.services()) {
      List<ContainerState> running = running(s.name());
      if (running.isEmpty()) {
        runner.add(CheckSpec.of(s.name(), c -> HealthResult.down("no running container of service "
            + s.name())).groups(LIVENESS, READINESS));
        continue;
      }
      runner.add(CheckSpec.of(s.name(), DockerContainerCheck.containers(host.client(),
          running.stream().map(ContainerState::id).toArray(String[]::new)).build()).groups(LIVENESS));
      ContainerState first = running.getFirst();
      if (s.role() == Role.WEB && s.deploy().healthPath() != null && proxyUrl.isPresent()) {
        runner.add(CheckSpec.of(s.name() + ":http",
            HttpCheck.builder(proxyUrl.get().resolve(s.deploy().healthPath())).build()).groups(READINESS));
      } else if (s.role() == Role.ACCESSORY && Optional.ofNullable(first.ipAddress()).isPresent()) {
        String ip = Optional.ofNullable(first.ipAddress()).get();
        Map<String, String> env = s.environment();
        if (s.image().contains("postgres") && env.containsKey("POSTGRES_PASSWORD")) {
          String user = env.getOrDefault("POSTGRES_USER", "postgres");
          String db = env.getOrDefault("POSTGRES_DB", user);
          runner.add(CheckSpec.of(s.name() + ":postgres", PostgresCheck.builder(PostgresTarget.of(
              "jdbc:postgresql://" + ip + ":5432/" + db, user, env.get("POSTGRES_PASSWORD"))).build())
              .groups(READINESS));
        } else if (s.image().contains("ollama")) {
          runner.add(CheckSpec.of(s.name() + ":ollama",
              OllamaCheck.builder(URI.create("http://" + ip + ":11434")).build()).groups(READINESS));
        }
      }
    }
    return runner.build();
  }
}
