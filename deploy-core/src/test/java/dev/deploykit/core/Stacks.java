package dev.deploykit.core;

import dev.deploykit.core.engine.ContainerHealthcheck;
import dev.deploykit.core.engine.PortMapping;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The stacks the engine's decision tests deploy: {@code shop} with a web service on port 8080
 * (health path {@code /up}), optionally a worker and a PostgreSQL accessory, with short timeouts
 * so the fake time of a run stays small.
 */
final class Stacks {
  static final String NAME = "shop";
  static final String NETWORK = StackNames.network(NAME);
  static final Duration DEPLOY_TIMEOUT = Duration.ofSeconds(10);
  static final Duration WATCH = Duration.ofSeconds(5);

  private Stacks() {}

  static ServiceDeploy webDeploy() {
    return ServiceDeploy.of(Role.WEB).withHealth("/up", 8080).withDeployTimeout(DEPLOY_TIMEOUT)
        .withDrainTimeout(Duration.ofSeconds(5)).withWatchWindow(WATCH);
  }

  static Service web(String image) {
    return web(image, Map.of());
  }

  static Service web(String image, Map<String, String> environment) {
    return Service.builder("web").image(image).deploy(webDeploy()).environment(environment)
        .port(new PortMapping(null, null, 8080, "tcp")).build();
  }

  static Service worker(String image, int replicas) {
    return Service.builder("worker").image(image).replicas(replicas)
        .deploy(ServiceDeploy.of(Role.WORKER).withDeployTimeout(DEPLOY_TIMEOUT))
        .stopGracePeriod(Duration.ofSeconds(20)).build();
  }

  static Service db(String image) {
    return Service.builder("db").image(image)
        .deploy(ServiceDeploy.of(Role.ACCESSORY).withDeployTimeout(DEPLOY_TIMEOUT))
        .healthcheck(new ContainerHealthcheck(List.of("CMD-SHELL", "pg_isready"), Duration.ofSeconds(1),
            Duration.ofSeconds(1), 5, Duration.ZERO))
        .port(new PortMapping(null, null, 5432, "tcp")).build();
  }

  static Stack of(Service... services) {
    return new Stack(NAME, List.of(services), StackSettings.defaults().withProxyPort(8080));
  }

  /** web, worker (2 replicas) and db, each on the given version's images. */
  static Stack full(String version) {
    return of(db("postgres:18.1"), web("app:" + version), worker("worker:" + version, 2));
  }
}
