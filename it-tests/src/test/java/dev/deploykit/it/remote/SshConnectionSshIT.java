package dev.deploykit.it.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.core.engine.ContainerSpec;
import dev.deploykit.core.engine.PortForward;
import dev.deploykit.core.engine.SshHost;
import dev.deploykit.core.internal.ssh.SshDockerHost;
import dev.deploykit.images.Recipes;
import dev.deploykit.it.support.DockerRequired;
import dev.deploykit.it.support.StandInImageSubstitutor;
import dev.deploykit.it.support.TestDroplet;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.DockerClientFactory;

/**
 * The one connection: many concurrent calls share it (one sshd process on the host, no
 * {@code dial-stdio}), closing leaves nothing running there, and a connection that drops, loudly
 * or silently, is opened again for the next call.
 */
@ExtendWith(DockerRequired.class)
@Timeout(180)
class SshConnectionSshIT {
  private static TestDroplet droplet;
  private static String image;

  @BeforeAll
  static void start() throws Exception {
    image = StandInImageSubstitutor.images().build(Recipes.BUSYBOX);
    droplet = TestDroplet.start();
    try (SshHost host = droplet.ssh().build();
        InputStream saved = DockerClientFactory.instance().client().saveImageCmd(image).exec()) {
      host.client().loadImageCmd(saved).exec();
    }
    awaitNoSessions();
  }

  @AfterAll
  static void stop() {
    if (droplet != null) {
      droplet.close();
    }
  }

  /** The deploy user's sshd processes: one per SSH connection. */
  private static List<String> sessions() {
    return droplet.processesOf(TestDroplet.USER).stream().filter(p -> p.contains("sshd")).toList();
  }

  private static void awaitNoSessions() throws InterruptedException {
    for (int i = 0; i < 100 && !sessions().isEmpty(); i++) {
      Thread.sleep(100);
    }
  }

  @Test
  void concurrentCallsShareOneConnectionAndCloseLeavesNothingOnTheHost() throws Exception {
    SshHost host = droplet.ssh().build();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> calls = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        calls.add(pool.submit(() -> {
          int n = 0;
          for (int j = 0; j < 10; j++) {
            n += host.list(Map.of(), "bridge").size() + host.imageId(image).map(id -> 1).orElse(0);
          }
          return n;
        }));
      }
      for (Future<Integer> call : calls) {
        assertThat(call.get()).isEqualTo(10);
      }
      assertThat(host.connectionsOpened()).isEqualTo(1);
      assertThat(sessions()).as("one sshd process for the one connection").hasSize(1);
      assertThat(droplet.processes()).noneMatch(p -> p.contains("dial-stdio"));
      System.out.printf("SshConnectionSshIT: 160 concurrent calls over %d SSH connection, %d engine channels%n",
          host.connectionsOpened(), ((SshDockerHost) host).engineConnections());
    } finally {
      pool.shutdownNow();
      host.close();
    }
    awaitNoSessions();
    assertThat(sessions()).as("closing ends the connection's processes on the host").isEmpty();
    assertThat(droplet.processesOf(TestDroplet.USER)).isEmpty();
    assertThat(droplet.processes()).noneMatch(p -> p.contains("dial-stdio"));
  }

  @Test
  void aKilledConnectionIsOpenedAgainAndForwardsKeepWorking() throws Exception {
    try (SshHost host = droplet.ssh().build()) {
      String web = startEcho(host, "reconnect-echo");
      try (PortForward forward = host.forward(web, "bridge", 7000)) {
        assertThat(echo(forward, "before")).isEqualTo("before");
        droplet.must("pkill", "-KILL", "-u", TestDroplet.USER);
        assertThat(host.inspect(web, "bridge")).get().extracting(s -> s.running()).isEqualTo(true);
        assertThat(host.connectionsOpened()).isEqualTo(2);
        assertThat(echo(forward, "after")).as("a forward opened before the drop carries new connections").isEqualTo("after");
        assertThat(host.connectionsOpened()).isEqualTo(2);
      } finally {
        host.remove(web);
      }
    }
    awaitNoSessions();
  }

  @Test
  void aSilentlyDeadConnectionIsNoticedByKeepaliveAndTheCallSucceedsOnANewOne() throws Exception {
    try (SshHost host = droplet.ssh().keepAlive(Duration.ofSeconds(1)).build()) {
      host.ping();
      // Frozen, not killed: the TCP connection stays up, nothing answers on it.
      droplet.must("pkill", "-STOP", "-u", TestDroplet.USER);
      long started = System.nanoTime();
      try {
        assertThat(host.list(Map.of(), "bridge")).isNotNull();
      } finally {
        droplet.exec("pkill", "-KILL", "-u", TestDroplet.USER);
      }
      System.out.printf("SshConnectionSshIT: a frozen connection was replaced and the call answered after %d ms"
          + " (keepalive 1 s, %d missed)%n", (System.nanoTime() - started) / 1_000_000, 3);
      assertThat(host.connectionsOpened()).isEqualTo(2);
    }
    awaitNoSessions();
  }

  /** A container echoing every line back on port 7000. */
  private static String startEcho(SshHost host, String name) {
    String id = host.create(ContainerSpec.builder(name + "-" + System.nanoTime(), image)
        .command(List.of("nc", "-ll", "-p", "7000", "-e", "cat")).build());
    host.start(id);
    return id;
  }

  private static String echo(PortForward forward, String text) throws Exception {
    Exception last = null;
    for (int attempt = 0; attempt < 50; attempt++) {
      try (Socket socket = new Socket(forward.address().getAddress(), forward.address().getPort())) {
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        byte[] answer = socket.getInputStream().readNBytes(text.length());
        if (answer.length == text.length()) {
          return new String(answer, StandardCharsets.UTF_8);
        }
      } catch (java.io.IOException e) {
        last = e;
      }
      Thread.sleep(100);
    }
    throw last == null ? new IllegalStateException("no echo") : last;
  }
}
