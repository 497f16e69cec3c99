package dev.deploykit.core.testing;

import dev.deploykit.core.engine.ExecResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How the containers a {@link FakeDockerHost} creates from one image (or for one name) behave:
 * whether they exit at boot, what their health endpoints answer as fake time passes since they
 * started, what Docker's healthcheck reports, which ports they listen on, their logs. Made by
 * {@link FakeDockerHost#whenCreated(String)}; every setter returns this script.
 *
 * <pre>{@code
 * fake.whenCreated("app:v2").probe("/up").failsFrom(Duration.ofSeconds(2));
 * fake.whenCreated("worker:v2").exitsAtBoot(3).logs("Error: no QUEUE_URL");
 * }</pre>
 *
 * <p>Without a script a container runs until stopped, listens on its spec's ports, answers 200
 * on every path and is Docker-healthy 1 s after it starts (when it has a healthcheck). A script
 * may be changed while its containers run ("the image turns bad now"). Guarded by the host.
 */
public final class ContainerScript {
  private @Nullable Duration exitAfter;
  private int exitCode;
  private @Nullable Set<Integer> listens;
  private final Map<String, ProbeScript> probes = new LinkedHashMap<>();
  private @Nullable String dockerHealth;
  private Duration healthyAfter = Duration.ofSeconds(1);
  private boolean diesWhenDrained;
  private final List<String> logs = new ArrayList<>();
  private ExecResult exec = new ExecResult(0, "");

  ContainerScript() {}

  /** The container's process exits with {@code code} as soon as it starts. */
  public synchronized ContainerScript exitsAtBoot(int code) {
    return exitsAfter(Duration.ZERO, code);
  }

  /** The container's process exits with {@code code} {@code after} (fake time) each start. */
  public synchronized ContainerScript exitsAfter(Duration after, int code) {
    this.exitAfter = Objects.requireNonNull(after, "after");
    this.exitCode = code;
    return this;
  }

  /** The container listens on these ports only (default: the ports of its spec). */
  public synchronized ContainerScript listensOn(int... ports) {
    Set<Integer> set = new LinkedHashSet<>();
    for (int p : ports) {
      set.add(p);
    }
    this.listens = set;
    return this;
  }

  /** What {@code path} answers over time; paths without a probe script answer 200. */
  public synchronized ProbeScript probe(String path) {
    return probes.computeIfAbsent(path, p -> new ProbeScript(this));
  }

  /** Every HTTP path answers 503 and Docker's healthcheck reports unhealthy, for good. */
  public synchronized ContainerScript neverHealthy() {
    probe("*").failsAlways();
    probes.values().forEach(ProbeScript::failsAlways);
    return dockerHealth("unhealthy");
  }

  /** What Docker's healthcheck reports while the container runs (starting, healthy, unhealthy). */
  public synchronized ContainerScript dockerHealth(String status) {
    this.dockerHealth = Objects.requireNonNull(status, "status");
    return this;
  }

  /** How long after each start Docker's healthcheck turns healthy (default 1 s). */
  public synchronized ContainerScript dockerHealthyAfter(Duration after) {
    this.healthyAfter = Objects.requireNonNull(after, "after");
    return this;
  }

  /** The container's process dies (exit 137) when the proxy starts draining its server. */
  public synchronized ContainerScript diesWhenDrained() {
    this.diesWhenDrained = true;
    return this;
  }

  /** Lines the container writes to its log when it starts. */
  public synchronized ContainerScript logs(String... lines) {
    logs.addAll(List.of(lines));
    return this;
  }

  /** What a command run in the container answers. */
  public synchronized ContainerScript execAnswers(int exitCode, String output) {
    this.exec = new ExecResult(exitCode, output);
    return this;
  }

  synchronized @Nullable Duration exitAfter() {
    return exitAfter;
  }

  synchronized int exitCode() {
    return exitCode;
  }

  synchronized boolean listensOn(int port, Set<Integer> specPorts) {
    return (listens == null ? specPorts : listens).contains(port);
  }

  /** The HTTP status {@code path} answers {@code sinceStart} after the container started. */
  synchronized int status(String path, Duration sinceStart) {
    ProbeScript p = probes.getOrDefault(path, probes.get("*"));
    return p == null ? 200 : p.status(sinceStart);
  }

  synchronized String dockerHealth(Duration sinceStart) {
    if (dockerHealth != null) {
      return dockerHealth;
    }
    return sinceStart.compareTo(healthyAfter) >= 0 ? "healthy" : "starting";
  }

  synchronized boolean diesOnDrain() {
    return diesWhenDrained;
  }

  synchronized List<String> logs() {
    return List.copyOf(logs);
  }

  synchronized ExecResult exec() {
    return exec;
  }
}
