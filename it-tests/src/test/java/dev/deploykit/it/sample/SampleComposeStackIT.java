package dev.deploykit.it.sample;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.core.ComposeFile;
import dev.deploykit.core.Role;
import dev.deploykit.core.Service;
import dev.deploykit.core.Stack;
import dev.deploykit.health.CheckContext;
import dev.deploykit.health.HealthResult;
import dev.deploykit.health.HealthStatus;
import dev.deploykit.health.checks.PostgresTarget;
import dev.deploykit.health.checks.WorkerHeartbeatCheck;
import dev.deploykit.health.wait.Deadline;
import dev.deploykit.health.wait.TimeSource;
import dev.deploykit.images.Recipes;
import dev.deploykit.it.support.DockerRequired;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * examples/compose.yaml as written: its four services started from the model that {@link
 * ComposeFile} reads (images, environment, network names as aliases), so the values the release
 * engine will use (database URL and password, the LLM's address and model, the health path) are
 * known to work together: a job posted to the app is done by the worker with the LLM, and the
 * worker's heartbeat is found under its container's hostname.
 */
@ExtendWith(DockerRequired.class)
class SampleComposeStackIT {
  private static final Path COMPOSE = Path.of(System.getProperty("deploykit.repository.root", ".."))
      .resolve("examples/compose.yaml");

  @Test
  void theComposeFilesServicesWorkTogether() throws Exception {
    Stack stack = ComposeFile.of(COMPOSE)
        .environment(Map.of("APP_VERSION", "v2", "WORKER_VERSION", "v2", "DB_PASSWORD", "it-compose-secret"))
        .load();
    Service db = stack.service("db").orElseThrow();
    Service llm = stack.service("llm").orElseThrow();
    Service app = stack.service("app").orElseThrow();
    Service worker = stack.service("worker").orElseThrow();
    assertThat(app.role()).isEqualTo(Role.WEB);
    assertThat(worker.role()).isEqualTo(Role.WORKER);
    assertThat(app.image()).isEqualTo(Recipes.sampleApp("v2").localName());
    assertThat(worker.image()).isEqualTo(Recipes.sampleWorker("v2").localName());
    SampleStack.image(Recipes.sampleApp("v2"));
    SampleStack.image(Recipes.sampleWorker("v2"));

    List<GenericContainer<?>> started = new ArrayList<>();
    try (Network network = Network.newNetwork()) {
      try {
        GenericContainer<?> pg = start(started, container(db, network, 5432)
            .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*\\s", 2)
                .withStartupTimeout(Duration.ofMinutes(2))));
        start(started, container(llm, network, 11434)
            .waitingFor(Wait.forHttp("/api/version").forPort(11434).withStartupTimeout(Duration.ofMinutes(2))));
        String jdbc = "jdbc:postgresql://" + pg.getHost() + ":" + pg.getMappedPort(5432) + "/"
            + db.environment().get("POSTGRES_DB");
        String user = db.environment().get("POSTGRES_USER");
        String password = db.environment().get("POSTGRES_PASSWORD");
        // What db-init does before a release starts.
        Flyway.configure().dataSource(jdbc, user, password).locations("classpath:db/migration").load().migrate();

        GenericContainer<?> web = start(started, container(app, network, app.probePort().orElseThrow())
            .waitingFor(Wait.forHttp(Optional.ofNullable(app.deploy().healthPath()).orElseThrow())
                .forPort(app.probePort().orElseThrow()).forStatusCode(200)
                .withStartupTimeout(Duration.ofMinutes(1))));
        GenericContainer<?> work = start(started, container(worker, network, null)
            .waitingFor(Wait.forLogMessage(".*ready \\(database answers\\).*\\s", 1)
                .withStartupTimeout(Duration.ofMinutes(1))));

        int port = app.probePort().orElseThrow();
        assertThat(SampleStack.get(SampleStack.url(web, port, "/version")).body()).contains("\"version\":\"v2\"");
        long t0 = System.nanoTime();
        HttpResponse<String> queued = SampleStack.post(SampleStack.url(web, port, "/jobs"), "Why is the sky blue?");
        assertThat(queued.statusCode()).isEqualTo(201);
        String id = queued.body().replaceAll("\\D", "");
        String hostname = DockerClientFactory.instance().client()
            .inspectContainerCmd(work.getContainerId()).exec().getConfig().getHostName();
        String job = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!job.contains("\"status\":\"done\"") && System.nanoTime() < deadline) {
          Thread.sleep(50);
          job = SampleStack.get(SampleStack.url(web, port, "/jobs/" + id)).body();
        }
        System.out.printf(Locale.ROOT, "compose stack: a job posted to the app was done by the worker"
            + " in %.0f ms: %s", (System.nanoTime() - t0) / 1e6, job);
        assertThat(job).contains("\"status\":\"done\"").contains("\"claimed_by\":\"" + hostname + "\"");

        // The release engine's worker gate: the heartbeat under the container's hostname.
        try (WorkerHeartbeatCheck check = WorkerHeartbeatCheck.builder(
                PostgresTarget.of(jdbc, user, password),
                "select last_beat from worker_heartbeats where worker = ?", hostname)
            .maxAge(Duration.ofSeconds(10)).build()) {
          HealthResult beat = check.check(CheckContext.of(Deadline.after(Duration.ofSeconds(10), TimeSource.system())));
          assertThat(beat.status()).as(beat.detail()).isEqualTo(HealthStatus.UP);
        }
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        try (Connection c = DriverManager.getConnection(jdbc, p)) {
          assertThat(SampleStack.query(c, "select version from worker_heartbeats where worker = '" + hostname + "'"))
              .containsExactly("v2");
        }
        assertThat(web.getLogs() + work.getLogs()).doesNotContain(password);
      } finally {
        for (int i = started.size() - 1; i >= 0; i--) {
          started.get(i).stop();
        }
      }
    }
  }

  /** A container for the service as Compose would run it: its image, environment and name. */
  private static GenericContainer<?> container(Service service, Network network, Integer port) {
    GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(service.image()))
        .withNetwork(network)
        .withNetworkAliases(service.name())
        .withEnv(service.environment())
        .withLabel("dev.deploykit.test", "sample-compose");
    if (port != null) {
      c.withExposedPorts(port);
    }
    return c;
  }

  private static GenericContainer<?> start(List<GenericContainer<?>> started, GenericContainer<?> c) {
    started.add(c);
    c.start();
    return c;
  }
}
