package dev.deploykit.health.checks;

import static dev.deploykit.health.checks.LoopbackServers.respond;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.health.CheckSpec;
import dev.deploykit.health.ComponentHealth;
import dev.deploykit.health.HealthReport;
import dev.deploykit.health.HealthResult;
import dev.deploykit.health.HealthRunner;
import dev.deploykit.health.HealthStatus;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HttpCheckIT {
  // Generous: the first TLS handshake of a cold JVM on a loaded machine takes a while.
  private static final Duration DEADLINE = Duration.ofSeconds(5);

  @Test
  void upOnAnExpectedAnswerOverOneKeptConnection() throws Exception {
    Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    try (LoopbackServers.Http server = new LoopbackServers.Http()
        .route("/up", ex -> {
          clientPorts.add(ex.getRemoteAddress().getPort());
          respond(ex, 200, "application/json", "{\"status\":\"ok\"}");
        });
        HttpCheck check = HttpCheck.builder(server.uri("/up"))
            .bodyMatches(Pattern.compile("\"status\":\"ok\"")).build()) {
      for (int i = 0; i < 5; i++) {
        HealthResult r = Checks.run(check, DEADLINE);
        assertThat(r.status()).isEqualTo(HealthStatus.UP);
        assertThat(r.data()).containsEntry("status", 200);
      }
      assertThat(clientPorts).as("keep-alive: one TCP connection for five checks").hasSize(1);
    }
  }

  @Test
  void downOnAnUnexpectedStatusOrBody() throws Exception {
    try (LoopbackServers.Http server = new LoopbackServers.Http()
        .json("/err", 503, "{}").json("/body", 200, "{\"status\":\"starting\"}");
        HttpCheck status = HttpCheck.builder(server.uri("/err")).build();
        HttpCheck body = HttpCheck.builder(server.uri("/body"))
            .bodyMatches(Pattern.compile("\"ok\"")).build()) {
      HealthResult r = Checks.run(status, DEADLINE);
      assertThat(r.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(r.detail()).contains("HTTP 503", "expected 200-399");
      HealthResult b = Checks.run(body, DEADLINE);
      assertThat(b.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(b.detail()).contains("does not match");
    }
  }

  @Test
  void refusedPort() throws Exception {
    URI url = URI.create("http://127.0.0.1:" + LoopbackServers.refusedPort() + "/up");
    try (HttpCheck check = HttpCheck.builder(url).build()) {
      HealthResult r = Checks.run(check, DEADLINE);
      assertThat(r.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(r.detail()).startsWith("connection refused by");
    }
  }

  @Test
  void unresolvableHost() throws Exception {
    try (HttpCheck check = HttpCheck.builder(URI.create("http://no-such-host.invalid/up"))
        .build()) {
      HealthResult r = Checks.run(check, DEADLINE);
      assertThat(r.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(r.detail()).startsWith("cannot resolve host of http://no-such-host.invalid");
    }
  }

  @Test
  void aServerThatAcceptsAndNeverAnswers() throws Exception {
    try (LoopbackServers.Raw server = new LoopbackServers.Raw(LoopbackServers.Behaviour.SILENT);
        HttpCheck check = HttpCheck.builder(server.uri("http", "/up")).build()) {
      HealthResult r = Checks.run(check, Duration.ofMillis(200));
      assertThat(r.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(r.detail()).contains("no complete answer", "before the deadline");
    }
  }

  @Test
  void aResponseThatNeverEnds() throws Exception {
    try (LoopbackServers.Raw server =
            new LoopbackServers.Raw(LoopbackServers.Behaviour.NEVER_ENDING);
        HttpCheck check = HttpCheck.builder(server.uri("http", "/up")).build()) {
      HealthResult r = Checks.run(check, Duration.ofMillis(200));
      assertThat(r.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(r.detail()).contains("no complete answer");
    }
  }

  @Test
  void tlsHandshakeFailure() throws Exception {
    try (LoopbackServers.Raw server =
            new LoopbackServers.Raw(LoopbackServers.Behaviour.PLAIN_TEXT);
        HttpCheck check = HttpCheck.builder(server.uri("https", "/up")).build()) {
      HealthResult r = Checks.run(check, DEADLINE);
      assertThat(r.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(r.detail()).startsWith("TLS handshake with https://127.0.0.1:" + server.port());
    }
  }

  @Test
  void credentialsInTheUrlAndHeaderValuesAreNeverShown() throws Exception {
    int port = LoopbackServers.refusedPort();
    try (HttpCheck check = HttpCheck.builder(
            URI.create("http://admin:hunter2@127.0.0.1:" + port + "/up?token=s3cr3t"))
        .header("Authorization", "Bearer s3cr3t-header").build()) {
      HealthResult r = Checks.run(check, DEADLINE);
      assertThat(r.detail()).doesNotContain("hunter2", "s3cr3t", "admin");
      assertThat(check.toString()).doesNotContain("hunter2", "s3cr3t", "admin");
    }
  }

  @Test
  void aRunnerOverEveryBadInputAnswersByItsDeadlineWithAllDown() throws Exception {
    try (LoopbackServers.Raw silent = new LoopbackServers.Raw(LoopbackServers.Behaviour.SILENT);
        LoopbackServers.Raw endless =
            new LoopbackServers.Raw(LoopbackServers.Behaviour.NEVER_ENDING);
        LoopbackServers.Raw plain = new LoopbackServers.Raw(LoopbackServers.Behaviour.PLAIN_TEXT);
        HttpCheck a = HttpCheck.builder(silent.uri("http", "/")).build();
        HttpCheck b = HttpCheck.builder(endless.uri("http", "/")).build();
        HttpCheck c = HttpCheck.builder(plain.uri("https", "/")).build();
        HttpCheck d = HttpCheck.builder(URI.create("http://127.0.0.1:"
            + LoopbackServers.refusedPort())).build();
        HttpCheck e = HttpCheck.builder(URI.create("http://nowhere.invalid/")).build();
        HealthRunner runner = HealthRunner.builder()
            .add(CheckSpec.of("silent", a).timeout(Duration.ofMillis(300)))
            .add(CheckSpec.of("endless", b).timeout(Duration.ofMillis(300)))
            .add("tls", c).add("refused", d).add("unresolvable", e)
            .deadline(Duration.ofSeconds(2)).build()) {
      HealthReport report = runner.run();
      assertThat(report.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(report.checks()).extracting(ComponentHealth::status)
          .containsOnly(HealthStatus.DOWN);
      assertThat(report.checks()).allSatisfy(ch ->
          assertThat(ch.result().detail()).doesNotContain("\n").isNotBlank());
    }
  }
}
