package dev.deploykit.bench;

import com.github.dockerjava.api.DockerClient;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * The real servers the benchmark probes, with the latency of a {@link BenchLatency}: PostgreSQL
 * 18.1 (zonky) with a heartbeat table, behind a {@link DelayProxy} when its latency is not zero;
 * a JDK HTTP server on loopback (TCP_NODELAY, a virtual thread per exchange) serving the app's
 * {@code /up} and an Ollama-like API, each answer after its latency; and, where a Docker engine
 * answers, a running container to inspect. Started in each fork, or once per run by {@link
 * BenchHost}.
 *
 * <p>Not thread-safe: start and close on one thread; the servers themselves serve any thread.
 */
final class BenchServers implements AutoCloseable {
  private final EmbeddedPostgres pg;
  private final @Nullable DelayProxy pgProxy;
  private final HttpServer http;
  private @Nullable DockerClient docker;
  private @Nullable String containerId;
  private String dockerNote = "";

  private BenchServers(EmbeddedPostgres pg, @Nullable DelayProxy pgProxy, HttpServer http) {
    this.pg = pg;
    this.pgProxy = pgProxy;
    this.http = http;
  }

  /** Starts every server; the Docker container only where an engine answers. */
  static BenchServers start(BenchLatency latency) throws Exception {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("create table worker_heartbeat (worker text primary key, last_beat timestamptz)");
      st.execute("insert into worker_heartbeat values ('mailer', now())");
      st.execute("alter role postgres password 'bench'");
    }
    DelayProxy proxy = latency.postgres().isZero() ? null : DelayProxy.start(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), pg.getPort()), latency.postgres());
    HttpServer http = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    json(http, "/up", "{\"status\":\"ok\"}", latency.app());
    String model = "{\"models\":[{\"name\":\"tiny:latest\",\"model\":\"tiny:latest\"}]}";
    json(http, "/api/version", "{\"version\":\"0.12.0\"}", latency.ollamaPerRequest());
    json(http, "/api/tags", model, latency.ollamaPerRequest());
    json(http, "/api/ps", model, latency.ollamaPerRequest());
    http.start();
    BenchServers servers = new BenchServers(pg, proxy, http);
    servers.startDocker();
    return servers;
  }

  /** Where the checks reach these servers. */
  BenchEndpoints endpoints() {
    return new BenchEndpoints("jdbc:postgresql://127.0.0.1:" + pgPort() + "/postgres", pgPort(),
        httpBase(), containerId, dockerNote);
  }

  private int pgPort() {
    return pgProxy != null ? pgProxy.port() : pg.getPort();
  }

  private URI httpBase() {
    return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
  }

  private static void json(HttpServer http, String path, String body, Duration latency) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    http.createContext(path, (HttpExchange ex) -> {
      ex.getRequestBody().readAllBytes();
      if (!latency.isZero()) {
        try {
          Thread.sleep(latency);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    });
  }

  private void startDocker() {
    if (!LocalDocker.present()) {
      dockerNote = " (no container check: no Docker engine at " + LocalDocker.SOCKET + ")";
      return;
    }
    try {
      DockerClient client = LocalDocker.client();
      docker = client;
      client.pingCmd().exec();
      String id = client.createContainerCmd("deploykit.local/debian:trixie")
          .withCmd("sleep", "infinity")
          .withName("deploykit-bench-" + ProcessHandle.current().pid() + "-" + System.nanoTime())
          .withLabels(Map.of("dev.deploykit.bench", "true")).exec().getId();
      containerId = id;
      client.startContainerCmd(id).exec();
    } catch (RuntimeException e) {
      dockerNote = " (no container check: " + e.getClass().getSimpleName() + ": "
          + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")";
      stopDocker();
    }
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
    if (client != null) {
      try {
        client.close();
      } catch (IOException ignored) {
        // Closing anyway.
      }
    }
    docker = null;
  }

  @Override
  public void close() throws IOException {
    stopDocker();
    http.stop(0);
    if (pgProxy != null) {
      pgProxy.close();
    }
    pg.close();
  }
}
