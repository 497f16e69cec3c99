package dev.deploykit.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploykit.core.Deployer;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.HeldLock;
import dev.deploykit.images.Recipes;
import dev.deploykit.it.support.DockerRequired;
import dev.deploykit.it.support.StandInImageSubstitutor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The built command on a real engine, one stack through its life: deploy v1, deploy v2, status,
 * health --json, releases, rollback, a refused release, a held lock, an interrupted deploy and
 * the rerun that converges. The stack is the sample app (its images built from this repository)
 * in front of PostgreSQL 18.1, migrated by the release's db-init step.
 */
@ExtendWith(DockerRequired.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
class CliDeployIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(4);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String stack = "cli-it-" + UUID.randomUUID().toString().substring(0, 8);
  private Path file;
  private int port;
  private DockerHost host;

  @BeforeAll
  void images() throws Exception {
    for (String v : new String[] {"v1", "v2"}) {
      StandInImageSubstitutor.images().build(Recipes.sampleApp(v));
    }
    port = Cli.freePort();
    Path dir = Files.createTempDirectory("deploykit-cli-it");
    file = dir.resolve("compose.yaml");
    Files.writeString(file, """
        name: %s
        x-deploykit:
          proxy_port: %d
          retain: 3
          db_init:
            service: db
            database: app
            user: app
            password: ${DB_PASSWORD:-cli-it-secret}
            migrations: %s
        services:
          db:
            image: postgres:18.1
            environment:
              POSTGRES_DB: app
              POSTGRES_USER: app
              POSTGRES_PASSWORD: ${DB_PASSWORD:-cli-it-secret}
            healthcheck:
              test: ["CMD-SHELL", "pg_isready -U app -d app"]
              interval: 1s
              timeout: 2s
              retries: 60
          app:
            image: deploykit.local/sample-app:${APP_VERSION:-v1}
            environment:
              DB_URL: jdbc:postgresql://db:5432/app
              DB_USER: app
              DB_PASSWORD: ${DB_PASSWORD:-cli-it-secret}
              SAMPLE_FAULT:
            ports: ["8080"]
            depends_on:
              db:
                condition: service_healthy
            stop_grace_period: 5s
            x-deploykit:
              role: web
              health_path: /up
              deploy_timeout: 40s
              drain_timeout: 5s
              watch_window: 2s
        """.formatted(stack, port, Cli.SAMPLE_MIGRATIONS));
    host = DockerHost.local();
  }

  @AfterAll
  void down() {
    if (host != null) {
      Deployer.builder(host).build().down(stack, true);
      host.close();
    }
  }

  private Cli.Result cli(Map<String, String> env, String... args) throws Exception {
    return Cli.runStack(TIMEOUT, env, file, args);
  }

  private String version() throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/version"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body()).path("version").asText();
  }

  @Test
  @Order(1)
  void deploysV1ThenV2() throws Exception {
    Cli.Result v1 = cli(Map.of("APP_VERSION", "v1"), "deploy", "--version", "v1", "--bind", "127.0.0.1");
    assertThat(v1.exitCode()).as(v1.toString()).isZero();
    assertThat(v1.out()).contains("database prepared", "app: healthy after", "traffic switched", "is live");
    assertThat(version()).isEqualTo("v1");

    Cli.Result v2 = cli(Map.of("APP_VERSION", "v2"), "deploy", "--version", "v2", "--bind", "127.0.0.1", "--json");
    assertThat(v2.exitCode()).as(v2.toString()).isZero();
    JsonNode doc = JSON.readTree(v2.out());
    assertThat(doc.path("outcome").asText()).isEqualTo("deployed");
    assertThat(doc.path("result").path("release").path("version").asText()).isEqualTo("v2");
    assertThat(doc.path("events").findValuesAsText("event")).contains("HealthGatePassed", "TrafficSwitched", "LockReleased");
    assertThat(version()).isEqualTo("v2");
  }

  @Test
  @Order(2)
  void statusHealthAndReleasesShowTheLiveRelease() throws Exception {
    Cli.Result status = cli(Map.of(), "status");
    assertThat(status.exitCode()).as(status.toString()).isZero();
    assertThat(status.out()).contains("live:", "(v2)", "lock:     free", "http://127.0.0.1:" + port);

    Cli.Result health = cli(Map.of(), "health", "--json");
    assertThat(health.exitCode()).as(health.toString()).isZero();
    JsonNode report = JSON.readTree(health.out());
    assertThat(report.path("status").asText()).isEqualTo("pass");
    assertThat(report.path("checks").has("app:http")).as("the web service through the proxy").isTrue();
    assertThat(report.path("checks").has("proxy")).isTrue();
    // db declares no probe: its health is its container's state; an image name is never taken for a probe.
    assertThat(report.path("checks").has("db")).isTrue();
    assertThat(report.path("checks").has("db:postgres")).isFalse();

    Cli.Result readiness = cli(Map.of(), "health", "--group", "readiness");
    assertThat(readiness.exitCode()).as(readiness.toString()).isZero();
    assertThat(readiness.out()).contains("app:http").doesNotContain("cli-it-secret");

    Cli.Result releases = cli(Map.of(), "releases", "--json");
    assertThat(releases.exitCode()).as(releases.toString()).isZero();
    JsonNode list = JSON.readTree(releases.out()).path("releases");
    assertThat(list).hasSize(2);
    assertThat(list.get(1).path("outcome").asText()).isEqualTo("LIVE");
    assertThat(list.get(0).path("outcome").asText()).isEqualTo("SUPERSEDED");
  }

  @Test
  @Order(3)
  void rollbackGoesBackToV1() throws Exception {
    Cli.Result r = cli(Map.of(), "rollback", "--bind", "127.0.0.1");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("is live");
    assertThat(version()).isEqualTo("v1");
    Cli.Result unknown = cli(Map.of(), "rollback", "no-such-release");
    assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(2);
    assertThat(unknown.err()).contains("no release no-such-release", "deploykit releases");
  }

  @Test
  @Order(4)
  void aReleaseThatExitsAtBootIsRefusedWithExit1() throws Exception {
    Cli.Result r = cli(Map.of("APP_VERSION", "v2", "SAMPLE_FAULT", "exit-at-boot"), "deploy", "--version", "v2-bad",
        "--bind", "127.0.0.1");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    assertThat(r.out()).contains("was refused", "The previous release still serves");
    assertThat(version()).isEqualTo("v1");
  }

  @Test
  @Order(5)
  void aHeldLockEndsWithExit3NamingTheOwnerAndLockRelease() throws Exception {
    String image = StandInImageSubstitutor.resolve("postgres:18.1");
    HeldLock lock = Deployer.builder(host).proxyImage(image).owner("alice@laptop").build().acquireLock(stack, "deploy");
    try {
      Cli.Result r = cli(Map.of("APP_VERSION", "v2"), "deploy", "--bind", "127.0.0.1");
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
      assertThat(r.err()).contains("locked by alice@laptop", "deploykit lock release");
      Cli.Result status = cli(Map.of(), "lock", "status");
      assertThat(status.exitCode()).as(status.toString()).isEqualTo(3);
      assertThat(status.out()).contains("held by alice@laptop");
      Cli.Result release = cli(Map.of(), "lock", "release");
      assertThat(release.exitCode()).as(release.toString()).isZero();
      assertThat(cli(Map.of(), "lock", "status").exitCode()).isZero();
    } finally {
      try {
        lock.close();
      } catch (RuntimeException alreadyReleased) {
        // lock release removed it
      }
    }
  }

  @Test
  @Order(6)
  void anInterruptedDeployExits130AsInterruptedAndTheRerunConverges() throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("APP_VERSION", "v2"));
    Process p = Cli.start(env, "-f", file.toString(), "deploy", "--version", "v2-cut", "--bind", "127.0.0.1", "--json");
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!Cli.outputSoFar(p).contains("app: started") && System.nanoTime() < deadline && p.isAlive()) {
      Thread.sleep(50);
    }
    // SIGTERM runs the same shutdown hook as a terminal's Ctrl-C (SIGINT), which a background
    // process may have been told to ignore.
    p.destroy();
    Cli.Result cut = Cli.await(p, Duration.ofMinutes(1));
    assertThat(cut.exitCode()).as(cut.toString()).isEqualTo(130);
    JsonNode doc = JSON.readTree(cut.out());
    assertThat(doc.path("ok").asBoolean(true)).isFalse();
    assertThat(doc.path("exitCode").asInt()).isEqualTo(130);
    assertThat(doc.path("status").asText()).isEqualTo("interrupted");
    assertThat(cut.err()).contains("interrupted", "run the same command again", "converges");

    Cli.Result rerun = cli(env, "deploy", "--version", "v2", "--bind", "127.0.0.1", "--json");
    assertThat(rerun.exitCode()).as(rerun.toString()).isZero();
    assertThat(JSON.readTree(rerun.out()).path("outcome").asText()).isEqualTo("deployed");
    assertThat(version()).isEqualTo("v2");
    JsonNode releases = JSON.readTree(cli(Map.of(), "releases", "--json").out()).path("releases");
    assertThat(releases.findValues("version").stream().map(JsonNode::asText)).contains("v2-cut");
    for (JsonNode r : releases) {
      if (r.path("version").asText().equals("v2-cut")) {
        assertThat(r.path("outcome").asText()).as("the cut release").isEqualTo("INTERRUPTED");
      }
    }
    assertThat(releases.get(releases.size() - 1).path("outcome").asText()).isEqualTo("LIVE");
    JsonNode status = JSON.readTree(cli(Map.of(), "status", "--json").out());
    assertThat(status.path("services").path("app")).as("one app container runs").hasSize(1);
    Cli.Result health = cli(Map.of(), "health");
    assertThat(health.exitCode()).as(health.toString()).isZero();
  }

  @Test
  @Order(7)
  void logsDbInitPruneAndConfigWorkOnTheLiveStack() throws Exception {
    Cli.Result logs = cli(Map.of(), "logs", "app", "-n", "20");
    assertThat(logs.exitCode()).as(logs.toString()).isZero();
    assertThat(logs.out()).contains("listening on port 8080");
    Cli.Result logsJson = cli(Map.of(), "logs", "app", "--json", "-n", "5");
    assertThat(logsJson.exitCode()).as(logsJson.toString()).isZero();
    assertThat(JSON.readTree(logsJson.out()).path("containers").get(0).path("lines").size()).isBetween(1, 5);
    Cli.Result noService = cli(Map.of(), "logs", "nope");
    assertThat(noService.exitCode()).as(noService.toString()).isEqualTo(2);
    assertThat(noService.err()).contains("has no service nope", "db, app");

    Cli.Result dbInit = cli(Map.of(), "db-init");
    assertThat(dbInit.exitCode()).as(dbInit.toString()).isZero();
    assertThat(dbInit.out()).contains("database prepared");

    Cli.Result prune = cli(Map.of(), "prune", "--json");
    assertThat(prune.exitCode()).as(prune.toString()).isZero();
    assertThat(JSON.readTree(prune.out()).path("stack").asText()).isEqualTo(stack);

    Cli.Result config = cli(Map.of(), "config");
    assertThat(config.exitCode()).as(config.toString()).isZero();
    assertThat(config.out()).contains("db_init", "password: '***'").doesNotContain("cli-it-secret");
    assertThat(version()).isEqualTo("v2");
  }
}
