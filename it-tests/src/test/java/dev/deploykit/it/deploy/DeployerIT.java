package dev.deploykit.it.deploy;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.cli.LoadGenerator;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.DeployResult;
import dev.deploykit.core.Deployer;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.LockHeldException;
import dev.deploykit.core.Release;
import dev.deploykit.core.Role;
import dev.deploykit.core.Service;
import dev.deploykit.core.ServiceDeploy;
import dev.deploykit.core.Stack;
import dev.deploykit.core.StackSettings;
import dev.deploykit.it.support.DockerRequired;
import dev.deploykit.it.support.SlackWebhookFake;
import dev.deploykit.it.support.StandInImageSubstitutor;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The release engine on the real engine with a minimal web service (a one-file Java server) and
 * a worker: deploy, switch under load, rollback with the release's own configuration, refused
 * releases (exit at boot, wrong port, missing image), the watch window, and the lock.
 */
@ExtendWith(DockerRequired.class)
// Among the longest classes: started first when classes run side by side (it-tests/pom.xml).
@Order(6)
class DeployerIT {
  private static final Logger log = LoggerFactory.getLogger(DeployerIT.class);

  private final String stackName = "it" + UUID.randomUUID().toString().substring(0, 8);
  private final List<DeployEvent> events = new CopyOnWriteArrayList<>();
  private DockerHost host;
  private Deployer deployer;
  private int port;
  private String javaImage;

  @BeforeEach
  void setUp() throws Exception {
    host = DockerHost.local();
    javaImage = StandInImageSubstitutor.resolve("eclipse-temurin:21-jre");
    String proxyImage = StandInImageSubstitutor.resolve(Deployer.DEFAULT_PROXY_IMAGE);
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    deployer = Deployer.builder(host).proxyImage(proxyImage).proxyBindAddress("127.0.0.1")
        .owner("it@deployer").listener(events::add).build();
  }

  @AfterEach
  void tearDown() {
    deployer.down(stackName, true);
    host.close();
  }

  @Test
  void deploysSwitchesUnderLoadRollsBackAndRefusesBadReleases() throws Exception {
    DeployResult first = deployer.deploy(stack(web("v1", Map.of())), "v1");
    assertThat(first).isInstanceOf(DeployResult.Deployed.class);
    assertThat(get("/")).isEqualTo("v1");
    assertThat(events).extracting(e -> e.getClass().getSimpleName()).containsSubsequence(
        "LockTaken", "ImageReady", "SnapshotWritten", "ContainerStarted", "HealthGatePassed",
        "TrafficSwitched", "WatchPassed", "Recorded", "LockReleased");

    URI uri = URI.create("http://127.0.0.1:" + port + "/");
    List<DeployResult> results = new ArrayList<>();
    try (LoadGenerator load = LoadGenerator.builder(uri).clients(6).timeLimit(Duration.ofMinutes(3)).start()) {
      Thread.sleep(500);
      results.add(deployer.deploy(stack(web("v2", Map.of())), "v2"));
      assertThat(get("/")).isEqualTo("v2");
      results.add(deployer.rollback(stackName));
      assertThat(get("/")).as("the rollback restored v1's own configuration").isEqualTo("v1");

      // Bad releases, each refused with the old release still serving.
      DeployResult exits = deployer.deploy(stack(web("v3", Map.of()).newBuilder()
          .command(List.of("java", "/app/NoSuchFile.java")).build()), "exits");
      assertThat(exits).isInstanceOfSatisfying(DeployResult.Refused.class, r -> {
        assertThat(r.reason()).contains("exited with code");
        assertThat(r.logs()).anySatisfy(l -> assertThat(l).contains("NoSuchFile.java"));
      });
      DeployResult wrongPort = deployer.deploy(stack(web("v4", Map.of()).newBuilder()
          .deploy(new ServiceDeploy(Role.WEB, "/up", 9999, Duration.ofSeconds(8), Duration.ofSeconds(5),
              Duration.ofSeconds(3))).build()), "wrong-port");
      assertThat(wrongPort).isInstanceOfSatisfying(DeployResult.Refused.class,
          r -> assertThat(r.reason()).contains("never answered 2xx within 8 s"));
      DeployResult missing = deployer.deploy(stack(web("v5", Map.of()).newBuilder()
          .image("deploykit.local/does-not-exist:1").build()), "missing");
      assertThat(missing).isInstanceOfSatisfying(DeployResult.Refused.class,
          r -> assertThat(r.reason()).contains("does-not-exist"));
      DeployResult sick = deployer.deploy(stack(web("v6", Map.of("UNHEALTHY_AFTER_MS", "1000"))), "sick");
      assertThat(sick).isInstanceOfSatisfying(DeployResult.RolledBack.class,
          r -> assertThat(r.reason()).contains("turned unhealthy"));
      assertThat(get("/")).isEqualTo("v1");

      Thread.sleep(300);
      log.info("Load through deploy, rollback and 4 bad releases: {} served, {} failed, {} req/s",
          load.served(), load.failed(), String.format("%.0f", load.requestsPerSecond()));
      assertThat(load.failed()).as("failed: %s", load.failures()).isZero();
    }
    assertThat(results.getFirst()).isInstanceOf(DeployResult.Deployed.class);
    assertThat(results.get(1)).isInstanceOfSatisfying(DeployResult.Deployed.class,
        r -> assertThat(Optional.ofNullable(r.release().rollbackOf())).isPresent());

    List<Release> history = deployer.history(stackName).releases();
    assertThat(history).extracting(Release::outcome).containsExactly(
        Release.Outcome.SUPERSEDED, Release.Outcome.SUPERSEDED, Release.Outcome.LIVE,
        Release.Outcome.REFUSED, Release.Outcome.REFUSED, Release.Outcome.REFUSED,
        Release.Outcome.ROLLED_BACK);
    assertThat(deployer.auditLog(stackName)).hasSize(7);
    List<ContainerState> running = host.list(Map.of("dev.deploykit.stack", stackName,
        "dev.deploykit.kind", "app"), stackName + "_default").stream().filter(ContainerState::running).toList();
    assertThat(running).extracting(c -> c.label("dev.deploykit.service").orElseThrow())
        .as("one web and one worker container run").containsExactlyInAnyOrder("web", "worker");
    for (DeployEvent e : events) {
      if (e instanceof DeployEvent.TrafficSwitched t) {
        log.info("healthy -> switched: {} us (switch commands {} us)", t.healthyToSwitched().toNanos() / 1000,
            t.switchTime().toNanos() / 1000);
      }
    }
  }

  @Test
  void aSecondDeployWhileOneRunsFailsNamingTheOwner() throws Exception {
    deployer.deploy(stack(web("v1", Map.of())), "v1");
    Deployer other = Deployer.builder(host).proxyImage(StandInImageSubstitutor.resolve(Deployer.DEFAULT_PROXY_IMAGE))
        .proxyBindAddress("127.0.0.1").owner("bob@laptop").build();
    var running = new java.util.concurrent.CompletableFuture<DeployResult>();
    Thread first = Thread.ofVirtual().start(() -> {
      try {
        running.complete(deployer.deploy(stack(web("v2", Map.of())), "v2"));
      } catch (Throwable t) {
        running.completeExceptionally(t);
      }
    });
    // Wait until the first deploy holds the lock, then try a second one.
    while (deployer.lock(stackName).isEmpty() && !running.isDone()) {
      Thread.sleep(5);
    }
    assertThatThrownBy(() -> other.deploy(stack(web("v3", Map.of())), "v3"))
        .isInstanceOf(LockHeldException.class)
        .hasMessageContaining("it@deployer")
        .hasMessageContaining("for deploy");
    first.join();
    assertThat(running.get()).isInstanceOf(DeployResult.Deployed.class);
    assertThat(deployer.lock(stackName)).isEmpty();
  }

  @Test
  void aChangedProxyPortMovesTheStacksPublicPort() throws Exception {
    assertThat(deployer.deploy(stack(web("v1", Map.of())), "v1")).isInstanceOf(DeployResult.Deployed.class);
    int first = port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    assertThat(deployer.deploy(stack(web("v2", Map.of())), "v2")).isInstanceOf(DeployResult.Deployed.class);
    assertThat(get("/")).as("served on the new port").isEqualTo("v2");
    ContainerState proxy = host.inspect(stackName + "-proxy", stackName + "_default").orElseThrow();
    assertThat(proxy.publishedPorts().get(8080)).isEqualTo(port).isNotEqualTo(first);
  }

  @Test
  void notifiesTheWebhookAndNeverShowsItsSecret() throws Exception {
    try (SlackWebhookFake slack = new SlackWebhookFake("s3cr3t-hook-token")) {
      Stack stack = TestStack.of(stackName, new StackSettings(3, port, slack.url()), web("v1", Map.of()), javaImage);
      DeployResult result = deployer.deploy(stack, "v1");
      assertThat(result).isInstanceOf(DeployResult.Deployed.class);
      assertThat(slack.texts()).singleElement().asString()
          .contains(stackName).contains(result.release().id()).contains("(v1)").contains("live");
      assertThat(events).filteredOn(e -> e instanceof DeployEvent.Notified)
          .singleElement().satisfies(e -> assertThat(((DeployEvent.Notified) e).delivered()).isTrue());
      assertThat(events.toString() + deployer.auditLog(stackName) + result + stack)
          .doesNotContain("s3cr3t-hook-token");
    }
  }

  private Stack stack(Service web) {
    return TestStack.of(stackName, port, web, javaImage);
  }

  private Service web(String version, Map<String, String> env) {
    return TestStack.web(javaImage, version, env);
  }

  private String get(String path) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
  }
}
