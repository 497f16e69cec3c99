package dev.deploykit.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.StackNames;
import dev.deploykit.core.engine.ContainerHealthcheck;
import dev.deploykit.core.engine.ContainerSpec;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.engine.PortForward;
import dev.deploykit.core.engine.PortMapping;
import dev.deploykit.core.internal.haproxy.HaproxyConfig;
import dev.deploykit.core.internal.haproxy.HaproxySwitch;
import dev.deploykit.core.internal.haproxy.RuntimeApi;
import dev.deploykit.health.wait.FakeTimeSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The double's scripts do what tests rely on: time-driven exits, probes, the fake HAProxy, crashes. */
class FakeDockerHostTest {
  private static final String NET = "shop_default";
  private final FakeTimeSource time = new FakeTimeSource();
  private final FakeDockerHost fake = new FakeDockerHost(time);

  FakeDockerHostTest() {
    fake.image("app:1");
    fake.image("haproxy:3.0");
    fake.ensureNetwork(NET, Map.of());
  }

  @AfterEach
  void close() {
    fake.close();
  }

  private String run(String name, ContainerSpec.Builder spec) {
    String id = fake.create(spec.network(NET, List.of(name)).build());
    fake.start(id);
    return id;
  }

  @Test
  void aContainerThatExitsAtBootIsRestartedByItsPolicyAndCountsIt() {
    fake.whenCreated("app:1").exitsAtBoot(3);
    String id = run("worker", ContainerSpec.builder("worker", "app:1").restart("always"));
    time.advance(Duration.ofSeconds(1));
    ContainerState state = fake.inspect(id, NET).orElseThrow();
    assertThat(state.exitCode()).isEqualTo(3);
    assertThat(state.restarts()).isGreaterThanOrEqualTo(3);

    String once = run("once", ContainerSpec.builder("once", "app:1"));
    assertThat(fake.inspect(once, NET).orElseThrow()).satisfies(c -> {
      assertThat(c.running()).isFalse();
      assertThat(c.status()).isEqualTo("exited");
      assertThat(c.exitCode()).isEqualTo(3);
      assertThat(c.restarts()).isZero();
    });
  }

  @Test
  void aProbeScriptAnswersOverFakeTimeSinceTheContainerStarted() throws Exception {
    fake.whenCreated("app:1").probe("/up").failsFrom(Duration.ofSeconds(2));
    String id = run("web", ContainerSpec.builder("web", "app:1")
        .ports(List.of(new PortMapping(null, null, 8080, "tcp"))));
    try (PortForward forward = fake.forward(id, NET, 8080); HttpClient http = HttpClient.newHttpClient()) {
      assertThat(get(http, forward, "/up")).isEqualTo(200);
      time.advance(Duration.ofSeconds(2));
      assertThat(get(http, forward, "/up")).isEqualTo(503);
      assertThat(get(http, forward, "/other")).isEqualTo(200);
      assertThat(fake.openForwards()).containsExactly("web:8080");
    }
    assertThat(fake.openForwards()).isEmpty();
  }

  @Test
  void aPortTheContainerDoesNotListenOnAnswersNothing() throws Exception {
    String id = run("web", ContainerSpec.builder("web", "app:1")
        .ports(List.of(new PortMapping(null, null, 8080, "tcp"))));
    try (PortForward forward = fake.forward(id, NET, 9090); HttpClient http = HttpClient.newHttpClient()) {
      assertThatThrownBy(() -> get(http, forward, "/up")).isInstanceOf(IOException.class);
    }
  }

  @Test
  void dockerHealthTurnsHealthyAfterTheScriptedTime() {
    ContainerHealthcheck check = new ContainerHealthcheck(List.of("CMD", "true"), Duration.ofSeconds(1),
        Duration.ofSeconds(1), 3, Duration.ZERO);
    String id = run("db", ContainerSpec.builder("db", "app:1").healthcheck(check));
    assertThat(fake.inspect(id, NET).orElseThrow().health()).isEqualTo("starting");
    time.advance(Duration.ofSeconds(1));
    assertThat(fake.inspect(id, NET).orElseThrow().health()).isEqualTo("healthy");
  }

  @Test
  void theFakeHaproxySwitchesAndDrainsAsTheRealOneDoes() {
    String proxy = proxy();
    try (PortForward api = fake.forward(proxy, NET, HaproxyConfig.RUNTIME_API_PORT)) {
      HaproxySwitch haproxy = new HaproxySwitch(new RuntimeApi(api.address(), Duration.ofSeconds(5)), time);
      assertThat(haproxy.switchTo("web", "172.18.0.50", 8080, Duration.ofSeconds(5)).drainedSlot()).isNull();
      fake.drainTakes(Duration.ofSeconds(2), 3);
      HaproxySwitch.Result second = haproxy.switchTo("web", "172.18.0.51", 8080, Duration.ofSeconds(5));
      assertThat(second.drainedSlot()).isEqualTo("a");
      assertThat(second.leftSessions()).isZero();
      assertThat(time.elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
      assertThat(fake.proxy("shop").servedAddresses("web")).containsExactly("172.18.0.51:8080");
      assertThat(haproxy.liveAddress("web")).contains("172.18.0.51:8080");
    }
  }

  @Test
  void aDrainThatNeverEndsLeavesItsSessions() {
    String proxy = proxy();
    fake.drainNeverEnds(2);
    try (PortForward api = fake.forward(proxy, NET, HaproxyConfig.RUNTIME_API_PORT)) {
      HaproxySwitch haproxy = new HaproxySwitch(new RuntimeApi(api.address(), Duration.ofSeconds(5)), time);
      haproxy.switchTo("web", "172.18.0.50", 8080, Duration.ofSeconds(1));
      assertThat(haproxy.switchTo("web", "172.18.0.51", 8080, Duration.ofSeconds(1)).leftSessions()).isEqualTo(2);
    }
  }

  @Test
  void aProxyStartedWithoutItsConfigurationExits() {
    String id = fake.create(ContainerSpec.builder("shop-proxy", "haproxy:3.0")
        .labels(StackNames.labels("shop", StackNames.KIND_PROXY)).network(NET, List.of("proxy")).build());
    fake.start(id);
    assertThat(fake.inspect(id, NET).orElseThrow().running()).isFalse();
    assertThat(fake.logs(id, 5)).anyMatch(l -> l.contains("Cannot open configuration file"));
  }

  @Test
  void afterACrashEveryCallFailsUntilRecovered() {
    fake.crashAfter(DeployEvent.LockTaken.class);
    DeployEvent event = new DeployEvent.LockReleased(Duration.ZERO, "shop");
    fake.listener().on(event);
    assertThat(fake.crashed()).isFalse();
    assertThatThrownBy(() -> fake.listener().on(new DeployEvent.LockTaken(Duration.ZERO, "shop",
        new dev.deploykit.core.LockInfo("shop", "a", "h", 1, "deploy", time.now()))))
        .isInstanceOf(SimulatedCrash.class);
    assertThatThrownBy(() -> fake.inspect("x", NET)).isInstanceOf(SimulatedCrash.class);
    fake.recover();
    assertThat(fake.inspect("x", NET)).isEmpty();
  }

  @Test
  void aCallThatTimesOutFailsOnceAndChangesNothing() {
    fake.callTimesOut("create");
    assertThatThrownBy(() -> fake.create(ContainerSpec.builder("a", "app:1").build()))
        .isInstanceOf(DeployException.class).hasMessageContaining("did not answer create a");
    assertThat(fake.inspect("a", NET)).isEmpty();
    fake.create(ContainerSpec.builder("a", "app:1").build());
    assertThat(fake.inspect("a", NET)).isPresent();
  }

  @Test
  void aPullOfAnUnknownImageFailsAndARegistryImageArrives() {
    fake.registry("app:2");
    assertThat(fake.imageId("app:2")).isEmpty();
    assertThat(fake.pull("app:2", Duration.ofMinutes(1))).isEqualTo(FakeDockerHost.idOf("app:2"));
    assertThat(fake.imageId("app:2")).contains(FakeDockerHost.idOf("app:2"));
    assertThatThrownBy(() -> fake.pull("app:404", Duration.ofMinutes(1)))
        .isInstanceOf(DeployException.class).hasMessageContaining("app:404");
  }

  private String proxy() {
    String id = fake.create(ContainerSpec.builder("shop-proxy", "haproxy:3.0")
        .labels(StackNames.labels("shop", StackNames.KIND_PROXY)).network(NET, List.of("proxy")).build());
    fake.writeFile(id, "/usr/local/etc/haproxy/haproxy.cfg", HaproxyConfig.render(
        List.of(new HaproxyConfig.Frontend("web", 8080)), Duration.ofSeconds(60)).getBytes(StandardCharsets.UTF_8),
        0644);
    fake.start(id);
    return id;
  }

  private static int get(HttpClient http, PortForward forward, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://" + forward.hostAndPort() + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }
}
