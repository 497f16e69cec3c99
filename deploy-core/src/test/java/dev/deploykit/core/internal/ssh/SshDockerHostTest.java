package dev.deploykit.core.internal.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.DeployException.Reason;
import dev.deploykit.core.engine.ContainerSpec;
import dev.deploykit.core.engine.DockerHost;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The reconnect and retry rules, on fake connections whose engine answers as each test says. */
class SshDockerHostTest {
  private static final SshSettings SETTINGS = new SshSettings("droplet.example", 22, "deploy", List.of(),
      null, Path.of("known_hosts"), false, Duration.ofSeconds(5), Duration.ofSeconds(5),
      Duration.ofSeconds(5), "/var/run/docker.sock");

  /** A connection whose engine runs {@code behaviour} for every call. */
  private static final class FakeSession implements EngineSession {
    boolean alive = true;
    boolean closed;
    @Nullable DeployException explanation;
    final List<String> calls = new ArrayList<>();
    final Function<FakeSession, Object> behaviour;

    FakeSession(Function<FakeSession, Object> behaviour) {
      this.behaviour = behaviour;
    }

    @Override
    public DockerHost engine() {
      return (DockerHost) Proxy.newProxyInstance(DockerHost.class.getClassLoader(), new Class<?>[] {DockerHost.class},
          (proxy, method, args) -> {
            calls.add(method.getName());
            return behaviour.apply(this);
          });
    }

    @Override
    public boolean alive() {
      return alive && !closed;
    }

    @Override
    public RemoteEnd openTcp(String host, int port) {
      throw new UnsupportedOperationException();
    }

    @Override
    public AutoCloseable remoteForward(int hostPort, java.net.InetSocketAddress target) {
      calls.add("forward " + hostPort);
      return () -> calls.add("cancel " + hostPort);
    }

    @Override
    public Optional<DeployException> explain(RuntimeException failure) {
      return Optional.ofNullable(explanation);
    }

    @Override
    public int engineConnections() {
      return 0;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private final List<FakeSession> sessions = new ArrayList<>();

  private SshDockerHost host(List<FakeSession> planned) {
    List<FakeSession> queue = new ArrayList<>(planned);
    return new SshDockerHost(SETTINGS, () -> {
      FakeSession next = queue.removeFirst();
      sessions.add(next);
      return next;
    });
  }

  private static FakeSession dropsOnFirstCall() {
    return new FakeSession(s -> {
      s.alive = false;
      throw new RuntimeException("java.io.IOException: Broken transport; encountered EOF");
    });
  }

  private static FakeSession answering(Object value) {
    return new FakeSession(s -> value);
  }

  @Test
  void opensOneConnectionForManyCalls() {
    try (SshDockerHost host = host(List.of(answering(Optional.of("sha256:1"))))) {
      for (int i = 0; i < 5; i++) {
        assertThat(host.imageId("app:1")).contains("sha256:1");
      }
      assertThat(host.connectionsOpened()).isEqualTo(1);
    }
    assertThat(sessions.getFirst().closed).as("close closes the connection").isTrue();
  }

  @Test
  void retriesACallThatCannotHaveChangedAnythingOnceOnANewConnection() {
    FakeSession second = answering(Optional.of("sha256:2"));
    try (SshDockerHost host = host(List.of(dropsOnFirstCall(), second))) {
      assertThat(host.imageId("app:1")).contains("sha256:2");
      assertThat(host.connectionsOpened()).isEqualTo(2);
      assertThat(sessions.getFirst().closed).as("the dead connection is closed").isTrue();
      assertThat(second.calls).containsExactly("imageId");
    }
  }

  @Test
  void aRemoteForwardIsOpenedAgainOnTheNewConnectionBeforeTheRetriedCall() {
    FakeSession second = answering(Optional.of("sha256:2"));
    try (SshDockerHost host = host(List.of(dropsOnFirstCall(), second))) {
      var forward = host.reverseForward(5555, new java.net.InetSocketAddress("127.0.0.1", 5555));
      assertThat(host.imageId("app:1")).contains("sha256:2");
      assertThat(second.calls).as("the registry is reachable again before the pull is retried")
          .containsExactly("forward 5555", "imageId");

      forward.close();
      assertThat(second.calls).endsWith("cancel 5555");
      assertThat(host.connectionsOpened()).isEqualTo(2);
    }
    assertThat(sessions.getFirst().calls).containsExactly("forward 5555", "imageId");
  }

  @Test
  void aClosedRemoteForwardIsNotOpenedAgain() {
    FakeSession second = answering(Optional.of("sha256:2"));
    try (SshDockerHost host = host(List.of(dropsOnFirstCall(), second))) {
      host.reverseForward(5555, new java.net.InetSocketAddress("127.0.0.1", 5555)).close();
      assertThat(host.imageId("app:1")).contains("sha256:2");
      assertThat(second.calls).containsExactly("imageId");
    }
  }

  @Test
  void aCallThatMayHaveChangedTheHostIsNotRetriedAndSaysToRerun() {
    FakeSession second = answering("id-2");
    try (SshDockerHost host = host(List.of(dropsOnFirstCall(), second))) {
      assertThatThrownBy(() -> host.create(ContainerSpec.builder("shop-web-r2", "app:1").build()))
          .isInstanceOfSatisfying(DeployException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.CONNECTION_LOST);
            assertThat(e.getMessage()).contains("ssh://deploy@droplet.example", "creating container shop-web-r2",
                "run the command again");
          });
      assertThat(second.calls).as("no second attempt").isEmpty();
      assertThat(host.create(ContainerSpec.builder("shop-web-r2", "app:1").build())).isEqualTo("id-2");
      assertThat(host.connectionsOpened()).isEqualTo(2);
    }
  }

  @Test
  void anEngineErrorOnALiveConnectionIsPassedOnUnchanged() {
    DeployException engineError = new DeployException("Container x cannot start");
    FakeSession session = new FakeSession(s -> {
      throw engineError;
    });
    try (SshDockerHost host = host(List.of(session))) {
      assertThatThrownBy(() -> host.start("x")).isSameAs(engineError);
      assertThat(host.connectionsOpened()).isEqualTo(1);
      assertThat(session.calls).containsExactly("start");
    }
  }

  @Test
  void aRefusedEngineChannelIsExplainedByTheConnection() {
    FakeSession session = new FakeSession(s -> {
      throw new RuntimeException("org.apache.hc.core5.http.NoHttpResponseException: failed to respond");
    });
    session.explanation = new DeployException(Reason.ENGINE_UNAVAILABLE, "Docker is installed on droplet.example:22 but its engine is not running");
    try (SshDockerHost host = host(List.of(session))) {
      assertThatThrownBy(host::ping).isSameAs(session.explanation);
    }
  }

  @Test
  void aConnectionFoundDeadBeforeACallIsReplacedWithoutAnError() {
    FakeSession first = answering(List.of());
    try (SshDockerHost host = host(List.of(first, answering(List.of())))) {
      host.list(java.util.Map.of(), "net");
      first.alive = false;
      host.list(java.util.Map.of(), "net");
      assertThat(host.connectionsOpened()).isEqualTo(2);
      assertThat(first.closed).isTrue();
    }
  }

  @Test
  void theClientFollowsTheCurrentConnectionAndClosingItLeavesTheHostOpen() throws Exception {
    try (SshDockerHost host = host(List.of(answering(null)))) {
      host.client().close();
      assertThat(host.connectionsOpened()).as("closing the client neither connects nor disconnects").isZero();
      assertThat(host.client().toString()).isEqualTo("DockerClient over ssh://deploy@droplet.example");
    }
  }

  @Test
  void aClosedHostRefusesCalls() {
    SshDockerHost host = host(List.of());
    host.close();
    assertThatThrownBy(host::ping).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }
}
