package dev.deploykit.core.internal.protocol;

import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.DeployListener;
import dev.deploykit.core.Release;
import dev.deploykit.core.ReleaseHistory;
import dev.deploykit.core.Stack;
import dev.deploykit.core.StackNames;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.internal.state.HostState;
import dev.deploykit.health.wait.TimeSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the steps of one release run share: the stack, its host and state, the proxy, the gates,
 * the history as this run changes it, and the event stream. One per run, used by the run's
 * thread only.
 */
final class RunContext implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RunContext.class);
  /** Log lines kept from a failing container. */
  static final int LOG_LINES = 30;

  final ReleaseRun.Settings settings;
  final DockerHost host;
  final TimeSource time;
  final Clock clock;
  final Stack stack;
  final String network;
  final HostState state;
  final ProxyControl proxy;
  final Gates gates;
  private final DeployListener listener;
  private final long started;
  private ReleaseHistory history;

  RunContext(ReleaseRun.Settings settings, DockerHost host, TimeSource time, Clock clock,
      DeployListener listener, long started, Stack stack) {
    this.settings = settings;
    this.host = host;
    this.time = time;
    this.clock = clock;
    this.listener = listener;
    this.started = started;
    this.stack = stack;
    this.network = StackNames.network(stack.name());
    host.ensureNetwork(network, StackNames.labels(stack.name(), StackNames.KIND_NETWORK));
    this.state = HostState.open(host, stack.name(), settings.proxyImage());
    this.proxy = new ProxyControl(host, settings.proxyImage(), settings.proxyBindAddress(), time);
    this.gates = new Gates(host, network, time);
    this.history = state.history();
  }

  ReleaseHistory history() {
    return history;
  }

  /** Replaces the history in memory; {@link #saveHistory()} writes it. */
  void history(ReleaseHistory history) {
    this.history = history;
  }

  void saveHistory() {
    state.save(history);
  }

  /** Adds or replaces the release in the history and writes it. */
  void save(Release release) {
    history = history.with(release);
    saveHistory();
  }

  /** The service's running release containers (web or worker). */
  List<ContainerState> running(String service) {
    return host.list(Map.of(StackNames.LABEL_STACK, stack.name(), StackNames.LABEL_SERVICE, service,
        StackNames.LABEL_KIND, StackNames.KIND_APP), network).stream().filter(ContainerState::running).toList();
  }

  /** The container's last log lines, for a refusal's report; empty when they cannot be read. */
  List<String> logs(String container) {
    try {
      return host.logs(container, LOG_LINES);
    } catch (RuntimeException e) {
      log.debug("Could not read the logs of {}: {}", container, e.toString());
      return List.of();
    }
  }

  void emit(DeployEvent event) {
    try {
      listener.on(event);
    } catch (RuntimeException e) {
      log.warn("A deploy listener failed on {}: {}", event.getClass().getSimpleName(), e.toString());
    }
  }

  /** Time since the run started. */
  Duration at() {
    return Duration.ofNanos(time.nanoTime() - started);
  }

  @Override
  public void close() {
    proxy.close();
  }
}
