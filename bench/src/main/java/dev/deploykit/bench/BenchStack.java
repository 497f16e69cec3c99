package dev.deploykit.bench;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.deploykit.health.CheckContext;
import dev.deploykit.health.CheckSpec;
import dev.deploykit.health.HealthCheck;
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
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The real things the benchmarks probe, started once per fork: PostgreSQL 18.1 (zonky) with a
 * heartbeat table, a JDK HTTP server on loopback (TCP_NODELAY) serving the app's {@code /up} and
 * an Ollama-like API, and, where a Docker engine answers, a container to inspect.
 */
@State(Scope.Benchmark)
public class BenchStack {
  /** The per-check deadline of every check in the suites. */
  public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);
  /** The deadline of the hung check in the hung suite. */
  public static final Duration HUNG_DEADLINE = Duration.ofMillis(100);

  EmbeddedPostgres pg;
  HttpServer http;
  @Nullable DockerClient docker;
  @Nullable String containerId;
  String dockerNote = "";

  PostgresCheck postgres;
  HttpCheck app;
  WorkerHeartbeatCheck heartbeat;
  OllamaCheck ollama;
  @Nullable DockerContainerCheck container;
  HostResourcesCheck resources;

  /** The six (or five, without Docker) checks, by name, in suite order. */
  Map<String, HealthCheck> suite;
  HealthRunner concurrent;
  HealthRunner hung;

  @Setup(Level.Trial)
  public void start() throws Exception {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    pg = EmbeddedPostgres.builder().start();
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("create table worker_heartbeat (worker text primary key, last_beat timestamptz)");
      st.execute("insert into worker_heartbeat values ('mailer', now())");
      st.execute("alter role postgres password 'bench'");
    }
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    json("/up", "{\"status\":\"ok\"}");
    json("/api/version", "{\"version\":\"0.12.0\"}");
    json("/api/tags", "{\"models\":[{\"name\":\"tiny:latest\",\"model\":\"tiny:latest\"}]}");
    json("/api/ps", "{\"models\":[{\"name\":\"tiny:latest\",\"model\":\"tiny:latest\"}]}");
    http.start();
    String base = "http://127.0.0.1:" + http.getAddress().getPort();

    PostgresTarget target = PostgresTarget.of(
        "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres", "postgres", "bench");
    postgres = PostgresCheck.builder(target).build();
    app = HttpCheck.builder(URI.create(base + "/up")).build();
    heartbeat = WorkerHeartbeatCheck.builder(target,
        "select last_beat from worker_heartbeat where worker = ?", "mailer")
        .maxAge(Duration.ofDays(1)).build();
    ollama = OllamaCheck.builder(URI.create(base)).model("tiny").build();
    resources = HostResourcesCheck.builder().build();
    startDocker();

    suite = new LinkedHashMap<>();
    suite.put("postgres", postgres);
    suite.put("http", app);
    suite.put("heartbeat", heartbeat);
    suite.put("ollama", ollama);
    if (container != null) {
      suite.put("container", container);
    }
    suite.put("resources", resources);

    HealthRunner.Builder b = HealthRunner.builder().deadline(Duration.ofSeconds(5));
    suite.forEach((name, check) -> b.add(spec(name, check)));
    concurrent = b.build();

    HealthRunner.Builder h = HealthRunner.builder().deadline(Duration.ofSeconds(5));
    suite.forEach((name, check) -> h.add(spec(name, check)));
    h.add(CheckSpec.of("hung", context -> {
      Thread.sleep(Duration.ofHours(1));
      return HealthResult.up("never");
    }).timeout(HUNG_DEADLINE));
    hung = h.build();

    // Warm every kept connection once, and fail early if the stack is not healthy.
    for (Map.Entry<String, HealthCheck> e : suite.entrySet()) {
      HealthResult r = e.getValue().check(context());
      if (!r.isUp() && !e.getKey().equals("resources")) {
        throw new IllegalStateException(e.getKey() + " is not UP: " + r);
      }
    }
    System.out.println("# bench stack: " + String.join(", ", suite.keySet()) + dockerNote);
  }

  /**
   * The suite's spec of a check: docker-java's Unix-socket transport reads through JNA, which pins
   * a virtual thread's carrier, so the container check runs on a platform thread (set
   * {@code -Dbench.dockerPlatformThread=false} to measure the difference).
   */
  private static CheckSpec spec(String name, HealthCheck check) {
    boolean platform = name.equals("container")
        && Boolean.parseBoolean(System.getProperty("bench.dockerPlatformThread", "true"));
    return CheckSpec.of(name, check).timeout(CHECK_TIMEOUT).platformThread(platform);
  }

  private void startDocker() {
    Path socket = Path.of("/var/run/docker.sock");
    if (!Files.exists(socket)) {
      dockerNote = " (no container check: no Docker engine at " + socket + ")";
      return;
    }
    try {
      URI host = URI.create("unix://" + socket);
      DockerClient client = DockerClientImpl.getInstance(
          DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host.toString())
              .build(),
          new ZerodepDockerHttpClient.Builder().dockerHost(host)
              .connectionTimeout(Duration.ofSeconds(2)).responseTimeout(Duration.ofSeconds(10))
              .build());
      client.pingCmd().exec();
      String image = "deploykit.local/debian:trixie";
      String id = client.createContainerCmd(image).withCmd("sleep", "infinity")
          .withName("deploykit-bench-" + ProcessHandle.current().pid())
          .withLabels(Map.of("dev.deploykit.bench", "true")).exec().getId();
      containerId = id;
      docker = client;
      client.startContainerCmd(id).exec();
      container = DockerContainerCheck.containers(client, id).build();
    } catch (RuntimeException e) {
      dockerNote = " (no container check: " + e.getClass().getSimpleName() + ": "
          + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")";
      stopDocker();
    }
  }

  private void json(String path, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    http.createContext(path, (HttpExchange ex) -> {
      ex.getRequestBody().readAllBytes();
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    });
  }

  /** A fresh context with the per-check deadline. */
  static CheckContext context() {
    return CheckContext.of(Deadline.after(CHECK_TIMEOUT, TimeSource.system()));
  }

  /** The port of the HTTP server. */
  int httpPort() {
    return http.getAddress().getPort();
  }

  @TearDown(Level.Trial)
  public void stop() throws IOException {
    List<AutoCloseable> closing = new ArrayList<>(List.of(concurrent, hung, postgres, app,
        heartbeat, ollama));
    for (AutoCloseable c : closing) {
      try {
        c.close();
      } catch (Exception ignored) {
        // Shutting down anyway.
      }
    }
    stopDocker();
    http.stop(0);
    pg.close();
  }

  private void stopDocker() {
    DockerClient client = docker;
    if (client != null && containerId != null) {
      try {
        client.removeContainerCmd(containerId).withForce(true).exec();
      } catch (RuntimeException ignored) {
        // Already gone.
      }
    }
    containerId = null;
    docker = null;
    container = null;
  }
}
