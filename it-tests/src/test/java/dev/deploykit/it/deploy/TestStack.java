package dev.deploykit.it.deploy;

import dev.deploykit.core.engine.PortMapping;
import dev.deploykit.core.Role;
import dev.deploykit.core.Service;
import dev.deploykit.core.ServiceDeploy;
import dev.deploykit.core.Stack;
import dev.deploykit.core.StackSettings;
import dev.deploykit.core.engine.VolumeMount;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A minimal stack for the release-engine tests: a web service (the one-file Java server in
 * {@code proxy/WebServer.java}, bound into a Java runtime image) and a worker that sleeps.
 */
final class TestStack {
  private TestStack() {}

  static Stack of(String name, int proxyPort, Service web, String javaImage) {
    return of(name, new StackSettings(3, proxyPort, null), web, javaImage);
  }

  static Stack of(String name, StackSettings settings, Service web, String javaImage) {
    Service worker = Service.builder("worker").image(javaImage)
        .command(List.of("sleep", "infinity"))
        .stopGracePeriod(Duration.ofSeconds(1))
        .deploy(new ServiceDeploy(Role.WORKER, null, null, Duration.ofSeconds(20), Duration.ZERO, Duration.ZERO))
        .build();
    return new Stack(name, List.of(web, worker), settings);
  }

  static Service web(String javaImage, String version, Map<String, String> env) {
    Path source = Path.of("target/test-classes/proxy").toAbsolutePath();
    return Service.builder("web").image(javaImage)
        .command(List.of("java", "-Dsun.net.httpserver.nodelay=true", "/app/WebServer.java"))
        .environment(Map.of("VERSION", version)).environment(env)
        .volume(new VolumeMount("bind", source.toString(), "/app", true))
        .port(new PortMapping(null, null, 8080, "tcp"))
        .stopGracePeriod(Duration.ofSeconds(5))
        .deploy(new ServiceDeploy(Role.WEB, "/up", null, Duration.ofSeconds(60), Duration.ofSeconds(10),
            Duration.ofSeconds(3)))
        .build();
  }
}
