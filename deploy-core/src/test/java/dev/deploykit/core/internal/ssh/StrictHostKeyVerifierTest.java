package dev.deploykit.core.internal.ssh;

import static dev.deploykit.core.internal.ssh.TestKeys.ED25519;
import static dev.deploykit.core.internal.ssh.TestKeys.OTHER_ED25519;
import static dev.deploykit.core.internal.ssh.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StrictHostKeyVerifierTest {
  @TempDir Path dir;

  @Test
  void refusesAnUnknownHostAndRemembersWhy() {
    StrictHostKeyVerifier verifier = new StrictHostKeyVerifier(dir.resolve("known_hosts"), false);
    assertThat(verifier.verify("droplet.example", 22, key(ED25519))).isFalse();
    assertThat(verifier.decision()).get().isInstanceOf(HostKeyDecision.Unknown.class);
    assertThat(dir.resolve("known_hosts")).doesNotExist();
  }

  @Test
  void acceptsANewHostOnceByAppendingItsKey() throws IOException {
    Path file = dir.resolve("known_hosts");
    StrictHostKeyVerifier first = new StrictHostKeyVerifier(file, true);
    assertThat(first.verify("droplet.example", 2222, key(ED25519))).isTrue();
    assertThat(first.decision()).get().isInstanceOf(HostKeyDecision.Accepted.class);

    StrictHostKeyVerifier second = new StrictHostKeyVerifier(file, true);
    assertThat(second.verify("droplet.example", 2222, key(ED25519))).isTrue();
    assertThat(second.decision()).get().isEqualTo(new HostKeyDecision.Trusted(file, 1));
    assertThat(Files.readAllLines(file)).hasSize(1);
  }

  @Test
  void neverAcceptsAChangedKeyNotEvenWhenNewKeysAreAccepted() throws IOException {
    Path file = dir.resolve("known_hosts");
    Files.write(file, List.of("droplet.example ssh-ed25519 " + OTHER_ED25519));
    StrictHostKeyVerifier verifier = new StrictHostKeyVerifier(file, true);
    assertThat(verifier.verify("droplet.example", 22, key(ED25519))).isFalse();
    assertThat(verifier.decision()).get().isInstanceOf(HostKeyDecision.Changed.class);
    assertThat(Files.readAllLines(file)).hasSize(1);
  }

  @Test
  void asksTheHostForTheKeyTypesTheFileHolds() throws IOException {
    Path file = dir.resolve("known_hosts");
    Files.write(file, List.of(TestKeys.HASHED_ECDSA_PORT_22));
    assertThat(new StrictHostKeyVerifier(file, false).findExistingAlgorithms("droplet.example", 22))
        .containsExactly("ecdsa-sha2-nistp256");
    assertThat(new StrictHostKeyVerifier(file, false).findExistingAlgorithms("elsewhere.example", 22)).isEmpty();
  }
}
