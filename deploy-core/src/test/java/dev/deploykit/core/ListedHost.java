package dev.deploykit.core;

import com.github.dockerjava.api.DockerClient;
import dev.deploykit.core.engine.ContainerSpec;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.ExecResult;
import dev.deploykit.core.engine.PortForward;
import dev.deploykit.core.engine.RegistryAuth;
import dev.deploykit.core.engine.TransferProgress;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A host that only lists and inspects the containers a test gives it, and hands out forwards
 * that remember whether they were closed. Everything else is unsupported: the tests here read a
 * host, they never change one. Its docker-java client answers every call with an exception, as
 * an engine that is down would.
 */
final class ListedHost implements DockerHost {
  /** One forward the host handed out. */
  static final class Forward implements PortForward {
    final String container;
    final int port;
    final InetSocketAddress address;
    boolean closed;

    Forward(String container, int port, InetSocketAddress address) {
      this.container = container;
      this.port = port;
      this.address = address;
    }

    @Override
    public InetSocketAddress address() {
      return address;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  final List<ContainerState> containers = new ArrayList<>();
  final List<Forward> forwards = new ArrayList<>();
  /** Where a forward of a container (by id) leads; unlisted ones lead to a refused port. */
  final Map<String, InetSocketAddress> reachable = new HashMap<>();
  /** Containers (by id) whose ports the host cannot forward. */
  final List<String> unreachable = new ArrayList<>();

  ListedHost with(ContainerState container) {
    containers.add(container);
    return this;
  }

  static ContainerState running(String name, Map<String, String> labels, Map<Integer, Integer> published) {
    return new ContainerState("id-" + name, name, "sha256:0", labels, true, "running", null, 0,
        "10.0.0.1", published, 0);
  }

  static ContainerState stopped(String name, Map<String, String> labels) {
    return new ContainerState("id-" + name, name, "sha256:0", labels, false, "exited", null, 0, null,
        Map.of(), 0);
  }

  @Override
  public List<ContainerState> list(Map<String, String> labels, String network) {
    return containers.stream()
        .filter(c -> labels.entrySet().stream().allMatch(e -> e.getValue().equals(c.labels().get(e.getKey()))))
        .toList();
  }

  @Override
  public Optional<ContainerState> inspect(String container, String network) {
    return containers.stream().filter(c -> c.name().equals(container) || c.id().equals(container)).findFirst();
  }

  @Override
  public PortForward forward(String container, String network, int port) {
    if (unreachable.contains(container)) {
      throw new DeployException("container " + container + " has no address on " + network);
    }
    Forward f = new Forward(container, port, reachable.getOrDefault(container, new InetSocketAddress("127.0.0.1", 1)));
    forwards.add(f);
    return f;
  }

  @Override
  public DockerClient client() {
    return (DockerClient) Proxy.newProxyInstance(DockerClient.class.getClassLoader(),
        new Class<?>[] {DockerClient.class}, (proxy, method, args) -> {
          if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
              case "equals" -> proxy == args[0];
              case "hashCode" -> System.identityHashCode(proxy);
              default -> "DockerClient[none]";
            };
          }
          throw new IllegalStateException("no engine behind this test host (" + method.getName() + ")");
        });
  }

  @Override
  public String describe() {
    return "listed host";
  }

  @Override
  public void ping() {}

  @Override
  public Optional<String> imageId(String image) {
    throw new UnsupportedOperationException();
  }

  @Override
  public String pull(String image, Duration timeout) {
    throw new UnsupportedOperationException();
  }

  @Override
  public String pull(String image, @org.jspecify.annotations.Nullable RegistryAuth auth,
      Duration timeout, TransferProgress progress) {
    throw new UnsupportedOperationException();
  }

  @Override
  public String push(String image, @org.jspecify.annotations.Nullable RegistryAuth auth,
      Duration timeout, TransferProgress progress) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void tag(String image, String reference) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void ensureNetwork(String name, Map<String, String> labels) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void ensureVolume(String name, Map<String, String> labels) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void removeNetwork(String name) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void removeVolumes(Map<String, String> labels) {
    throw new UnsupportedOperationException();
  }

  @Override
  public String create(ContainerSpec spec) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void start(String container) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void stop(String container, Duration grace) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void remove(String container) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ExecResult exec(String container, List<String> command, Duration timeout) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<String> logs(String container, int lines) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void writeFile(String container, String path, byte[] content, int mode) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Optional<byte[]> readFile(String container, String path) {
    return Optional.empty();
  }

  @Override
  public void close() {}
}
