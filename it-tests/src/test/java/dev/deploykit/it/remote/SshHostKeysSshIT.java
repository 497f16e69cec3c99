package dev.deploykit.it.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.DeployException.Reason;
import dev.deploykit.core.engine.SshHost;
import dev.deploykit.it.support.DockerRequired;
import dev.deploykit.it.support.TestDroplet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Host keys, strictly, against a real sshd with fresh host keys: an unknown host is refused with
 * its key type and fingerprint and both ways on work; a changed key is refused naming the
 * known_hosts line, even where new keys are accepted; OpenSSH's hashed entries are read.
 */
@ExtendWith(DockerRequired.class)
class SshHostKeysSshIT {
  /** Another ed25519 key: what known_hosts held for the address before the host was rebuilt. */
  private static final String OLD_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICSlhflMU3UBDXGNUaO3AR4Sez4v1iINX7FcQWreEtth";
  private static final Pattern LINE_TO_ADD = Pattern.compile("add this line to \\S+: (.+?) or connect once");

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

  private static Path knownHosts(String name, String... lines) throws IOException {
    Path file = droplet.folder().resolve(name);
    Files.write(file, List.of(lines));
    return file;
  }

  /** Every host key's {@code type fingerprint}, as ssh-keygen prints them on the droplet. */
  private static Map<String, String> hostKeyFingerprints() {
    return Map.of(
        "ssh-ed25519", fingerprint("ed25519"),
        "ecdsa-sha2-nistp256", fingerprint("ecdsa"),
        "ssh-rsa", fingerprint("rsa"));
  }

  private static String fingerprint(String type) {
    return droplet.must("ssh-keygen", "-lf", "/etc/ssh/ssh_host_" + type + "_key.pub").output().split("\\s+")[1];
  }

  @Test
  void anUnknownHostIsRefusedWithItsFingerprintAndTheLineThatTrustsItWorks() throws IOException {
    Path file = knownHosts("unknown_hosts");
    DeployException refused;
    try (SshHost host = droplet.ssh().knownHosts(file).build()) {
      refused = org.junit.jupiter.api.Assertions.assertThrows(DeployException.class, host::ping);
    }
    assertThat(refused.reason()).isEqualTo(Reason.HOST_KEY_REJECTED);
    assertThat(refused.getMessage()).startsWith("Host key of [127.0.0.1]:" + droplet.port() + " is not known")
        .contains("acceptNewHostKey(true)").doesNotContain("\n");
    assertThat(hostKeyFingerprints().entrySet())
        .as("the message names the presented key's type and its SHA256 fingerprint as ssh-keygen prints it")
        .anyMatch(e -> refused.getMessage().contains(e.getKey() + " " + e.getValue()));
    assertThat(Files.readAllLines(file)).as("nothing is added unasked").isEmpty();

    Matcher line = LINE_TO_ADD.matcher(refused.getMessage());
    assertThat(line.find()).isTrue();
    Files.write(file, List.of(line.group(1)));
    try (SshHost host = droplet.ssh().knownHosts(file).build()) {
      host.ping();
    }
  }

  @Test
  void acceptNewHostKeyAddsTheKeyOnceAndLaterConnectionsCheckIt() throws IOException {
    Path file = droplet.folder().resolve("first_contact").resolve("known_hosts");
    try (SshHost host = droplet.ssh().knownHosts(file).acceptNewHostKey(true).build()) {
      host.ping();
    }
    assertThat(Files.readAllLines(file)).singleElement().asString().startsWith("[127.0.0.1]:" + droplet.port() + " ");
    try (SshHost host = droplet.ssh().knownHosts(file).acceptNewHostKey(true).build()) {
      host.ping();
    }
    try (SshHost host = droplet.ssh().knownHosts(file).build()) {
      host.ping();
    }
    assertThat(Files.readAllLines(file)).as("appended once").hasSize(1);
  }

  @Test
  void aChangedKeyIsAlwaysRefusedNamingTheFileAndLine() throws IOException {
    Path file = knownHosts("changed_hosts", "# rebuilt droplet", "[127.0.0.1]:" + droplet.port() + " " + OLD_KEY);
    for (boolean acceptNew : List.of(false, true)) {
      try (SshHost host = droplet.ssh().knownHosts(file).acceptNewHostKey(acceptNew).build()) {
        assertThatThrownBy(host::ping).isInstanceOfSatisfying(DeployException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.HOST_KEY_REJECTED);
          assertThat(e.getMessage()).startsWith("Host key of [127.0.0.1]:" + droplet.port() + " has CHANGED")
              .contains(file + " line 2 holds another key", "ssh-keygen -R").doesNotContain("\n");
        });
        assertThat(host.connectionsOpened()).isZero();
      }
    }
    assertThat(Files.readAllLines(file)).as("a changed key is never written").hasSize(2);
  }

  @Test
  void readsTheHashedEntriesOpenSshWrites() throws IOException {
    droplet.must("sh", "-c", "printf '%s\\n' \"$1\" > /tmp/known_hosts && ssh-keygen -H -f /tmp/known_hosts",
        "sh", droplet.knownHostsLine());
    String hashed = droplet.must("cat", "/tmp/known_hosts").output().strip();
    assertThat(hashed).startsWith("|1|");
    Path file = knownHosts("hashed_hosts", hashed);
    try (SshHost host = droplet.ssh().knownHosts(file).build()) {
      host.ping();
    }
  }
}
