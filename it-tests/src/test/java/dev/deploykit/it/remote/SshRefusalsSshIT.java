package dev.deploykit.it.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.DeployException.Reason;
import dev.deploykit.core.engine.SshHost;
import dev.deploykit.it.support.DockerRequired;
import dev.deploykit.it.support.TestDroplet;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every way a remote host refuses, each one line with its reason, its host and port and what to
 * do, and a bounded wait: a key the host does not know, a wrong or missing passphrase, a closed
 * port, a port that never speaks SSH, a user outside the docker group, an engine that does not
 * run, Docker not installed; and an sshd that refuses socket forwarding, which is used through
 * {@code docker system dial-stdio} in session channels instead, leaving no relay behind.
 */
@ExtendWith(DockerRequired.class)
@Timeout(120)
class SshRefusalsSshIT {
  private static TestDroplet droplet;

  @BeforeAll
  static void start() {
    droplet = TestDroplet.start();
  }

  @AfterAll
  static void stop() {
    if (droplet != null) {
      droplet.close();
    }
  }

  private static DeployException refusal(SshHost.Builder builder) {
    try (SshHost host = builder.build()) {
      return org.junit.jupiter.api.Assertions.assertThrows(DeployException.class, host::ping);
    }
  }

  @Test
  void aKeyTheHostDoesNotKnowIsNamedWithItsFingerprint() {
    Path stranger = droplet.folder().resolve("id_stranger");
    droplet.generateKey(stranger, null);
    DeployException e = refusal(SshHost.builder("127.0.0.1").port(droplet.port()).user(TestDroplet.USER)
        .identityFile(stranger).knownHosts(droplet.knownHosts()));
    assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
    assertThat(e.getMessage()).startsWith("deploy@127.0.0.1:" + droplet.port() + " refused the key " + stranger + " (SHA256:")
        .contains("~deploy/.ssh/authorized_keys").doesNotContain("\n");
  }

  @Test
  void anEncryptedKeyNeedsItsPassphraseAndAWrongOneIsSaidSo() throws IOException {
    Path locked = droplet.folder().resolve("id_locked");
    droplet.generateKey(locked, "correct horse");
    droplet.authorize(TestDroplet.USER, Files.readString(locked.resolveSibling("id_locked.pub")));
    SshHost.Builder base = SshHost.builder("127.0.0.1").port(droplet.port()).user(TestDroplet.USER)
        .identityFile(locked).knownHosts(droplet.knownHosts());
    assertThat(refusal(base).getMessage()).isEqualTo("SSH key " + locked
        + " is encrypted and no passphrase was given: pass it with passphrase(...)");
    DeployException wrong = refusal(SshHost.builder("127.0.0.1").port(droplet.port()).user(TestDroplet.USER)
        .identityFile(locked).knownHosts(droplet.knownHosts()).passphrase("battery staple".toCharArray()));
    assertThat(wrong.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
    assertThat(wrong.getMessage()).isEqualTo("SSH key " + locked + " cannot be decrypted: the passphrase is wrong");
    try (SshHost host = SshHost.builder("127.0.0.1").port(droplet.port()).user(TestDroplet.USER)
        .identityFile(locked).knownHosts(droplet.knownHosts()).passphrase("correct horse".toCharArray()).build()) {
      host.ping();
    }
  }

  @Test
  void aClosedPortIsRefusedAtOnce() throws IOException {
    int closed;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = probe.getLocalPort();
    }
    DeployException e = refusal(SshHost.builder("127.0.0.1").port(closed).identityFile(droplet.userKey())
        .knownHosts(droplet.knownHosts()));
    assertThat(e.reason()).isEqualTo(Reason.HOST_UNREACHABLE);
    assertThat(e.getMessage()).startsWith("Nothing accepts SSH connections at 127.0.0.1:" + closed);
  }

  @Test
  void aPortThatNeverSpeaksSshIsGivenUpWithinTheConnectTimeout() throws IOException {
    List<Socket> held = new ArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread accepting = Thread.ofPlatform().daemon().start(() -> {
        try {
          while (true) {
            held.add(silent.accept());
          }
        } catch (IOException closed) {
          // The test is over.
        }
      });
      long started = System.nanoTime();
      DeployException e = refusal(SshHost.builder("127.0.0.1").port(silent.getLocalPort())
          .identityFile(droplet.userKey()).knownHosts(droplet.knownHosts()).connectTimeout(Duration.ofSeconds(1)));
      System.out.printf("SshRefusalsSshIT: a silent port was given up after %d ms (connect timeout 1 s)%n",
          (System.nanoTime() - started) / 1_000_000);
      assertThat(e.reason()).isEqualTo(Reason.HOST_UNREACHABLE);
      assertThat(e.getMessage()).startsWith("127.0.0.1:" + silent.getLocalPort()
          + " accepted the connection but did not complete the SSH handshake within 1 s");
      accepting.interrupt();
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
    }
  }

  @Test
  void aUserOutsideTheDockerGroupIsToldToJoinIt() {
    DeployException e = refusal(droplet.ssh(TestDroplet.OUTSIDER));
    assertThat(e.reason()).isEqualTo(Reason.ENGINE_UNAVAILABLE);
    assertThat(e.getMessage()).startsWith("User outsider on 127.0.0.1:" + droplet.port()
        + " may not use the engine socket /var/run/docker.sock")
        .contains("sudo usermod -aG docker outsider", "deploykit host bootstrap").doesNotContain("\n");
  }

  @Test
  void anEngineThatDoesNotRunAndADockerThatIsNotInstalledNameBootstrap() {
    DeployException notRunning = refusal(droplet.ssh().engineSocket("/run/docker-absent.sock"));
    assertThat(notRunning.reason()).isEqualTo(Reason.ENGINE_UNAVAILABLE);
    assertThat(notRunning.getMessage()).startsWith("Docker is installed on 127.0.0.1:" + droplet.port()
        + " but its engine is not running (no socket at /run/docker-absent.sock)")
        .contains("`deploykit host bootstrap --host ssh://deploy@127.0.0.1:" + droplet.port() + "`");

    // The binaries moved aside: what a bare host looks like to the probe (dockerd keeps running).
    droplet.must("sh", "-c", "mv /usr/sbin/dockerd /usr/sbin/dockerd.off && mv /usr/bin/docker /usr/bin/docker.off");
    try {
      DeployException missing = refusal(droplet.ssh().engineSocket("/run/docker-absent.sock"));
      assertThat(missing.getMessage()).startsWith("Docker is not installed on 127.0.0.1:" + droplet.port())
          .contains("deploykit host bootstrap");
    } finally {
      droplet.must("sh", "-c", "mv /usr/sbin/dockerd.off /usr/sbin/dockerd && mv /usr/bin/docker.off /usr/bin/docker");
    }
  }

  @Test
  void anSshdThatRefusesSocketForwardingIsUsedThroughDialStdioAndLeavesNoRelayBehind() throws IOException {
    try (SshHost host = spareSshdRefusingForwarding().build()) {
      host.ping();
      assertThat(host.list(java.util.Map.of(), "bridge")).isNotNull();
      assertThat(host.imageId("deploykit.local/absent:none")).isEmpty();
    }
    String left = "";
    for (int attempt = 0; attempt < 100; attempt++) {
      left = droplet.exec("pgrep", "-af", "system dial-stdio").output().strip();
      if (left.isEmpty()) {
        break;
      }
      sleep(100);
    }
    assertThat(left).as("dial-stdio processes left on the host after close").isEmpty();
  }

  @Test
  void anSshdThatRefusesSocketForwardingWithNoRelayOnTheHostIsNamedWithTheSettingToChange() throws IOException {
    SshHost.Builder builder = spareSshdRefusingForwarding();
    // Without the docker CLI (and no socat) there is nothing to relay through.
    droplet.must("mv", "/usr/bin/docker", "/usr/bin/docker.off");
    try {
      DeployException e = refusal(builder);
      assertThat(e.reason()).isEqualTo(Reason.ENGINE_UNAVAILABLE);
      assertThat(e.getMessage()).startsWith("sshd on 127.0.0.1:" + droplet.sparePort()
          + " refuses to forward to the engine socket /var/run/docker.sock")
          .contains("AllowStreamLocalForwarding yes");
    } finally {
      droplet.must("mv", "/usr/bin/docker.off", "/usr/bin/docker");
    }
  }

  /** A second sshd on the spare port with {@code AllowStreamLocalForwarding no}, started once. */
  private static synchronized SshHost.Builder spareSshdRefusingForwarding() throws IOException {
    Path file = droplet.folder().resolve("spare_hosts");
    if (!Files.exists(file)) {
      droplet.must("/usr/sbin/sshd", "-p", String.valueOf(TestDroplet.SPARE_SSHD_PORT), "-o", "AllowStreamLocalForwarding=no");
      Files.writeString(file, droplet.knownHostsLine().replace(":" + droplet.port() + " ", ":" + droplet.sparePort() + " ") + "\n");
      awaitListening(droplet.sparePort());
    }
    return SshHost.builder("127.0.0.1").port(droplet.sparePort()).user(TestDroplet.USER)
        .identityFile(droplet.userKey()).knownHosts(file);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitListening(int port) {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        if (socket.getInputStream().read() == 'S') {
          return;
        }
      } catch (IOException e) {
        // Not yet.
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
