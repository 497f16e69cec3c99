package dev.deploykit.core;

import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.PortForward;
import dev.deploykit.core.internal.haproxy.HaproxyConfig;
import dev.deploykit.health.CheckSpec;
import dev.deploykit.health.HealthCheck;
import dev.deploykit.health.HealthResult;
import dev.deploykit.health.checks.DockerContainerCheck;
import dev.deploykit.health.checks.HttpCheck;
import dev.deploykit.health.checks.OllamaCheck;
import dev.deploykit.health.checks.PostgresCheck;
import dev.deploykit.health.checks.PostgresTarget;
import dev.deploykit.health.checks.TcpCheck;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The checks of a {@link StackHealth}, one rule per declared fact: the proxy and each service's
 * running containers for liveness; for readiness, the web service through the proxy on its health
 * path and every other service through its declared {@link Probe} on its probe port. Every
 * connection goes through a {@link DockerHost#forward}. Whatever it opens (forwards, checks that
 * keep a connection) it adds to {@code owned}, for the {@link StackHealth} to close. Used on one
 * thread, once.
 */
final class StackChecks {
  /** The name of the proxy's check, unless a service has that name. */
  static final String PROXY = "proxy";
  /** How long one network probe may take (the first connection to a database is the slowest). */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

  private final DockerHost host;
  private final DeployedStack deployed;
  private final Stack stack;
  private final String network;
  private final List<AutoCloseable> owned;

  StackChecks(DockerHost host, DeployedStack deployed, List<AutoCloseable> owned) {
    this.host = host;
    this.deployed = deployed;
    this.stack = deployed.stack();
    this.network = StackNames.network(stack.name());
    this.owned = owned;
  }

  /** Every check of the stack: the proxy first (when it has a web service), then each service. */
  List<CheckSpec> all() {
    List<CheckSpec> specs = new ArrayList<>();
    proxy().ifPresent(specs::add);
    for (Service s : stack.services()) {
      specs.add(liveness(s));
      readiness(s).ifPresent(specs::add);
    }
    return specs;
  }

  private Optional<CheckSpec> proxy() {
    if (stack.services(Role.WEB).isEmpty()) {
      return Optional.empty();
    }
    String container = StackNames.proxyContainer(stack.name());
    String name = stack.service(PROXY).isPresent() ? container : PROXY;
    HealthCheck check = deployed.proxy().filter(ContainerState::running)
        .map(p -> containers(List.of(p)))
        .orElseGet(() -> down("the proxy container " + container + " is not running"));
    return Optional.of(CheckSpec.of(name, check).groups(StackHealth.LIVENESS, StackHealth.READINESS));
  }

  private CheckSpec liveness(Service s) {
    List<ContainerState> running = deployed.running(s.name());
    HealthCheck check = running.isEmpty() ? notRunning(s) : containers(running);
    return CheckSpec.of(s.name(), check).groups(StackHealth.LIVENESS);
  }

  private Optional<CheckSpec> readiness(Service s) {
    Probe probe = s.deploy().probe();
    if (probe == Probe.CONTAINER) {
      // Its probe is its container's state: the liveness check says it all.
      return Optional.empty();
    }
    String name = s.name() + ":" + probe.name().toLowerCase(Locale.ROOT);
    HealthCheck check = s.role() == Role.WEB ? throughProxy(s) : throughProbe(s, probe);
    return Optional.of(CheckSpec.of(name, check).groups(StackHealth.READINESS).timeout(PROBE_TIMEOUT));
  }

  /** What users reach: the proxy's listener, on the web service's health path. */
  private HealthCheck throughProxy(Service web) {
    String path = web.deploy().healthPath();
    Optional<ContainerState> proxy = deployed.proxy().filter(ContainerState::running);
    if (path == null) {
      return down("web service " + web.name() + " declares no health path");
    }
    if (proxy.isEmpty()) {
      return down("no proxy runs for stack " + stack.name() + ", so nothing serves " + web.name());
    }
    return reached(proxy.get(), HaproxyConfig.LISTEN_PORT, f -> http(f, path));
  }

  private HealthCheck throughProbe(Service s, Probe probe) {
    List<ContainerState> running = deployed.running(s.name());
    if (running.isEmpty()) {
      return notRunning(s);
    }
    Optional<Integer> port = s.probePort();
    if (port.isEmpty()) {
      return down("service " + s.name() + " declares no port for its " + probe + " probe (health_port)");
    }
    String path = s.deploy().healthPath();
    if (probe == Probe.HTTP && path == null) {
      return down("service " + s.name() + " declares an HTTP probe without a health path");
    }
    return reached(running.getFirst(), port.get(), f -> switch (probe) {
      case HTTP -> http(f, path);
      case POSTGRES -> own(PostgresCheck.builder(postgres(s, f)).build());
      case OLLAMA -> own(OllamaCheck.builder(URI.create("http://" + f.hostAndPort())).build());
      case TCP -> TcpCheck.of(f.address());
      case CONTAINER -> throw new IllegalStateException("a container probe opens no connection");
    });
  }

  /**
   * The PostgreSQL login of a service: the stack's db_init credentials when db_init names the
   * service, else the official image's {@code POSTGRES_USER} (default {@code postgres}),
   * {@code POSTGRES_PASSWORD} and {@code POSTGRES_DB} (default the user).
   */
  PostgresTarget postgres(Service s, PortForward forward) {
    DatabaseSettings db = stack.settings().database();
    String url = "jdbc:postgresql://" + forward.hostAndPort() + "/";
    if (db != null && db.service().equals(s.name())) {
      return PostgresTarget.of(url + db.database(), db.user(), db.password());
    }
    Map<String, String> env = s.environment();
    String user = nonBlank(env.get("POSTGRES_USER"), "postgres");
    return PostgresTarget.of(url + nonBlank(env.get("POSTGRES_DB"), user), user,
        nonBlank(env.get("POSTGRES_PASSWORD"), ""));
  }

  private HealthCheck http(PortForward forward, String path) {
    return own(HttpCheck.builder(URI.create("http://" + forward.hostAndPort() + path))
        .expectStatus(200, 299).build());
  }

  private HealthCheck containers(List<ContainerState> running) {
    return DockerContainerCheck.containers(host.client(),
        running.stream().map(ContainerState::id).toArray(String[]::new)).build();
  }

  /** The check of the container's port as the host forwards it; DOWN when the host cannot. */
  private HealthCheck reached(ContainerState container, int port, Function<PortForward, HealthCheck> check) {
    PortForward forward;
    try {
      forward = own(host.forward(container.id(), network, port));
    } catch (DeployException e) {
      return down("the host cannot reach port " + port + " of " + container.name() + ": " + e.getMessage());
    }
    return check.apply(forward);
  }

  private <T extends AutoCloseable> T own(T resource) {
    owned.add(resource);
    return resource;
  }

  private static HealthCheck notRunning(Service s) {
    return down("no running container of service " + s.name());
  }

  private static HealthCheck down(String detail) {
    return context -> HealthResult.down(detail);
  }

  private static String nonBlank(@Nullable String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
