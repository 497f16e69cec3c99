package dev.deploykit.bench;

import com.github.dockerjava.api.DockerClient;
import dev.deploykit.health.CheckContext;
import dev.deploykit.health.HealthResult;
import dev.deploykit.health.HealthRunner;
import dev.deploykit.health.checks.DockerContainerCheck;
import dev.deploykit.health.checks.HostResourcesCheck;
import dev.deploykit.health.checks.HttpCheck;
import dev.deploykit.health.checks.OllamaCheck;
import dev.deploykit.health.checks.PostgresCheck;
import dev.deploykit.health.checks.PostgresTarget;
import dev.deploykit.health.checks.WorkerHeartbeatCheck;
import dev.deploykit.health.wait.Deadline;
import dev.deploykit.health.wait.TimeSource;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The checks the benchmarks run, against the servers of the {@code latency} parameter ({@link
 * BenchLatency#parse}): those {@link BenchHost} started for the whole run (named in {@value
 * BenchEndpoints#HOST_FILE}), or else {@link BenchServers} started in this fork: PostgreSQL, the app's
 * HTTP, the worker heartbeat, Ollama, a container inspect (where a Docker engine answers) and the
 * host's resources, and deploykit's runner over them.
 */
@State(Scope.Benchmark)
public class BenchStack {
  /** The per-check deadline of every check in the suites. */
  public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);

  /** The servers' latency: {@code realistic}, {@code zero} or {@code server=Nms,...}. */
  @Param({"realistic", "zero"})
  public String latency;

  /** The servers, when this fork started its own (no {@link BenchHost}). */
  @Nullable BenchServers servers;
  BenchEndpoints endpoints;
  @Nullable DockerClient docker;
  PostgresCheck postgres;
  HttpCheck app;
  WorkerHeartbeatCheck heartbeat;
  OllamaCheck ollama;
  @Nullable DockerContainerCheck container;
  HostResourcesCheck resources;

  /** The six (or five, without Docker) checks, in suite order. */
  List<SuiteCheck> suite;
  HealthRunner concurrent;

  @Setup(Level.Trial)
  public void start() throws Exception {
    long started = System.nanoTime();
    BenchLatency l = BenchLatency.parse(latency);
    endpoints = endpoints(l);
    PostgresTarget target = PostgresTarget.of(endpoints.jdbcUrl(), "postgres", "bench");
    postgres = PostgresCheck.builder(target).build();
    URI base = endpoints.httpBase();
    app = HttpCheck.builder(base.resolve("/up")).build();
    heartbeat = WorkerHeartbeatCheck.builder(target,
        "select last_beat from worker_heartbeat where worker = ?", "mailer")
        .maxAge(Duration.ofDays(1)).build();
    ollama = OllamaCheck.builder(base).model("tiny").build();
    resources = HostResourcesCheck.builder().build();
    String containerId = endpoints.containerId();
    if (containerId != null) {
      docker = LocalDocker.client();
      container = DockerContainerCheck.containers(docker, containerId).build();
    }
    suite = new ArrayList<>(List.of(member("postgres", postgres), member("http", app),
        member("heartbeat", heartbeat), member("ollama", ollama)));
    if (container != null) {
      suite.add(new SuiteCheck("container", container, CHECK_TIMEOUT, dockerOnPlatformThread()));
    }
    suite.add(member("resources", resources));
    suite = List.copyOf(suite);
    concurrent = runner(suite);
    warmAndVerify();
    System.out.printf("# setup: %d ms%n", (System.nanoTime() - started) / 1_000_000);
    System.out.println("# bench stack: " + String.join(", ", suite.stream()
        .map(SuiteCheck::name).toList()) + endpoints.dockerNote());
    System.out.println("# latency: " + l.describe());
  }

  /** The servers {@link BenchHost} started for this run, or this fork's own. */
  private BenchEndpoints endpoints(BenchLatency l) throws Exception {
    String file = System.getenv(BenchEndpoints.HOST_FILE);
    if (file != null && !file.isBlank()) {
      BenchEndpoints shared = BenchEndpoints.read(Path.of(file), latency);
      if (shared != null) {
        return shared;
      }
    }
    servers = BenchServers.start(l);
    return servers.endpoints();
  }

  static SuiteCheck member(String name, dev.deploykit.health.HealthCheck check) {
    return new SuiteCheck(name, check, CHECK_TIMEOUT, false);
  }

  /**
   * docker-java's Unix-socket transport reads through JNA, which pins a virtual thread's carrier,
   * so the container check runs on a platform thread (set {@code -Dbench.dockerPlatformThread=
   * false} to measure the difference).
   */
  private static boolean dockerOnPlatformThread() {
    return Boolean.parseBoolean(System.getProperty("bench.dockerPlatformThread", "true"));
  }

  /** deploykit's runner over {@code checks}, with a 5 s run deadline. */
  static HealthRunner runner(List<SuiteCheck> checks) {
    HealthRunner.Builder b = HealthRunner.builder().deadline(Duration.ofSeconds(5));
    checks.forEach(c -> b.add(c.spec()));
    return b.build();
  }

  /** Warms every kept connection once, and fails early if the stack is not healthy. */
  private void warmAndVerify() throws InterruptedException {
    for (SuiteCheck c : suite) {
      HealthResult r = c.call();
      if (!r.isUp() && !c.name().equals("resources")) {
        throw new IllegalStateException(c.name() + " is not UP: " + r);
      }
    }
  }

  /** A fresh context with the per-check deadline. */
  static CheckContext context() {
    return CheckContext.of(Deadline.after(CHECK_TIMEOUT, TimeSource.system()));
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    List<AutoCloseable> closing = new ArrayList<>(List.of(concurrent, postgres, app,
        heartbeat, ollama));
    if (docker != null) {
      closing.add(docker);
    }
    if (servers != null) {
      closing.add(servers);
    }
    for (AutoCloseable c : closing) {
      try {
        c.close();
      } catch (Exception ignored) {
        // Shutting down anyway.
      }
    }
  }
}
