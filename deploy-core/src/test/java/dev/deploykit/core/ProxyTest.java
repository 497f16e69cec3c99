package dev.deploykit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The stack's proxy: created once, recreated when it cannot serve, on the stack's own port. */
class ProxyTest {
  private static final String PROXY = StackNames.proxyContainer(Stacks.NAME);
  private final Harness h = new Harness().images("app:v1", "app:v2");

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void theProxyIsCreatedOnceAndPublishesTheStacksPortOnTheBindAddress() throws Exception {
    h.deployed(Stacks.of(Stacks.web("app:v1")), "v1");
    String id = h.fake.container(PROXY).orElseThrow().id();
    h.deployed(Stacks.of(Stacks.web("app:v2")), "v2");

    assertThat(h.fake.container(PROXY).orElseThrow().id()).isEqualTo(id);
    assertThat(h.fake.container(PROXY).orElseThrow().spec().ports()).singleElement().satisfies(p -> {
      assertThat(p.published()).isEqualTo(8080);
      assertThat(p.hostIp()).isEqualTo("127.0.0.1");
    });
  }

  @Test
  void aChangedProxyPortMovesTheStacksProxyAndTheNewReleaseServesThere() throws Exception {
    h.deployed(Stacks.of(Stacks.web("app:v1")), "v1");
    Stack moved = Stacks.of(Stacks.web("app:v2")).withSettings(StackSettings.defaults().withProxyPort(9090));
    String v2 = h.deployed(moved, "v2").release().id();

    assertThat(h.fake.inspect(PROXY, Stacks.NETWORK).orElseThrow().publishedPorts()).containsEntry(8080, 9090);
    assertThat(h.served()).contains(h.webOf(v2));
  }

  @Test
  void proxyCommandsLostWithTheirConnectionAreSentAgainAndTheOldServerDrainsOnlyOnceTheNewOneServes()
      throws Exception {
    h.deployed(Stacks.of(Stacks.web("app:v1")), "v1");
    h.fake.loseProxyCommand(c -> c.endsWith("show stat"));
    h.fake.loseProxyCommand(c -> c.endsWith("state ready"));
    h.fake.loseProxyCommand(c -> c.endsWith("state maint"));
    String v2 = h.deployed(Stacks.of(Stacks.web("app:v2")), "v2").release().id();

    assertThat(h.served()).contains(h.webOf(v2));
    assertThat(h.fake.proxy(Stacks.NAME).servedAddresses("web")).hasSize(1);
    List<String> proxy = h.fake.journal().stream().filter(c -> c.contains("proxy ")).toList();
    assertThat(proxy).filteredOn(c -> c.startsWith("lost ")).hasSize(3);
    int ready = proxy.lastIndexOf(proxy.stream().filter(c -> c.startsWith("proxy") && c.endsWith("state ready"))
        .reduce((a, b) -> b).orElseThrow());
    int drain = proxy.indexOf(proxy.stream().filter(c -> c.endsWith("state drain")).findFirst().orElseThrow());
    assertThat(ready).as("the new server is confirmed ready before the old one drains: %s", proxy).isLessThan(drain);
  }

  @Test
  void aProxyThatWasStoppedIsRecreatedAndServesTheNextRelease() throws Exception {
    h.deployed(Stacks.of(Stacks.web("app:v1")), "v1");
    h.fake.stop(PROXY, Duration.ofSeconds(1));
    String v2 = h.deployed(Stacks.of(Stacks.web("app:v2")), "v2").release().id();

    assertThat(h.fake.proxy(Stacks.NAME).running()).isTrue();
    assertThat(h.served()).contains(h.webOf(v2));
  }

  @Test
  void aPortAnotherStackPublishesFailsTheDeployNamingItAndAFreePortConverges() throws Exception {
    h.deployed(Stacks.of(Stacks.web("app:v1")), "v1");
    Stack blog = new Stack("blog", List.of(Stacks.web("app:v1")), StackSettings.defaults().withProxyPort(8080));

    assertThatThrownBy(() -> h.deployer().deploy(blog, "v1")).isInstanceOf(DeployException.class)
        .hasMessageContaining("port is already allocated");
    assertThat(h.deployer().lock("blog")).isEmpty();
    DeployResult moved = h.deployer().deploy(blog.withSettings(StackSettings.defaults().withProxyPort(8081)), "v1");

    assertThat(moved).isInstanceOf(DeployResult.Deployed.class);
    assertThat(h.fake.proxy("blog").servedContainer("web"))
        .contains(StackNames.releaseContainer("blog", "web", moved.release().id(), 0));
    assertThat(h.served()).contains(h.webOf(h.live().id()));
  }

  @Test
  void theWebhookHearsEachOutcomeAndNoEventShowsItsSecret() throws Exception {
    List<String> posted = new CopyOnWriteArrayList<>();
    HttpServer hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    hook.createContext("/", exchange -> {
      posted.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    hook.start();
    try {
      URI secret = URI.create("http://127.0.0.1:" + hook.getAddress().getPort() + "/services/T0/B0/s3cr3t");
      h.deployed(Stacks.of(Stacks.web("app:v1")).withSettings(StackSettings.defaults().withProxyPort(8080)
          .withNotifyWebhook(secret)), "v1");
    } finally {
      hook.stop(0);
    }

    assertThat(posted).singleElement().asString().contains("live").contains("(v1)");
    assertThat(h.fake.events(DeployEvent.Notified.class)).singleElement().satisfies(n -> {
      assertThat(n.delivered()).isTrue();
      assertThat(n.detail()).doesNotContain("s3cr3t");
    });
    assertThat(h.fake.events()).allSatisfy(e -> assertThat(e.toString()).doesNotContain("s3cr3t"));
  }
}
