package dev.deploykit.core.testing;

import dev.deploykit.core.engine.ContainerHealthcheck;
import dev.deploykit.core.engine.ContainerSpec;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.engine.PortMapping;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * One container of a {@link FakeDockerHost}: its spec, its script, and its life so far (starts,
 * stops, exits, restarts by its restart policy), evaluated lazily against fake time. Tests read
 * it through {@link FakeDockerHost#container(String)}.
 *
 * <p>Guarded by its host: read it only from the test's thread between engine calls.
 */
public final class FakeContainer {
  private static final Duration RESTART_DELAY = Duration.ofMillis(100);
  private static final Duration RESTART_DELAY_MAX = Duration.ofMinutes(1);

  private final String id;
  private final ContainerSpec spec;
  private final String imageId;
  private final ContainerScript script;
  private final long createdAt;
  private final Map<String, String> labels;
  private final Map<String, byte[]> files = new HashMap<>();
  private final List<String> log = new ArrayList<>();
  private final Map<Integer, Integer> published;
  private String status = "created";
  private boolean running;
  private int exitCode;
  private int restarts;
  private long bootedAt;
  private long restartAt;
  private @Nullable String ip;
  private int starts;
  private int stops;
  private @Nullable Duration lastStopGrace;
  private @Nullable FakeHaproxy proxy;

  FakeContainer(String id, ContainerSpec spec, String imageId, ContainerScript script, long createdAt,
      Map<Integer, Integer> published) {
    this.id = id;
    this.spec = spec;
    this.imageId = imageId;
    this.script = script;
    this.createdAt = createdAt;
    this.labels = new LinkedHashMap<>(spec.labels());
    this.published = Map.copyOf(published);
  }

  /** The full id the engine gave it. */
  public String id() {
    return id;
  }

  /** The name it was created with. */
  public String name() {
    return spec.name();
  }

  /** What it was created from: image (as asked for), environment, labels, command, ports. */
  public ContainerSpec spec() {
    return spec;
  }

  /** The id of the image it runs. */
  public String imageId() {
    return imageId;
  }

  /** Its labels now (a test may have relabelled it). */
  public Map<String, String> labels() {
    return Map.copyOf(labels);
  }

  /** Whether its process runs now (a container restarting by its policy counts as running). */
  public boolean running() {
    return running;
  }

  /** Docker's state word: created, running, restarting, exited. */
  public String status() {
    return status;
  }

  /** How often it was started by a caller (restarts by its policy not counted). */
  public int starts() {
    return starts;
  }

  /** How often a caller stopped it while it ran. */
  public int stops() {
    return stops;
  }

  /** The grace period of the last stop, if it was stopped. */
  public @Nullable Duration lastStopGrace() {
    return lastStopGrace;
  }

  /** Its address on its network while it runs. */
  public @Nullable String ipAddress() {
    return ip;
  }

  /** Its log so far, oldest line first. */
  public List<String> log() {
    return List.copyOf(log);
  }

  ContainerScript script() {
    return script;
  }

  long createdAt() {
    return createdAt;
  }

  Map<String, byte[]> files() {
    return files;
  }

  void relabel(Map<String, String> changes) {
    changes.forEach((k, v) -> {
      if (v == null || v.isEmpty()) {
        labels.remove(k);
      } else {
        labels.put(k, v);
      }
    });
  }

  @Nullable FakeHaproxy proxy() {
    return proxy;
  }

  void proxy(@Nullable FakeHaproxy proxy) {
    this.proxy = proxy;
  }

  boolean listensOn(int port) {
    Set<Integer> specPorts = spec.ports().stream().map(PortMapping::target).collect(Collectors.toSet());
    return script.listensOn(port, specPorts);
  }

  /** Duration its current process has been up, at {@code now}. */
  Duration upFor(long now) {
    return Duration.ofNanos(now - bootedAt);
  }

  void start(long now, String address) {
    advance(now);
    if (running) {
      return;
    }
    starts++;
    running = true;
    status = "running";
    exitCode = 0;
    bootedAt = now;
    ip = address;
    log.add(spec.name() + " started");
    log.addAll(script.logs());
    advance(now);
  }

  void stop(long now, Duration grace) {
    advance(now);
    if (!running) {
      return;
    }
    stops++;
    lastStopGrace = grace;
    exit(0, "stopped with " + spec.stopSignal().orElse("SIGTERM"));
  }

  /** The process dies at once (a kill, an out-of-memory): no restart policy at work. */
  void kill(int code, String why) {
    if (running) {
      exit(code, why);
    }
  }

  /** Moves its life forward to {@code now}: scripted exits, and restarts by its policy. */
  void advance(long now) {
    Duration exitAfter = script.exitAfter();
    while (true) {
      if (status.equals("running") && exitAfter != null && now >= bootedAt + exitAfter.toNanos()) {
        long exitAt = bootedAt + exitAfter.toNanos();
        int code = script.exitCode();
        log.add("exited with code " + code);
        if (!restartsAfter(code)) {
          exit(code, "process ended");
          return;
        }
        exitCode = code;
        status = "restarting";
        restartAt = exitAt + restartDelay().toNanos();
      } else if (status.equals("restarting") && now >= restartAt) {
        restarts++;
        status = "running";
        exitCode = 0; // as Docker does when it starts the process again
        bootedAt = restartAt;
      } else {
        return;
      }
    }
  }

  private void exit(int code, String why) {
    running = false;
    status = "exited";
    exitCode = code;
    ip = null;
    proxy = null;
    log.add(spec.name() + " " + why + " (exit code " + code + ")");
  }

  private boolean restartsAfter(int code) {
    String policy = spec.restart();
    if (policy.equals("always") || policy.equals("unless-stopped")) {
      return true;
    }
    if (policy.startsWith("on-failure") && code != 0) {
      int colon = policy.indexOf(':');
      return colon < 0 || restarts < Integer.parseInt(policy.substring(colon + 1));
    }
    return false;
  }

  private Duration restartDelay() {
    Duration d = RESTART_DELAY.multipliedBy(1L << Math.min(restarts, 20));
    return d.compareTo(RESTART_DELAY_MAX) > 0 ? RESTART_DELAY_MAX : d;
  }

  /** As the engine reports it on {@code network} at {@code now}. */
  ContainerState state(String network, long now) {
    advance(now);
    boolean onNetwork = spec.network().filter(network::equals).isPresent();
    return new ContainerState(id, spec.name(), imageId, labels, running, status, health(now),
        exitCode, onNetwork ? ip : null, running ? published : Map.of(), restarts);
  }

  private @Nullable String health(long now) {
    ContainerHealthcheck check = spec.healthcheck().orElse(null);
    if (check == null || check.disabled()) {
      return null;
    }
    return running ? script.dockerHealth(upFor(now)) : "unhealthy";
  }

  @Override
  public String toString() {
    return "FakeContainer[" + spec.name() + ", " + status + "]";
  }
}
