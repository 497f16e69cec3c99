package dev.deploykit.it.release;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.DeployResult;
import dev.deploykit.core.Deployer;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.Release;
import dev.deploykit.it.support.DockerRequired;
import dev.deploykit.cli.LoadGenerator;
import dev.deploykit.it.support.StandInImageSubstitutor;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The release engine on the sample stack of {@code examples/compose.yaml} (PostgreSQL 18.1, the
 * Ollama service, the app and the worker), with load running: swaps v1 -> v2 -> v3 and a rollback
 * to v2 without a failed request, bad releases refused or rolled back, and workers handed over
 * three times without losing or repeating a job.
 */
@ExtendWith(DockerRequired.class)
// Among the longest classes: started first when classes run side by side (it-tests/pom.xml).
@Order(2)
class SampleReleaseIT {
  private static final Logger log = LoggerFactory.getLogger(SampleReleaseIT.class);
  private static final Pattern DONE = Pattern.compile("done job (\\d+) by (\\S+)");

  private final String stack = "itsample" + UUID.randomUUID().toString().substring(0, 6);
  private final List<DeployEvent> events = new CopyOnWriteArrayList<>();
  /** System.nanoTime() at each app health gate passed, by release id. */
  private final Map<String, Long> gatePassedAt = new ConcurrentHashMap<>();
  private DockerHost host;
  private Deployer deployer;
  private int port;

  @BeforeAll
  static void images() {
    SampleRelease.buildImages(List.of("v1", "v2", "v3"));
  }

  @BeforeEach
  void setUp() throws Exception {
    host = DockerHost.local();
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    deployer = Deployer.builder(host)
        .proxyImage(StandInImageSubstitutor.resolve(Deployer.DEFAULT_PROXY_IMAGE))
        .proxyBindAddress("127.0.0.1")
        .owner("it@sample-release")
        .listener(e -> {
          events.add(e);
          if (e instanceof DeployEvent.HealthGatePassed g && g.service().equals("app")) {
            gatePassedAt.put(g.container(), System.nanoTime());
          }
        })
        .build();
  }

  @AfterEach
  void tearDown() {
    deployer.down(stack, true);
    host.close();
  }

  @Test
  void swapsV1V2V3AndRollsBackToV2UnderLoadWithoutAFailedRequest() throws Exception {
    assertThat(deploy("v1", Map.of())).isInstanceOf(DeployResult.Deployed.class);
    assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOf(DeployEvent.DatabasePrepared.class));
    assertThat(get("/")).contains("v1");
    ContainerState dbBefore = host.inspect(stack + "-db", stack + "_default").orElseThrow();
    List<DeployResult> results = new ArrayList<>();
    try (LoadGenerator load = LoadGenerator.builder(URI.create("http://127.0.0.1:" + port + "/")).clients(8)
        .timeLimit(Duration.ofMinutes(5)).start()) {
      Thread.sleep(1000);
      results.add(deploy("v2", Map.of()));
      results.add(deploy("v3", Map.of()));
      results.add(deployer.rollback(stack));
      Thread.sleep(1000);
      log.info("swap v1 -> v2 -> v3 -> rollback to v2: {} requests served, {} failed, {} req/s, by body {}",
          load.served(), load.failed(), String.format("%.0f", load.requestsPerSecond()), load.byVersion());
      assertThat(load.failed()).as("failed requests: %s", load.failures()).isZero();
      assertThat(load.byVersion().keySet()).containsExactlyInAnyOrder(
          "deploykit sample app v1", "deploykit sample app v2", "deploykit sample app v3");
      for (String v : List.of("v2", "v3")) {
        long firstAnswer = load.firstSeen("deploykit sample app " + v).orElseThrow();
        long gate = gatePassedAt.entrySet().stream()
            .filter(e -> e.getKey().contains(releaseOf(results, v))).mapToLong(Map.Entry::getValue)
            .findFirst().orElseThrow();
        assertThat(firstAnswer).as("%s answered only after its health gate", v).isGreaterThan(gate);
      }
    }
    assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOf(DeployResult.Deployed.class));
    assertThat(Optional.ofNullable(results.getLast().release().rollbackOf())).contains(results.getFirst().release().id());
    assertThat(get("/")).as("rolled back to v2's images and configuration").contains("v2");
    ContainerState dbAfter = host.inspect(stack + "-db", stack + "_default").orElseThrow();
    assertThat(dbAfter.id()).as("accessories are kept, never recreated by a deploy").isEqualTo(dbBefore.id());
    assertThat(dbAfter.restarts()).isEqualTo(dbBefore.restarts());
    assertThat(dbAfter.running()).isTrue();
    assertThat(events).filteredOn(e -> e instanceof DeployEvent.AccessoryReady a && a.service().equals("db"))
        .extracting(e -> ((DeployEvent.AccessoryReady) e).created()).containsExactly(true, false, false, false);
    reportSwaps();
  }

  @Test
  void badReleasesAreRefusedOrRolledBackWhileTheOldOneServes() throws Exception {
    assertThat(deploy("v1", Map.of())).isInstanceOf(DeployResult.Deployed.class);
    Map<String, DeployResult> outcomes = new java.util.LinkedHashMap<>();
    try (LoadGenerator load = LoadGenerator.builder(URI.create("http://127.0.0.1:" + port + "/")).clients(6)
        .timeLimit(Duration.ofMinutes(6)).start()) {
      outcomes.put("exit-at-boot", deploy("v2", Map.of("SAMPLE_FAULT", "exit-at-boot")));
      outcomes.put("never-healthy", deploy("v2", Map.of("SAMPLE_FAULT", "never-healthy")));
      outcomes.put("wrong-port", deploy("v2", Map.of("SAMPLE_FAULT", "wrong-port")));
      outcomes.put("unhealthy-after", deploy("v2",
          Map.of("SAMPLE_FAULT", "unhealthy-after:1s", "WATCH_WINDOW", "8s")));
      int startedBefore = count(DeployEvent.ContainerStarted.class);
      outcomes.put("missing-image", deploy("v404", Map.of()));
      assertThat(count(DeployEvent.ContainerStarted.class)).as("a missing image touches nothing")
          .isEqualTo(startedBefore);
      Thread.sleep(500);
      log.info("4 bad releases and a missing image under load: {} served, {} failed", load.served(), load.failed());
      assertThat(load.failed()).as("failed requests: %s", load.failures()).isZero();
    }
    outcomes.forEach((fault, r) -> log.info("{}: {} - {}", fault, r.getClass().getSimpleName(),
        r instanceof DeployResult.Refused f ? f.reason() : r instanceof DeployResult.RolledBack b ? b.reason() : ""));
    assertThat(outcomes.get("exit-at-boot")).isInstanceOfSatisfying(DeployResult.Refused.class, r -> {
      assertThat(r.reason()).contains("exited with code 3");
      assertThat(r.logs()).isNotEmpty();
    });
    assertThat(outcomes.get("never-healthy")).isInstanceOfSatisfying(DeployResult.Refused.class,
        r -> assertThat(r.reason()).contains("/up on port 8080 never answered 2xx within 20 s").contains("503"));
    assertThat(outcomes.get("wrong-port")).isInstanceOfSatisfying(DeployResult.Refused.class,
        r -> assertThat(r.reason()).contains("never answered 2xx"));
    assertThat(outcomes.get("unhealthy-after")).isInstanceOfSatisfying(DeployResult.RolledBack.class,
        r -> assertThat(r.reason()).contains("turned unhealthy"));
    assertThat(outcomes.get("missing-image")).isInstanceOfSatisfying(DeployResult.Refused.class,
        r -> assertThat(r.reason()).contains("sample-app:v404"));
    assertThat(get("/")).contains("v1");
    assertThat(deployer.history(stack).releases()).extracting(Release::outcome).containsExactly(
        Release.Outcome.LIVE, Release.Outcome.REFUSED, Release.Outcome.REFUSED, Release.Outcome.REFUSED,
        Release.Outcome.ROLLED_BACK, Release.Outcome.REFUSED);
  }

  @Test
  void workersHandOverThreeTimesWithoutLosingOrRepeatingAJob() throws Exception {
    assertThat(deploy("v1", Map.of())).isInstanceOf(DeployResult.Deployed.class);
    AtomicBoolean enqueueing = new AtomicBoolean(true);
    AtomicInteger enqueueFailures = new AtomicInteger();
    List<Long> ids = new CopyOnWriteArrayList<>();
    Thread producer = Thread.ofVirtual().start(() -> {
      try (HttpClient client = HttpClient.newHttpClient()) {
        for (int i = 0; enqueueing.get() && i < 5_000; i++) {
          try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/jobs"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("Job " + i)).build(),
                HttpResponse.BodyHandlers.ofString());
            Matcher m = Pattern.compile("\"id\":(\\d+)").matcher(r.body());
            if (r.statusCode() == 201 && m.find()) {
              ids.add(Long.parseLong(m.group(1)));
            } else {
              enqueueFailures.incrementAndGet();
            }
            Thread.sleep(20);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          } catch (Exception e) {
            enqueueFailures.incrementAndGet();
          }
        }
      }
    });
    try {
      for (String workerVersion : List.of("v2", "v3", "v1")) {
        Thread.sleep(1500);
        assertThat(deployer.deploy(SampleRelease.load(stack, port,
            Map.of("APP_VERSION", "v1", "WORKER_VERSION", workerVersion)), "worker " + workerVersion))
            .isInstanceOf(DeployResult.Deployed.class);
      }
      Thread.sleep(1500);
    } finally {
      enqueueing.set(false);
      producer.join(15_000);
    }
    assertThat(enqueueFailures.get()).isZero();
    assertThat(ids).hasSizeGreaterThan(50);
    awaitAllDone(Duration.ofMinutes(3));

    Map<Long, List<String>> doneBy = new HashMap<>();
    List<ContainerState> workers = host.list(Map.of("dev.deploykit.stack", stack, "dev.deploykit.service", "worker"),
        stack + "_default");
    for (ContainerState w : workers) {
      Matcher m = DONE.matcher(String.join("\n", host.logs(w.id(), 1_000_000)));
      while (m.find()) {
        doneBy.computeIfAbsent(Long.parseLong(m.group(1)), k -> new ArrayList<>()).add(m.group(2));
      }
    }
    log.info("worker hand-over: {} jobs enqueued continuously, 3 replacements, {} worker containers",
        ids.size(), workers.size());
    assertThat(workers).hasSize(4);
    for (Long id : ids) {
      assertThat(doneBy.get(id)).as("job %d done exactly once", id).hasSize(1);
    }
  }

  private DeployResult deploy(String version, Map<String, String> variables) throws InterruptedException {
    Map<String, String> env = new HashMap<>(variables);
    env.put("APP_VERSION", version);
    return deployer.deploy(SampleRelease.load(stack, port, env), version);
  }

  private String releaseOf(List<DeployResult> results, String version) {
    return results.stream().map(DeployResult::release).filter(r -> version.equals(r.version()))
        .map(Release::id).findFirst().orElseThrow();
  }

  private int count(Class<? extends DeployEvent> type) {
    return (int) events.stream().filter(type::isInstance).count();
  }

  private void reportSwaps() {
    DeployEvent.HealthGatePassed gate = null;
    for (DeployEvent e : events) {
      if (e instanceof DeployEvent.HealthGatePassed g && g.service().equals("app")) {
        gate = g;
      } else if (e instanceof DeployEvent.TrafficSwitched t && gate != null) {
        log.info("app {}: boot to healthy {} ms ({} probes), healthy to switched {} ms, switch commands {} ms",
            t.container(), gate.waited().toMillis(), gate.probes(), t.healthyToSwitched().toMillis(),
            t.switchTime().toMillis());
      } else if (e instanceof DeployEvent.Drained d) {
        log.info("  drained the old app in {} ms ({} sessions left)", d.drainTime().toMillis(), d.leftSessions());
      }
    }
  }

  private void awaitAllDone(Duration timeout) throws Exception {
    String db = host.inspect(stack + "-db", stack + "_default").map(ContainerState::ipAddress).orElseThrow();
    Properties props = new Properties();
    props.setProperty("user", "app");
    props.setProperty("password", SampleRelease.DB_PASSWORD);
    props.setProperty("connectTimeout", "10");
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + db + ":5432/app", props);
        Statement s = c.createStatement()) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        try (ResultSet rs = s.executeQuery("select count(*) from jobs where status <> 'done'")) {
          rs.next();
          if (rs.getLong(1) == 0) {
            return;
          }
        }
        assertThat(System.nanoTime()).as("every job done within %s", timeout).isLessThan(deadline);
        Thread.sleep(100);
      }
    }
  }

  private String get(String path) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
  }
}
