package dev.deploykit.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.core.internal.ssh.SshIdentity;
import dev.deploykit.core.internal.ssh.SshSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshHostBuilderTest {
  private static final String KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n";
  @TempDir Path home;

  private SshHost.Builder builder(String host) throws IOException {
    Files.createDirectories(home.resolve(".ssh"));
    Files.writeString(home.resolve(".ssh").resolve("id_ed25519"), KEY);
    return SshHost.builder(host).home(home);
  }

  @Test
  void defaultsToPort22TheDefaultKeysAndTheUsersKnownHosts() throws IOException {
    SshSettings s = builder("droplet.example").user("deploy").settings();
    assertThat(s.port()).isEqualTo(22);
    assertThat(s.identities()).containsExactly(new SshIdentity.KeyFile(home.resolve(".ssh/id_ed25519")));
    assertThat(s.knownHosts()).isEqualTo(home.resolve(".ssh/known_hosts"));
    assertThat(s.acceptNewHostKey()).isFalse();
    assertThat(s.engineSocket()).isEqualTo("/var/run/docker.sock");
    assertThat(s.address()).isEqualTo("ssh://deploy@droplet.example");
    assertThat(s.connectTimeout()).isPositive();
    assertThat(s.keepAlive()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void readsTheAddressAsTheDockerCliWritesIt() throws IOException {
    SshSettings s = SshHost.fromAddress("ssh://deploy@10.0.0.5:2222").home(home).identityKey(KEY).settings();
    assertThat(s.user()).isEqualTo("deploy");
    assertThat(s.host()).isEqualTo("10.0.0.5");
    assertThat(s.port()).isEqualTo(2222);
    assertThat(s.address()).isEqualTo("ssh://deploy@10.0.0.5:2222");
    assertThat(SshHost.fromAddress("ssh://[::1]:2200").home(home).identityKey(KEY).settings().hostAndPort())
        .isEqualTo("[::1]:2200");
    for (String bad : List.of("tcp://host:2375", "ssh://", "ssh://host/path", "host:22", "ssh://host?x=1")) {
      assertThatThrownBy(() -> SshHost.fromAddress(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("ssh://[user@]host[:port]");
    }
  }

  @Test
  void everySetterRejectsAValueThatCannotWork() {
    assertThatThrownBy(() -> SshHost.builder(" ")).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("host");
    assertThatThrownBy(() -> SshHost.builder("deploy@host")).isInstanceOf(IllegalArgumentException.class);
    SshHost.Builder b = SshHost.builder("host");
    assertThatThrownBy(() -> b.port(0)).hasMessage("port must be within 1..65535, not 0");
    assertThatThrownBy(() -> b.port(65536)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.user("a b")).hasMessageStartingWith("user");
    assertThatThrownBy(() -> b.connectTimeout(Duration.ZERO)).hasMessageStartingWith("connectTimeout must be positive");
    assertThatThrownBy(() -> b.callTimeout(Duration.ofSeconds(-1))).hasMessageStartingWith("callTimeout");
    assertThatThrownBy(() -> b.keepAlive(Duration.ofMillis(500))).hasMessageStartingWith("keepAlive must be at least 1 s");
    assertThatThrownBy(() -> b.engineSocket("docker.sock")).hasMessageStartingWith("engineSocket");
    assertThatThrownBy(() -> b.identityKey("ssh-ed25519 AAAA public")).hasMessageContaining("does not hold a private key");
  }

  @Test
  void takesAKeyFromAnEnvironmentVariableAndSaysWhenItIsMissing() throws IOException {
    Map<String, String> env = Map.of("DEPLOY_KEY", KEY, "EMPTY", "");
    SshSettings s = builder("host").environment(env::get).identityKeyFromEnvironment("DEPLOY_KEY").settings();
    assertThat(s.identities()).singleElement().isInstanceOfSatisfying(SshIdentity.KeyText.class,
        k -> assertThat(k.origin()).isEqualTo("environment variable DEPLOY_KEY"));
    assertThat(s.toString()).doesNotContain("AAAA");
    assertThatThrownBy(() -> builder("host").environment(env::get).identityKeyFromEnvironment("ABSENT"))
        .hasMessage("environment variable ABSENT holds no private key (it is unset)");
    assertThatThrownBy(() -> builder("host").environment(env::get).identityKeyFromEnvironment("EMPTY"))
        .hasMessage("environment variable EMPTY holds no private key (it is empty)");
  }

  @Test
  void givenKeysReplaceTheDefaultsAndMustExist() throws IOException {
    Path other = home.resolve("deploy_key");
    Files.writeString(other, KEY);
    assertThat(builder("host").identityFile(other).settings().identities())
        .containsExactly(new SshIdentity.KeyFile(other));
    assertThatThrownBy(() -> builder("host").identityFile(home.resolve("absent")).settings())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("absent does not exist");
    assertThatThrownBy(() -> SshHost.builder("host").home(home.resolve("nobody")).settings())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("give identityFile or identityKey");
  }

  @Test
  void keepsItsOwnCopyOfThePassphraseAndNeverPrintsIt() throws IOException {
    char[] passphrase = "hunter2".toCharArray();
    SshHost.Builder b = builder("host").passphrase(passphrase);
    java.util.Arrays.fill(passphrase, 'x');
    SshSettings s = b.settings();
    assertThat(s.passphrase()).containsExactly("hunter2".toCharArray());
    assertThat(s.toString()).contains("passphrase=given").doesNotContain("hunter2");
    assertThat(b.toString()).doesNotContain("hunter2");
  }

  @Test
  void buildingConnectsNothing() throws IOException {
    try (SshHost host = builder("host.invalid").port(2222).build()) {
      assertThat(host.connectionsOpened()).isZero();
      assertThat(host.address()).isEqualTo("ssh://" + System.getProperty("user.name") + "@host.invalid:2222");
    }
  }
}
