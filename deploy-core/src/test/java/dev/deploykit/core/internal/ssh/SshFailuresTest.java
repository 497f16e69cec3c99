package dev.deploykit.core.internal.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.DeployException.Reason;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SshFailuresTest {
  private static final Path FILE = Path.of("/home/ops/.ssh/known_hosts");

  @Test
  void anUnknownHostKeyNamesTypeFingerprintTheLineToAddAndTheOption() {
    DeployException e = SshFailures.hostKey(new HostKeyDecision.Unknown(FILE, "[10.0.0.5]:2222",
        "ssh-ed25519", TestKeys.ED25519_SHA256, "[10.0.0.5]:2222 ssh-ed25519 " + TestKeys.ED25519));
    assertThat(e.reason()).isEqualTo(Reason.HOST_KEY_REJECTED);
    assertThat(e.getMessage()).startsWith("Host key of [10.0.0.5]:2222 is not known")
        .contains("ssh-ed25519 " + TestKeys.ED25519_SHA256, "[10.0.0.5]:2222 ssh-ed25519 " + TestKeys.ED25519,
            FILE.toString(), "acceptNewHostKey(true)", "--accept-new-host-key")
        .doesNotContain("\n");
  }

  @Test
  void aChangedHostKeyNamesTheFileAndLine() {
    DeployException e = SshFailures.hostKey(new HostKeyDecision.Changed(FILE, "droplet.example",
        "ssh-ed25519", TestKeys.ED25519_SHA256, List.of(7)));
    assertThat(e.reason()).isEqualTo(Reason.HOST_KEY_REJECTED);
    assertThat(e.getMessage()).startsWith("Host key of droplet.example has CHANGED")
        .contains(FILE + " line 7 holds another key", "ssh-keygen -R 'droplet.example' -f " + FILE,
            "never accepted")
        .doesNotContain("\n");
    assertThat(SshFailures.hostKey(new HostKeyDecision.Changed(FILE, "h", "t", "f", List.of(2, 9))).getMessage())
        .contains("lines 2, 9 hold");
  }

  @Test
  void unreachableHostsSayWhereAndWhatToCheck() {
    DeployException refused = SshFailures.refused("droplet.example:2222", new ConnectException("Connection refused"));
    assertThat(refused.reason()).isEqualTo(Reason.HOST_UNREACHABLE);
    assertThat(refused.getMessage()).startsWith("Nothing accepts SSH connections at droplet.example:2222 (Connection refused)");
    DeployException slow = SshFailures.timedOut("droplet.example:22", SshConnector.PHASE_HANDSHAKE,
        Duration.ofMillis(1500), new java.io.IOException("Socket closed"));
    assertThat(slow.getMessage()).startsWith("droplet.example:22 accepted the connection but did not complete"
        + " the SSH handshake within 1500 ms");
  }

  @Test
  void aRefusedKeyIsNamedByOriginAndFingerprintAndNeverByContent() {
    DeployException e = SshFailures.notAuthorised("deploy", "droplet.example:22",
        List.of(new SshKeys.Key("environment variable DEPLOY_KEY", "SHA256:abc", null)), new RuntimeException());
    assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
    assertThat(e.getMessage()).startsWith("deploy@droplet.example:22 refused the key environment variable"
        + " DEPLOY_KEY (SHA256:abc)").contains("~deploy/.ssh/authorized_keys");
  }

  @Test
  void keysThatCannotBeDecryptedSayWhetherThePassphraseIsMissingOrWrong() {
    assertThat(SshFailures.keyNotDecrypted("/k", true, new RuntimeException()).getMessage())
        .isEqualTo("SSH key /k cannot be decrypted: the passphrase is wrong");
    assertThat(SshFailures.keyNotDecrypted("/k", false, new RuntimeException()).getMessage())
        .startsWith("SSH key /k is encrypted and no passphrase was given");
  }
}
