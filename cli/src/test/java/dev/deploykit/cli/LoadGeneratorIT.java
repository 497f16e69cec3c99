package dev.deploykit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The load generator against a loopback server: what counts as served, failed, and for which version. */
class LoadGeneratorIT {
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    route("/json", 200, "{\"version\":\"v1\",\"host\":\"a\"}");
    route("/plain", 200, "v2\n");
    route("/created", 201, "v3");
    route("/sick", 503, "unhealthy");
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void route(String path, int status, String body) {
    server.createContext(path, ex -> {
      try (ex) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(bytes);
        }
      }
    });
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  @Test
  void every2xxAnswerIsServedAndCountsForItsVersion() throws Exception {
    for (String path : new String[] {"/json", "/plain", "/created"}) {
      try (LoadGenerator load = LoadGenerator.builder(uri(path)).clients(2).start()) {
        await(() -> load.served() >= 3);
        assertThat(load.served()).as(path).isGreaterThanOrEqualTo(3);
        assertThat(load.failed()).as(path).isZero();
        assertThat(load.failures()).isEmpty();
        assertThat(load.lastFailure()).isEmpty();
      }
    }
    try (LoadGenerator json = LoadGenerator.builder(uri("/json")).clients(1).start();
        LoadGenerator plain = LoadGenerator.builder(uri("/plain")).clients(1).start()) {
      long before = System.nanoTime();
      await(() -> json.served() > 0 && plain.served() > 0);
      assertThat(json.byVersion()).containsOnlyKeys("v1");
      assertThat(plain.byVersion()).containsOnlyKeys("v2");
      assertThat(json.firstSeen("v1").orElseThrow()).isGreaterThan(before);
      assertThat(json.firstSeen("v2")).isEmpty();
    }
  }

  @Test
  void anyOtherStatusOrNoAnswerIsAFailureWithItsDescription() throws Exception {
    try (LoadGenerator sick = LoadGenerator.builder(uri("/sick")).clients(1).pause(Duration.ofMillis(5)).start()) {
      await(() -> sick.failed() >= 12);
      assertThat(sick.served()).isZero();
      assertThat(sick.failures()).hasSize(10).allSatisfy(f -> assertThat(f).isEqualTo("HTTP 503: unhealthy"));
      assertThat(sick.lastFailure()).contains("HTTP 503: unhealthy");
    }
    int refused;
    try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      refused = socket.getLocalPort();
    }
    try (LoadGenerator gone = LoadGenerator.builder(URI.create("http://127.0.0.1:" + refused + "/")).clients(1)
        .pause(Duration.ofMillis(5)).start()) {
      await(() -> gone.failed() > 0);
      assertThat(gone.lastFailure()).hasValueSatisfying(f -> assertThat(f).startsWith("ConnectException"));
    }
  }

  @Test
  void theSettingsAreValidated() {
    LoadGenerator.Builder b = LoadGenerator.builder(uri("/json"));
    assertThatThrownBy(() -> b.clients(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clients");
    assertThatThrownBy(() -> b.pause(Duration.ofMillis(-1))).hasMessageContaining("pause");
    assertThatThrownBy(() -> b.timeLimit(Duration.ZERO)).hasMessageContaining("timeLimit");
    assertThatThrownBy(() -> b.requestTimeout(Duration.ZERO)).hasMessageContaining("requestTimeout");
    assertThatThrownBy(() -> LoadGenerator.builder(URI.create("ftp://x/"))).hasMessageContaining("http(s)");
  }
}
