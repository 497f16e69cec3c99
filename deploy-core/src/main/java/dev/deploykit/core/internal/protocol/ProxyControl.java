package dev.deploykit.core.internal.protocol;

import dev.deploykit.core.engine.ContainerSpec;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.PortForward;
import dev.deploykit.core.engine.PortMapping;
import dev.deploykit.core.Service;
import dev.deploykit.core.Stack;
import dev.deploykit.core.internal.haproxy.HaproxyConfig;
import dev.deploykit.core.internal.haproxy.HaproxySwitch;
import dev.deploykit.core.internal.haproxy.RuntimeApi;
import dev.deploykit.core.StackNames;
import dev.deploykit.health.wait.TimeSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The stack's proxy container ({@code <stack>-proxy}, HAProxy): created once with the
 * configuration deploykit writes, publishing the stack's port, and driven through its Runtime
 * API, which it never publishes: the API is reached through the host ({@link DockerHost#forward}).
 * Closing it closes the forwards it opened.
 */
final class ProxyControl implements AutoCloseable {
  private static final Duration API_TIMEOUT = Duration.ofSeconds(5);

  private final DockerHost host;
  private final String image;
  private final String bindAddress;
  private final TimeSource time;
  private final java.util.List<PortForward> forwards = new java.util.ArrayList<>();

  ProxyControl(DockerHost host, String image, String bindAddress, TimeSource time) {
    this.host = host;
    this.image = image;
    this.bindAddress = bindAddress;
    this.time = time;
  }

  /** The switch for the stack's proxy, creating and starting the proxy when needed. */
  HaproxySwitch ensure(Stack stack, Service web) throws InterruptedException {
    String name = StackNames.proxyContainer(stack.name());
    String network = StackNames.network(stack.name());
    Optional<ContainerState> existing = host.inspect(name, network);
    if (existing.isPresent() && !existing.get().running()) {
      // A proxy that is not running serves nothing; one cut short before its configuration was
      // written never could. Recreate it from scratch.
      host.remove(name);
      existing = Optional.empty();
    }
    if (existing.isPresent()
        && !Integer.valueOf(stack.settings().proxyPort()).equals(existing.get().publishedPorts().get(HaproxyConfig.LISTEN_PORT))) {
      // The stack's public port changed: only a new proxy container can publish the new one.
      // Clients of the old port lose it, as the configuration asks; the switch below points the
      // new proxy at the new release.
      host.remove(name);
      existing = Optional.empty();
    }
    if (existing.isEmpty()) {
      String config = HaproxyConfig.render(
          List.of(new HaproxyConfig.Frontend(web.name(), HaproxyConfig.LISTEN_PORT)), Duration.ofSeconds(60));
      String id = host.create(ContainerSpec.builder(name, image)
          .labels(StackNames.labels(stack.name(), StackNames.KIND_PROXY))
          .network(network, List.of("proxy"))
          .ports(List.of(
              new PortMapping(bindAddress, stack.settings().proxyPort(), HaproxyConfig.LISTEN_PORT, "tcp")))
          .restart("unless-stopped")
          .build());
      host.writeFile(id, "/usr/local/etc/haproxy/haproxy.cfg", config.getBytes(StandardCharsets.UTF_8), 0644);
      host.start(id);
    }
    RuntimeApi api = api(name, network);
    api.awaitAnswering(Duration.ofSeconds(30), time, name);
    return new HaproxySwitch(api, time);
  }

  /** The switch of an existing proxy, if the stack has one running. */
  Optional<HaproxySwitch> existing(Stack stack) {
    String network = StackNames.network(stack.name());
    return host.inspect(StackNames.proxyContainer(stack.name()), network)
        .filter(ContainerState::running)
        .map(p -> new HaproxySwitch(api(p.id(), network), time));
  }

  private RuntimeApi api(String container, String network) {
    PortForward forward = host.forward(container, network, HaproxyConfig.RUNTIME_API_PORT);
    synchronized (forwards) {
      forwards.add(forward);
    }
    return new RuntimeApi(forward.address(), API_TIMEOUT);
  }

  @Override
  public void close() {
    synchronized (forwards) {
      forwards.forEach(PortForward::close);
      forwards.clear();
    }
  }
}
