package dev.deploykit.it.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.cli.LoadGenerator;
import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.DeployResult;
import dev.deploykit.core.Deployer;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.it.support.DockerRequired;
import dev.deploykit.it.support.StandInImageSubstitutor;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy switch under load, through the public API only: a {@link Deployer} swaps the web
 * service between two versions ({@code blue}, {@code green}) back and forth while clients keep
 * requests going through the proxy. Every answer is counted; none may fail, and a slow request in
 * flight on the old release when traffic moves finishes there (the drain waits for it).
 */
@ExtendWith(DockerRequired.class)
class ProxySwitchIT {
  private static final Logger log = LoggerFactory.getLogger(ProxySwitchIT.class);
  private static final Duration SLOW = Duration.ofMillis(1500);

  private final String stackName = "itswitch" + UUID.randomUUID().toString().substring(0, 6);
  private final List<DeployEvent> events = new CopyOnWriteArrayList<>();
  /** Set by the test: the slow request to send the moment the new release passed its gate. */
  private final AtomicReference<Runnable> onGatePassed = new AtomicReference<>(() -> {});
  private DockerHost host;
  private Deployer deployer;
  private String javaImage;
  private int port;

  @BeforeEach
  void setUp() throws Exception {
    host = DockerHost.local();
    javaImage = StandInImageSubstitutor.resolve("eclipse-temurin:21-jre");
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    deployer = Deployer.builder(host).proxyImage(StandInImageSubstitutor.resolve(Deployer.DEFAULT_PROXY_IMAGE))
        .proxyBindAddress("127.0.0.1").owner("it@switch")
        .listener(e -> {
          events.add(e);
          if (e instanceof DeployEvent.HealthGatePassed g && g.service().equals("web")) {
            onGatePassed.getAndSet(() -> {}).run();
          }
        })
        .build();
  }

  @AfterEach
  void tearDown() {
    deployer.down(stackName, true);
    host.close();
  }

  private DeployResult deploy(String version) throws InterruptedException {
    return deployer.deploy(TestStack.of(stackName, port, TestStack.web(javaImage, version, Map.of()), javaImage), version);
  }

  @Test
  void swapsBackAndForthUnderLoadWithoutADroppedRequest() throws Exception {
    assertThat(deploy("blue")).isInstanceOf(DeployResult.Deployed.class);
    URI uri = URI.create("http://127.0.0.1:" + port + "/");
    CompletableFuture<HttpResponse<String>> slow;
    try (HttpClient client = HttpClient.newHttpClient();
        LoadGenerator load = LoadGenerator.builder(uri).clients(8).timeLimit(Duration.ofMinutes(5)).start()) {
      Thread.sleep(1000);
      CompletableFuture<CompletableFuture<HttpResponse<String>>> sent = new CompletableFuture<>();
      onGatePassed.set(() -> {
        // In flight on blue when traffic moves to green: the switch follows this gate within milliseconds.
        sent.complete(client.sendAsync(HttpRequest.newBuilder(uri.resolve("/slow?ms=" + SLOW.toMillis()))
            .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()));
        sleep(Duration.ofMillis(200));
      });
      for (String version : List.of("green", "blue", "green", "blue")) {
        assertThat(deploy(version)).as(version).isInstanceOf(DeployResult.Deployed.class);
      }
      slow = sent.getNow(null);
      assertThat(slow).as("the slow request was sent").isNotNull();
      assertThat(slow.get().body()).as("the in-flight request finished on the drained release").isEqualTo("blue");
      Thread.sleep(500);
      log.info("Load through 4 swaps: {} served, {} failed, {} req/s, by version {}", load.served(), load.failed(),
          String.format("%.0f", load.requestsPerSecond()), load.byVersion());
      assertThat(load.failed()).as("failed requests: %s", load.failures()).isZero();
      assertThat(load.byVersion()).containsOnlyKeys("blue", "green");
      assertThat(load.served()).isGreaterThan(500);
    }
    List<DeployEvent.Drained> drains = events.stream()
        .filter(e -> e instanceof DeployEvent.Drained d && d.service().equals("web"))
        .map(e -> (DeployEvent.Drained) e).toList();
    drains.forEach(d -> log.info("drained in {} ms, {} sessions left", d.drainTime().toMillis(), d.leftSessions()));
    assertThat(drains).hasSize(4).allSatisfy(d -> assertThat(d.leftSessions()).isZero());
    assertThat(drains.getFirst().drainTime()).as("the first drain waited for the slow request")
        .isGreaterThan(Duration.ofMillis(500));
    try (HttpClient client = HttpClient.newHttpClient()) {
      assertThat(client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("blue");
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
