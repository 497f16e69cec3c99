package dev.deploykit.it.remote;

import dev.deploykit.core.StackNames;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.PortForward;
import dev.deploykit.core.internal.haproxy.HaproxyConfig;
import dev.deploykit.core.internal.haproxy.RuntimeApi;
import dev.deploykit.health.CheckContext;
import dev.deploykit.health.checks.HttpCheck;
import dev.deploykit.health.wait.Deadline;
import dev.deploykit.health.wait.TimeSource;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The two loops of a release that react within milliseconds, timed through a host's forwards as
 * the protocol runs them: the gate's probe (an HTTP GET of the app's health path on a kept
 * connection, as {@link HttpCheck} does) and the drain's poll (HAProxy's {@code show stat}, one
 * Runtime API connection per command).
 */
final class ProbeLoops {
  private static final int ROUNDS = 40;

  private ProbeLoops() {}

  /** Times {@link #ROUNDS} of each loop on the live app and proxy of {@code stack}; prints them. */
  static void measure(String where, DockerHost host, String stack) throws InterruptedException {
    String network = StackNames.network(stack);
    ContainerState app = host.list(Map.of(StackNames.LABEL_STACK, stack, StackNames.LABEL_SERVICE, "app"), network)
        .stream().filter(ContainerState::running).findFirst().orElseThrow();
    List<Long> gate = new ArrayList<>();
    List<Long> drain = new ArrayList<>();
    try (PortForward forward = host.forward(app.id(), network, 8080);
        HttpCheck check = HttpCheck.builder(URI.create("http://" + forward.hostAndPort() + "/up"))
            .connectTimeout(Duration.ofSeconds(2)).build()) {
      for (int i = 0; i < ROUNDS; i++) {
        long t0 = System.nanoTime();
        check.check(CheckContext.of(Deadline.after(Duration.ofSeconds(2), TimeSource.system())));
        gate.add(System.nanoTime() - t0);
      }
    }
    try (PortForward forward = host.forward(StackNames.proxyContainer(stack), network, HaproxyConfig.RUNTIME_API_PORT)) {
      RuntimeApi api = new RuntimeApi(forward.address(), Duration.ofSeconds(5));
      for (int i = 0; i < ROUNDS; i++) {
        long t0 = System.nanoTime();
        api.servers();
        drain.add(System.nanoTime() - t0);
      }
    }
    System.out.printf(Locale.ROOT, "ReleaseSshIT: %s: gate probe (kept connection) %s; drain poll (show stat,"
        + " a channel per command) %s%n", where, spread(gate), spread(drain));
  }

  private static String spread(List<Long> nanos) {
    List<Long> sorted = nanos.stream().sorted().toList();
    return String.format(Locale.ROOT, "first %.1f ms, then median %.1f ms, p90 %.1f ms, max %.1f ms",
        nanos.getFirst() / 1e6, sorted.get(sorted.size() / 2) / 1e6, sorted.get(sorted.size() * 9 / 10) / 1e6,
        sorted.getLast() / 1e6);
  }
}
