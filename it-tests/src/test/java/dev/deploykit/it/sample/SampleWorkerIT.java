package dev.deploykit.it.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.health.CheckContext;
import dev.deploykit.health.HealthResult;
import dev.deploykit.health.HealthStatus;
import dev.deploykit.health.checks.PostgresTarget;
import dev.deploykit.health.checks.WorkerHeartbeatCheck;
import dev.deploykit.health.wait.Deadline;
import dev.deploykit.health.wait.TimeSource;
import dev.deploykit.images.Recipes;
import dev.deploykit.it.support.DockerRequired;
import dev.deploykit.llm.OllamaServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.ollama.OllamaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The sample worker's image with PostgreSQL and the Ollama service (the real llama.cpp stand-in
 * where the official image cannot be pulled): jobs done exactly once, also while workers are
 * replaced under a continuous stream of new jobs, and a heartbeat that deploykit's worker check
 * reads.
 */
@ExtendWith(DockerRequired.class)
class SampleWorkerIT {
  private static final Pattern DONE = Pattern.compile("done job (\\d+) by (\\S+)");
  private static final String HEARTBEAT_QUERY = "select last_beat from worker_heartbeats where worker = ?";

  private static Network network;
  private static PostgreSQLContainer pg;
  private static OllamaContainer llm;
  private static String workerImage;

  @BeforeAll
  static void stack() {
    network = Network.newNetwork();
    pg = SampleStack.postgres(network);
    SampleStack.migrate(pg);
    llm = new OllamaContainer(DockerImageName.parse("ollama/ollama:" + OllamaServer.VERSION))
        .withNetwork(network)
        .withNetworkAliases("llm");
    llm.start();
    workerImage = SampleStack.image(Recipes.sampleWorker("v1"));
  }

  @AfterAll
  static void stop() {
    if (llm != null) {
      llm.stop();
    }
    if (pg != null) {
      pg.stop();
    }
    if (network != null) {
      network.close();
    }
  }

  @BeforeEach
  void emptyQueue() throws SQLException {
    try (Connection c = SampleStack.connect(pg); var s = c.createStatement()) {
      s.execute("truncate jobs, worker_heartbeats");
    }
  }

  @Test
  void doesEveryJobOnceWithTheLlmAndItsHeartbeatAdvances() throws Exception {
    List<Long> ids = new ArrayList<>();
    try (Connection c = SampleStack.connect(pg)) {
      for (int i = 0; i < 20; i++) {
        ids.add(enqueue(c, "Tell me about job " + i));
      }
    }
    try (GenericContainer<?> worker = worker("w-solo")) {
      long t0 = System.nanoTime();
      worker.start();
      try (Connection c = SampleStack.connect(pg)) {
        awaitAllDone(c, Duration.ofMinutes(2));
        System.out.printf(Locale.ROOT, "one worker: %d jobs done %.1f s after its container start%n",
            ids.size(), (System.nanoTime() - t0) / 1e9);
        assertThat(SampleStack.query(c, "select count(*) from jobs where status = 'done'"
            + " and result is not null and model is not null and claimed_by = 'w-solo'"
            + " and done_at is not null")).containsExactly("20");

        // The heartbeat advances, and deploykit's own worker check reads it as UP.
        String first = SampleStack.query(c, "select last_beat from worker_heartbeats where worker = 'w-solo'").getFirst();
        String later = first;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (later.equals(first) && System.nanoTime() < deadline) {
          Thread.sleep(200);
          later = SampleStack.query(c, "select last_beat from worker_heartbeats where worker = 'w-solo'").getFirst();
        }
        assertThat(later).as("the beat after " + first).isNotEqualTo(first);
        assertThat(SampleStack.query(c, "select version || '|' || state || '|' || jobs_done"
            + " from worker_heartbeats where worker = 'w-solo'")).containsExactly("v1|running|20");
      }
      PostgresTarget target = PostgresTarget.of(pg.getJdbcUrl(), pg.getUsername(), pg.getPassword());
      try (WorkerHeartbeatCheck check = WorkerHeartbeatCheck.builder(target, HEARTBEAT_QUERY, "w-solo")
          .maxAge(Duration.ofSeconds(5)).build()) {
        HealthResult result = check.check(CheckContext.of(Deadline.after(Duration.ofSeconds(10), TimeSource.system())));
        assertThat(result.status()).as(result.detail()).isEqualTo(HealthStatus.UP);
      }
      assertThat(SampleStack.stopWithSigterm(worker, Duration.ofSeconds(30))).isZero();
      assertDoneOnce(List.of(SampleStack.logs(worker)), ids);
      try (Connection c = SampleStack.connect(pg)) {
        assertThat(SampleStack.query(c, "select state from worker_heartbeats where worker = 'w-solo'"))
            .containsExactly("stopped");
      }
    }
  }

  @Test
  void handsOverThreeTimesWhileJobsKeepComingAndDoesEachJobExactlyOnce() throws Exception {
    AtomicBoolean enqueueing = new AtomicBoolean(true);
    List<Long> ids = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicLong enqueueFailures = new AtomicLong();
    Thread producer = Thread.ofPlatform().name("enqueue").start(() -> {
      try (Connection c = SampleStack.connect(pg)) {
        int n = 0;
        while (enqueueing.get()) {
          ids.add(enqueue(c, "Continuous job " + n++));
          Thread.sleep(20);
        }
      } catch (SQLException e) {
        enqueueFailures.incrementAndGet();
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Map<String, String> logs = new LinkedHashMap<>();
    List<GenericContainer<?>> all = new ArrayList<>();
    long t0 = System.nanoTime();
    try {
      GenericContainer<?> current = worker("w1");
      all.add(current);
      current.start();
      for (int generation = 2; generation <= 4; generation++) {
        Thread.sleep(1500);
        GenericContainer<?> next = worker("w" + generation);
        all.add(next);
        next.start();
        awaitHeartbeat("w" + generation, Duration.ofSeconds(60));
        // The old worker finishes the job in hand and leaves; the new one takes over.
        assertThat(SampleStack.stopWithSigterm(current, Duration.ofSeconds(30)))
            .as("exit code of " + current.getContainerName()).isZero();
        logs.put("w" + (generation - 1), SampleStack.logs(current));
        current = next;
      }
      Thread.sleep(1500);
      enqueueing.set(false);
      producer.join(10_000);
      try (Connection c = SampleStack.connect(pg)) {
        awaitAllDone(c, Duration.ofMinutes(3));
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertThat(SampleStack.stopWithSigterm(current, Duration.ofSeconds(30))).isZero();
      logs.put("w4", SampleStack.logs(current));
      System.out.printf(Locale.ROOT, "hand-over: %d jobs enqueued continuously, 3 replacements,"
          + " all done in %.1f s (%.1f jobs/s overall)%n", ids.size(), seconds, ids.size() / seconds);
      logs.forEach((w, text) -> {
        Matcher stop = Pattern.compile("SIGTERM: [^\\n]*").matcher(text);
        Matcher retry = Pattern.compile("(LLM|database): [^\\n]*").matcher(text);
        long retries = 0;
        String firstRetry = "";
        while (retry.find()) {
          firstRetry = retries++ == 0 ? retry.group() : firstRetry;
        }
        System.out.printf(Locale.ROOT, "  %s: %d job(s), %d retried call(s) %s; %s%n", w,
            DONE.matcher(text).results().count(), retries, firstRetry,
            stop.find() ? stop.group() : "(no SIGTERM)");
      });
    } finally {
      enqueueing.set(false);
      producer.join(10_000);
      all.forEach(GenericContainer::stop);
    }
    assertThat(enqueueFailures.get()).isZero();
    assertThat(String.join("", logs.values())).as("no database or LLM call failed")
        .doesNotContain(" database: ").doesNotContain(" LLM: ");
    assertThat(ids).hasSizeGreaterThan(50);
    assertDoneOnce(logs.values(), ids);
    try (Connection c = SampleStack.connect(pg)) {
      assertThat(SampleStack.count(c, "select count(*) from jobs")).isEqualTo(ids.size());
      assertThat(SampleStack.count(c, "select count(*) from jobs where status <> 'done'")).isZero();
      assertThat(SampleStack.query(c, "select worker || '|' || state from worker_heartbeats order by worker"))
          .containsExactly("w1|stopped", "w2|stopped", "w3|stopped", "w4|stopped");
    }
  }

  @Test
  void aWorkerKilledMidJobLosesNoJobAndAnotherOneDoesIt() throws Exception {
    List<Long> ids = new ArrayList<>();
    try (Connection c = SampleStack.connect(pg)) {
      for (int i = 0; i < 300; i++) {
        ids.add(enqueue(c, "Backlog job " + i));
      }
    }
    try (GenericContainer<?> doomed = worker("w-killed"); GenericContainer<?> survivor = worker("w-survivor")) {
      doomed.start();
      survivor.start();
      try (Connection c = SampleStack.connect(pg)) {
        // Kill (SIGKILL: no stop hook runs) while both work through the backlog.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (SampleStack.count(c, "select count(*) from jobs where claimed_by = 'w-killed'") < 20) {
          assertThat(System.nanoTime()).as("w-killed took jobs").isLessThan(deadline);
          Thread.sleep(20);
        }
        org.testcontainers.DockerClientFactory.instance().client()
            .killContainerCmd(doomed.getContainerId()).exec();
        // Its sessions end once the server notices the closed sockets; then its transaction is
        // committed or rolled back for good.
        while (SampleStack.count(c, "select count(*) from pg_stat_activity"
            + " where application_name = 'deploykit-sample-worker w-killed'") > 0) {
          assertThat(System.nanoTime()).as("w-killed's sessions ended").isLessThan(deadline);
          Thread.sleep(20);
        }
        long killedDone = SampleStack.count(c, "select count(*) from jobs where claimed_by = 'w-killed'");
        awaitAllDone(c, Duration.ofMinutes(2));
        assertThat(SampleStack.count(c, "select count(*) from jobs where status = 'done'")).isEqualTo(ids.size());
        assertThat(SampleStack.count(c, "select count(*) from jobs where claimed_by = 'w-killed'"))
            .as("nothing recorded for the dead worker after its death").isEqualTo(killedDone);
        assertThat(SampleStack.query(c, "select state from worker_heartbeats where worker = 'w-killed'"))
            .as("no stop hook ran").containsExactly("running");
        System.out.printf(Locale.ROOT, "kill -9 mid-backlog: w-killed did %d, w-survivor %d of %d%n",
            killedDone, SampleStack.count(c, "select count(*) from jobs where claimed_by = 'w-survivor'"),
            ids.size());
      }
      // Each job appears at most once in the logs (a killed worker may die between its commit and
      // its log line), and the survivor logged every job it recorded.
      Map<Long, Integer> times = new HashMap<>();
      for (String text : List.of(SampleStack.logs(doomed), SampleStack.logs(survivor))) {
        DONE.matcher(text).results().forEach(m -> times.merge(Long.parseLong(m.group(1)), 1, Integer::sum));
      }
      assertThat(times.values()).allSatisfy(n -> assertThat(n).isEqualTo(1));
      assertThat(SampleStack.stopWithSigterm(survivor, Duration.ofSeconds(30))).isZero();
    }
  }

  private static GenericContainer<?> worker(String id) {
    return new GenericContainer<>(DockerImageName.parse(workerImage))
        .withNetwork(network)
        .withEnv("WORKER_ID", id)
        .withEnv("DB_URL", SampleStack.DB_URL_IN_NETWORK)
        .withEnv("DB_USER", "app")
        .withEnv("DB_PASSWORD", SampleStack.DB_PASSWORD)
        .withEnv("OLLAMA_URL", "http://llm:11434")
        .withEnv("OLLAMA_MODEL", "tiny")
        .withEnv("HEARTBEAT_INTERVAL", "500ms")
        .withEnv("POLL_INTERVAL", "50ms")
        .withLabel("dev.deploykit.test", "sample")
        .waitingFor(org.testcontainers.containers.wait.strategy.Wait.forLogMessage(".*ready \\(database answers\\).*\\s", 1)
            .withStartupTimeout(Duration.ofMinutes(1)));
  }

  private static long enqueue(Connection c, String prompt) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("insert into jobs (prompt) values (?) returning id")) {
      st.setString(1, prompt);
      try (var rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static void awaitAllDone(Connection c, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    long queued;
    while ((queued = SampleStack.count(c, "select count(*) from jobs where status = 'queued'")) > 0
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(queued).as("jobs still queued after " + timeout).isZero();
  }

  private static void awaitHeartbeat(String worker, Duration timeout) throws Exception {
    try (Connection c = SampleStack.connect(pg)) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (SampleStack.count(c, "select count(*) from worker_heartbeats where worker = '" + worker
          + "' and state = 'running'") == 0) {
        assertThat(System.nanoTime()).as("heartbeat of " + worker).isLessThan(deadline);
        Thread.sleep(50);
      }
    }
  }

  /** Every job appears in exactly one "done job" log line, and the database agrees on who. */
  private static void assertDoneOnce(java.util.Collection<String> logs, List<Long> ids) throws SQLException {
    Map<Long, List<String>> doneBy = new HashMap<>();
    for (String text : logs) {
      Matcher m = DONE.matcher(text);
      while (m.find()) {
        doneBy.computeIfAbsent(Long.parseLong(m.group(1)), k -> new ArrayList<>()).add(m.group(2));
      }
    }
    assertThat(doneBy.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(doneBy.entrySet()).allSatisfy(e ->
        assertThat(e.getValue()).as("workers that did job " + e.getKey()).hasSize(1));
    try (Connection c = SampleStack.connect(pg)) {
      for (String row : SampleStack.query(c, "select id || '|' || claimed_by from jobs")) {
        String[] parts = row.split("\\|");
        assertThat(doneBy.get(Long.parseLong(parts[0]))).containsExactly(parts[1]);
      }
    }
  }
}
