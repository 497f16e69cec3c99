package dev.deploykit.it.sample;

import static dev.deploykit.it.sample.SampleStack.get;
import static dev.deploykit.it.sample.SampleStack.post;
import static dev.deploykit.it.sample.SampleStack.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import dev.deploykit.images.Recipes;
import dev.deploykit.it.support.DockerRequired;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The sample app's image as the release engine will run it: health, version, PostgreSQL reads and
 * writes, a graceful stop, and each deliberate defect ({@code SAMPLE_FAULT}) as documented.
 */
@ExtendWith(DockerRequired.class)
class SampleAppIT {
  private static Network network;
  private static PostgreSQLContainer pg;
  private static String v1;
  private static String v2;

  @BeforeAll
  static void stack() {
    network = Network.newNetwork();
    pg = SampleStack.postgres(network);
    SampleStack.migrate(pg);
    v1 = SampleStack.image(Recipes.sampleApp("v1"));
    v2 = SampleStack.image(Recipes.sampleApp("v2"));
  }

  @AfterAll
  static void stop() {
    if (pg != null) {
      pg.stop();
    }
    if (network != null) {
      network.close();
    }
  }

  @Test
  void eachVersionIsItsOwnImageAndNamesItself() throws Exception {
    DockerClient docker = DockerClientFactory.instance().client();
    String id1 = docker.inspectImageCmd(v1).exec().getId();
    String id2 = docker.inspectImageCmd(v2).exec().getId();
    assertThat(v1).isEqualTo("deploykit.local/sample-app:v1");
    assertThat(id1).isNotEqualTo(id2);
    assertThat(docker.inspectImageCmd(v2).exec().getConfig().getEnv()).contains("APP_VERSION=v2");

    for (String image : List.of(v1, v2)) {
      try (GenericContainer<?> app = SampleStack.app(image, network).withEnv("DEPLOYKIT_RELEASE", "r-42")) {
        long t0 = System.nanoTime();
        app.start();
        System.out.printf(Locale.ROOT, "%s: container start to /up 200 in %.0f ms; %s%n", image,
            (System.nanoTime() - t0) / 1e6, lastLine(app.getLogs(), "ready"));
        String version = image.substring(image.lastIndexOf(':') + 1);
        HttpResponse<String> r = get(url(app, 8080, "/version"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"version\":\"" + version + "\"").contains("\"release\":\"r-42\"");
        assertThat(get(url(app, 8080, "/")).body()).contains("sample app " + version);
      }
    }
  }

  @Test
  void readsAndWritesPostgresAndQueuesJobs() throws Exception {
    try (GenericContainer<?> app = SampleStack.app(v1, network)) {
      app.start();
      HttpResponse<String> up = get(url(app, 8080, "/up"));
      assertThat(up.statusCode()).isEqualTo(200);
      assertThat(up.body()).isEqualTo("up\n");

      HttpResponse<String> written = post(url(app, 8080, "/notes"), "café \"quoted\" note");
      assertThat(written.statusCode()).isEqualTo(201);
      long id = Long.parseLong(written.body().replaceAll("\\D", ""));
      String notes = get(url(app, 8080, "/notes")).body();
      assertThat(notes).contains("{\"id\":" + id + ",\"body\":\"café \\\"quoted\\\" note\",\"written_by\":\"v1@");

      HttpResponse<String> job = post(url(app, 8080, "/jobs"), "Say hello");
      assertThat(job.statusCode()).isEqualTo(201);
      long jobId = Long.parseLong(job.body().replaceAll("\\D", ""));
      assertThat(get(url(app, 8080, "/jobs/" + jobId)).body())
          .contains("\"status\":\"queued\"").contains("\"result\":null");
      assertThat(get(url(app, 8080, "/jobs/999999")).statusCode()).isEqualTo(404);
      try (Connection c = SampleStack.connect(pg)) {
        assertThat(SampleStack.query(c, "select body from notes where id = " + id))
            .containsExactly("café \"quoted\" note");
        assertThat(SampleStack.query(c, "select prompt || '|' || status from jobs where id = " + jobId))
            .containsExactly("Say hello|queued");
      }
      assertThat(post(url(app, 8080, "/notes"), "").statusCode()).isEqualTo(400);
      assertThat(get(url(app, 8080, "/nowhere")).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void servesSustainedLoadOfReadsAndWritesWithoutAnError() throws Exception {
    try (GenericContainer<?> app = SampleStack.app(v1, network)) {
      app.start();
      java.util.concurrent.atomic.LongAdder served = new java.util.concurrent.atomic.LongAdder();
      java.util.concurrent.atomic.LongAdder writes = new java.util.concurrent.atomic.LongAdder();
      List<String> failures = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
      long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      long t0 = System.nanoTime();
      try (var clients = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
        for (int client = 0; client < 8; client++) {
          int c = client;
          clients.submit(() -> {
            for (int i = 0; System.nanoTime() < end; i++) {
              try {
                boolean write = i % 10 == c % 10;
                HttpResponse<String> r = write
                    ? post(url(app, 8080, "/notes"), "load " + c + "-" + i)
                    : get(url(app, 8080, i % 2 == 0 ? "/version" : "/up"));
                if (r.statusCode() / 100 != 2) {
                  failures.add(r.statusCode() + " " + r.body());
                } else if (write) {
                  writes.increment();
                }
                served.increment();
              } catch (IOException | InterruptedException e) {
                failures.add(e.toString());
              }
            }
          });
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(Locale.ROOT, "load: %d requests (%d note writes) in %.1f s from 8 clients:"
          + " %.0f requests/s, %d failed%n", served.sum(), writes.sum(), seconds,
          served.sum() / seconds, failures.size());
      assertThat(failures).isEmpty();
      assertThat(writes.sum()).isPositive();
    }
  }

  @Test
  void upTurns503WhenTheDatabaseIsUnreachable() throws Exception {
    try (GenericContainer<?> app = SampleStack.app(v1, network)
        .withEnv("DB_URL", "jdbc:postgresql://no-such-db:5432/app")
        .waitingFor(Wait.forHttp("/version").forPort(8080))) {
      app.start();
      HttpResponse<String> up = get(url(app, 8080, "/up"));
      assertThat(up.statusCode()).isEqualTo(503);
      assertThat(up.body()).startsWith("database does not answer");
      assertThat(get(url(app, 8080, "/version")).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void sigtermFinishesTheRequestInFlightRefusesNewOnesAndExitsZero() throws Exception {
    try (GenericContainer<?> app = SampleStack.app(v1, network)) {
      app.start();
      var uri = url(app, 8080, "/slow?ms=1500");
      CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
        try {
          return get(uri);
        } catch (IOException | InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      // The slow request is being served once the app has logged nothing new but answers /up.
      Thread.sleep(400);
      CompletableFuture<Long> exit = CompletableFuture.supplyAsync(
          () -> SampleStack.stopWithSigterm(app, Duration.ofSeconds(20)));
      HttpResponse<String> finished = inFlight.get(30, TimeUnit.SECONDS);
      assertThat(finished.statusCode()).isEqualTo(200);
      assertThat(finished.body()).isEqualTo("slept 1500 ms in v1\n");
      assertThat(exit.get(30, TimeUnit.SECONDS)).as("exit code after SIGTERM").isZero();
      String logs = app.getLogs();
      assertThat(logs).contains("SIGTERM: no new connections; 1 request(s) in flight")
          .contains("0 request(s) unfinished");
      System.out.println("stop: " + lastLine(logs, "stopped in"));
    }
  }

  @Test
  void exitAtBootExitsWithStatus3BeforeListening() throws Exception {
    // From the environment, and baked into an image of its own.
    assertThat(runToExit(v1, Map.of("SAMPLE_FAULT", "exit-at-boot"))).isEqualTo(3);
    String baked = SampleStack.image(Recipes.sampleApp("v1-exits", "exit-at-boot"));
    assertThat(runToExit(baked, Map.of())).isEqualTo(3);
    assertThat(runToExit(v1, Map.of("SAMPLE_FAULT", "explode"))).as("an unknown fault").isEqualTo(2);
  }

  @Test
  void neverHealthyServesEverythingButUp() throws Exception {
    try (GenericContainer<?> app = SampleStack.app(v1, network)
        .withEnv("SAMPLE_FAULT", "never-healthy")
        .waitingFor(Wait.forHttp("/version").forPort(8080))) {
      app.start();
      for (int i = 0; i < 5; i++) {
        HttpResponse<String> up = get(url(app, 8080, "/up"));
        assertThat(up.statusCode()).isEqualTo(503);
        assertThat(up.body()).contains("never-healthy");
        Thread.sleep(200);
      }
      assertThat(get(url(app, 8080, "/version")).statusCode()).isEqualTo(200);
      assertThat(post(url(app, 8080, "/notes"), "still writes").statusCode()).isEqualTo(201);
    }
  }

  @Test
  void wrongPortListensOnTheNextPortOnly() throws Exception {
    try (GenericContainer<?> app = SampleStack.app(v1, network)
        .withEnv("SAMPLE_FAULT", "wrong-port")
        .withExposedPorts(8080, 8081)
        .waitingFor(Wait.forHttp("/up").forPort(8081).forStatusCode(200))) {
      app.start();
      assertThat(get(url(app, 8081, "/up")).statusCode()).isEqualTo(200);
      assertThatThrownBy(() -> get(url(app, 8080, "/up"))).isInstanceOf(IOException.class);
      assertThat(app.getLogs()).contains("wrong-port: listening on 8081 instead of 8080");
    }
  }

  @Test
  void unhealthyAfterTurnsUp503ButKeepsServing() throws Exception {
    try (GenericContainer<?> app = SampleStack.app(v1, network)
        .withEnv("SAMPLE_FAULT", "unhealthy-after:2s")) {
      long t0 = System.nanoTime();
      app.start();
      assertThat(get(url(app, 8080, "/up")).statusCode()).as("healthy first").isEqualTo(200);
      HttpResponse<String> up;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      do {
        Thread.sleep(100);
        up = get(url(app, 8080, "/up"));
      } while (up.statusCode() == 200 && System.nanoTime() < deadline);
      System.out.printf(Locale.ROOT, "unhealthy-after:2s: /up went 503 %.1f s after start%n",
          (System.nanoTime() - t0) / 1e9);
      assertThat(up.statusCode()).isEqualTo(503);
      assertThat(up.body()).contains("unhealthy-after");
      assertThat(get(url(app, 8080, "/version")).statusCode()).isEqualTo(200);
      assertThat(post(url(app, 8080, "/notes"), "still writes").statusCode()).isEqualTo(201);
      assertThat(get(url(app, 8080, "/up")).statusCode()).as("and stays unhealthy").isEqualTo(503);
    }
  }

  /** Runs the image to its exit and returns the exit code; the container is removed. */
  private static long runToExit(String image, Map<String, String> env) throws Exception {
    DockerClient docker = DockerClientFactory.instance().client();
    CreateContainerResponse created = docker.createContainerCmd(image)
        .withEnv(env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
        .withLabels(Map.of("dev.deploykit.test", "sample"))
        .exec();
    try {
      docker.startContainerCmd(created.getId()).exec();
      Integer code = docker.waitContainerCmd(created.getId())
          .exec(new WaitContainerResultCallback())
          .awaitStatusCode(60, TimeUnit.SECONDS);
      return code;
    } finally {
      docker.removeContainerCmd(created.getId()).withForce(true).withRemoveVolumes(true).exec();
    }
  }

  private static String lastLine(String logs, String containing) {
    Matcher m = Pattern.compile("(?m)^.*" + Pattern.quote(containing) + ".*$").matcher(logs);
    String last = "(no line with \"" + containing + "\")";
    while (m.find()) {
      last = m.group().strip();
    }
    return last;
  }
}
