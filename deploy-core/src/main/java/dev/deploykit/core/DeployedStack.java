package dev.deploykit.core;

import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.internal.haproxy.HaproxyConfig;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What runs on a host for a stack, read once through the labels and names deploykit puts on
 * what it creates ({@link StackNames}): every container of the stack, the running containers of
 * each service, the proxy and the URL it serves on, the deploy lock and the release history.
 * Tools that show a host (a dashboard, the {@code deploykit status} command) read this instead of
 * querying the engine by labels of their own.
 *
 * <pre>{@code
 * DeployedStack deployed = deployer.inspect(stack);
 * deployed.proxyUrl().ifPresent(url -> System.out.println("serving on " + url));
 * deployed.history().live().ifPresent(r -> System.out.println("live: " + r.id()));
 * for (ContainerState c : deployed.running("web")) {
 *   System.out.println(c.name() + " of release " + c.label(StackNames.LABEL_RELEASE).orElse("?"));
 * }
 * }</pre>
 *
 * <p>A snapshot: it does not follow what happens on the host after {@link Deployer#inspect}
 * read it. Thread safety: immutable.
 */
public final class DeployedStack {
  /** Where the local engine publishes the proxy's port, as this machine reaches it. */
  private static final String PUBLISHED_ON = "127.0.0.1";

  private final Stack stack;
  private final String host;
  private final List<ContainerState> containers;
  private final @Nullable ContainerState proxy;
  private final @Nullable LockInfo lock;
  private final ReleaseHistory history;

  DeployedStack(Stack stack, String host, List<ContainerState> containers, @Nullable LockInfo lock,
      ReleaseHistory history) {
    this.stack = Objects.requireNonNull(stack, "stack");
    this.host = Objects.requireNonNull(host, "host");
    this.containers = containers.stream().sorted(Comparator.comparing(ContainerState::name)).toList();
    String proxyName = StackNames.proxyContainer(stack.name());
    this.proxy = this.containers.stream().filter(c -> c.name().equals(proxyName)).findFirst().orElse(null);
    this.lock = lock;
    this.history = Objects.requireNonNull(history, "history");
  }

  /** Reads the stack's containers from the host; the history and the lock as read by the caller. */
  static DeployedStack read(DockerHost host, Stack stack, ReleaseHistory history, @Nullable LockInfo lock) {
    List<ContainerState> all = host.list(Map.of(StackNames.LABEL_STACK, stack.name()),
        StackNames.network(stack.name()));
    return new DeployedStack(stack, host.describe(), all, lock, history);
  }

  /** The stack as declared (the file or the Java model this was read for). */
  public Stack stack() {
    return stack;
  }

  /** Where the engine is, for messages ({@link DockerHost#describe()}). */
  public String host() {
    return host;
  }

  /**
   * Every container deploykit made for the stack, running or not, by name: release containers,
   * accessories, the proxy, and the state and lock holders (which never run).
   */
  public List<ContainerState> containers() {
    return containers;
  }

  /** The running containers of a service, by name (for a web or worker service, by release). */
  public List<ContainerState> running(String service) {
    return containers.stream()
        .filter(c -> c.running() && c.label(StackNames.LABEL_SERVICE).filter(service::equals).isPresent())
        .toList();
  }

  /** The stack's proxy container, running or not, if it exists. */
  public Optional<ContainerState> proxy() {
    return Optional.ofNullable(proxy);
  }

  /**
   * The URL the proxy serves the web service on, when the proxy runs and publishes its listener:
   * {@code http://127.0.0.1:<published port>}, where the local engine publishes it.
   */
  public Optional<URI> proxyUrl() {
    return proxy().filter(ContainerState::running)
        .map(p -> p.publishedPorts().get(HaproxyConfig.LISTEN_PORT))
        .map(port -> URI.create("http://" + PUBLISHED_ON + ":" + port));
  }

  /** Who holds the stack's deploy lock, if anyone did when it was read. */
  public Optional<LockInfo> lock() {
    return Optional.ofNullable(lock);
  }

  /** The stack's release history on the host (empty when it has none). */
  public ReleaseHistory history() {
    return history;
  }

  @Override
  public String toString() {
    return "DeployedStack[" + stack.name() + " on " + host + ", " + containers.size() + " container(s), proxy "
        + proxyUrl().map(URI::toString).orElse("none") + ", live "
        + history.live().map(Release::id).orElse("none") + "]";
  }
}
