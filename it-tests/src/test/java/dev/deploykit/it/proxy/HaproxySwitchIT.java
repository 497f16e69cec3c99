package dev.deploykit.it.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.core.internal.haproxy.HaproxyConfig;
import dev.deploykit.core.internal.haproxy.HaproxySwitch;
import dev.deploykit.core.internal.haproxy.RuntimeApi;
import dev.deploykit.health.wait.TimeSource;
import dev.deploykit.it.support.DockerRequired;
import dev.deploykit.it.support.LoadGenerator;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.MountableFile;

/**
 * The proxy switch under load: HAProxy (haproxy:3.0) in front of two web containers, traffic
 * switched back and forth through the Runtime API while clients keep requests going. Every
 * response is counted; none may fail, and a request in flight on the old server finishes there.
 */
@ExtendWith(DockerRequired.class)
class HaproxySwitchIT {
  private static final Logger log = LoggerFactory.getLogger(HaproxySwitchIT.class);

  @Test
  void switchesBackAndForthUnderLoadWithoutADroppedRequest() throws Exception {
    try (Network network = Network.newNetwork();
        GenericContainer<?> blue = web(network, "blue");
        GenericContainer<?> green = web(network, "green");
        GenericContainer<?> proxy = new GenericContainer<>("haproxy:3.0")
            .withNetwork(network)
            .withCopyToContainer(Transferable.of(HaproxyConfig.render(
                    List.of(new HaproxyConfig.Frontend("app", 8080)), Duration.ofSeconds(30))),
                "/usr/local/etc/haproxy/haproxy.cfg")
            .withExposedPorts(8080, HaproxyConfig.RUNTIME_API_PORT)
            .waitingFor(Wait.forListeningPorts(8080, HaproxyConfig.RUNTIME_API_PORT))) {
      blue.start();
      green.start();
      proxy.start();
      RuntimeApi api = new RuntimeApi(new InetSocketAddress(proxy.getHost(),
          proxy.getMappedPort(HaproxyConfig.RUNTIME_API_PORT)), Duration.ofSeconds(5));
      HaproxySwitch proxySwitch = new HaproxySwitch(api, TimeSource.system());
      String blueIp = ip(blue, network);
      String greenIp = ip(green, network);

      HaproxySwitch.Result first = proxySwitch.switchTo("app", blueIp, 8080, Duration.ofSeconds(10));
      assertThat(first.drainedSlot()).as("nothing served before").isNull();
      assertThat(proxySwitch.switchTo("app", blueIp, 8080, Duration.ofSeconds(10)).unchanged())
          .as("switching to what already serves is a no-op").isTrue();
      URI uri = URI.create("http://" + proxy.getHost() + ":" + proxy.getMappedPort(8080) + "/");

      List<HaproxySwitch.Result> switches = new ArrayList<>();
      String slowAnswer;
      try (LoadGenerator load = new LoadGenerator(uri, 8, Duration.ofMinutes(2))) {
        Thread.sleep(1000);
        // A slow request in flight on blue when traffic moves to green must finish on blue.
        CompletableFuture<HttpResponse<String>> slow;
        try (HttpClient client = HttpClient.newHttpClient()) {
          slow = client.sendAsync(HttpRequest.newBuilder(uri.resolve("/slow?ms=1500"))
              .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
          Thread.sleep(200);
          String[] targets = {greenIp, blueIp, greenIp, blueIp, greenIp, blueIp};
          for (String target : targets) {
            switches.add(proxySwitch.switchTo("app", target, 8080, Duration.ofSeconds(10)));
            Thread.sleep(700);
          }
          slowAnswer = slow.get().body();
        }
        Thread.sleep(500);
        log.info("Load through 6 switches: {} requests served, {} failed, {} req/s, by version {}",
            load.served(), load.failed(), String.format("%.0f", load.requestsPerSecond()),
            load.byVersion());
        assertThat(load.failed()).as("failed requests: %s", load.failures()).isZero();
        assertThat(load.byVersion()).containsOnlyKeys("blue", "green");
        assertThat(load.served()).isGreaterThan(500);
      }
      assertThat(slowAnswer).as("the in-flight request finished on the drained server").isEqualTo("blue");
      for (HaproxySwitch.Result r : switches) {
        log.info("switch to slot {}: {} us to take traffic, drained {} in {} ms, {} sessions left",
            r.liveSlot(), r.switchTime().toNanos() / 1000, r.drainedSlot(),
            r.drainTime().toMillis(), r.leftSessions());
        assertThat(r.leftSessions()).isZero();
        assertThat(r.drainedSlot()).isNotNull();
      }
      assertThat(switches.getFirst().drainTime()).as("waited for the slow request")
          .isGreaterThan(Duration.ofMillis(500));
      assertThat(proxySwitch.liveAddress("app")).contains(blueIp + ":8080");
    }
  }

  private static GenericContainer<?> web(Network network, String version) {
    return new GenericContainer<>("eclipse-temurin:21-jre")
        .withNetwork(network)
        .withEnv("VERSION", version)
        .withCopyFileToContainer(MountableFile.forClasspathResource("proxy/WebServer.java"), "/app/WebServer.java")
        .withCommand("java", "-Dsun.net.httpserver.nodelay=true", "/app/WebServer.java")
        .withExposedPorts(8080)
        .waitingFor(Wait.forLogMessage(".*listening on 8080.*\\n", 1).withStartupTimeout(Duration.ofMinutes(1)));
  }

  private static String ip(GenericContainer<?> container, Network network) {
    return container.getContainerInfo().getNetworkSettings().getNetworks().values().stream()
        .map(n -> n.getIpAddress()).filter(ip -> ip != null && !ip.isEmpty()).findFirst()
        .orElseThrow();
  }
}
