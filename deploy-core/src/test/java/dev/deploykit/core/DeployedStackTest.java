package dev.deploykit.core;

import static dev.deploykit.core.StackFixtures.STACK;
import static dev.deploykit.core.StackFixtures.proxy;
import static dev.deploykit.core.StackFixtures.service;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.internal.haproxy.HaproxyConfig;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeployedStackTest {
  private final Stack stack = StackFixtures.stack(StackFixtures.web(), StackFixtures.worker());

  @Test
  void aServiceRunsTheContainersLabelledWithItsNameThatRun() {
    ListedHost host = new ListedHost()
        .with(ListedHost.running("shop-app-r2", service("app"), Map.of()))
        .with(ListedHost.stopped("shop-app-r0", service("app")))
        .with(ListedHost.running("shop-app-r1", service("app"), Map.of()))
        .with(ListedHost.running("shop-worker-r1", service("worker"), Map.of()));

    DeployedStack deployed = Deployer.builder(host).build().inspect(stack);

    assertThat(deployed.running("app")).extracting(ContainerState::name).containsExactly("shop-app-r1", "shop-app-r2");
    assertThat(deployed.running("worker")).extracting(ContainerState::name).containsExactly("shop-worker-r1");
    assertThat(deployed.running("nope")).isEmpty();
    assertThat(deployed.containers()).hasSize(4);
  }

  @Test
  void theProxyUrlIsWhereTheHostPublishesItsListener() {
    ListedHost host = new ListedHost().with(ListedHost.running(StackNames.proxyContainer(STACK), proxy(),
        Map.of(HaproxyConfig.LISTEN_PORT, 18080)));

    DeployedStack deployed = Deployer.builder(host).build().inspect(stack);

    assertThat(deployed.proxy()).map(ContainerState::name).contains("shop-proxy");
    assertThat(deployed.proxyUrl()).contains(URI.create("http://127.0.0.1:18080"));
  }

  @Test
  void noUrlWithoutARunningProxyThatPublishesItsListener() {
    ListedHost otherPort = new ListedHost().with(ListedHost.running(StackNames.proxyContainer(STACK), proxy(),
        Map.of(HaproxyConfig.RUNTIME_API_PORT, 19999)));
    ListedHost stopped = new ListedHost().with(ListedHost.stopped(StackNames.proxyContainer(STACK), proxy()));
    ListedHost none = new ListedHost();

    assertThat(Deployer.builder(otherPort).build().inspect(stack).proxyUrl()).isEmpty();
    assertThat(Deployer.builder(stopped).build().inspect(stack).proxyUrl()).isEmpty();
    assertThat(Deployer.builder(stopped).build().inspect(stack).proxy()).isPresent();
    assertThat(Deployer.builder(none).build().inspect(stack).proxy()).isEmpty();
  }

  @Test
  void aHostWithoutStateHasAnEmptyHistoryAndAFreeLock() {
    DeployedStack deployed = Deployer.builder(new ListedHost()).build().inspect(stack);

    assertThat(deployed.history().isEmpty()).isTrue();
    assertThat(deployed.lock()).isEmpty();
    assertThat(deployed.host()).isEqualTo("listed host");
    assertThat(deployed.stack()).isSameAs(stack);
  }
}
