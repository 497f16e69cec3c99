package dev.deploykit.core.internal.ssh;

import static dev.deploykit.core.internal.ssh.TestKeys.ECDSA;
import static dev.deploykit.core.internal.ssh.TestKeys.ED25519;
import static dev.deploykit.core.internal.ssh.TestKeys.OTHER_ED25519;
import static dev.deploykit.core.internal.ssh.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownHostsFileTest {
  @TempDir Path dir;

  private KnownHostsFile file(String... lines) throws IOException {
    Path file = dir.resolve("known_hosts");
    Files.write(file, List.of(lines));
    return KnownHostsFile.read(file);
  }

  @Test
  void writesFingerprintsAndKeysAsOpenSshDoes() {
    assertThat(HostKeys.sha256(key(ED25519))).isEqualTo(TestKeys.ED25519_SHA256);
    assertThat(HostKeys.sha256(key(ECDSA))).isEqualTo(TestKeys.ECDSA_SHA256);
    assertThat(HostKeys.openSsh(key(ED25519))).isEqualTo("ssh-ed25519 " + ED25519);
    assertThat(HostKeys.knownHostsName("Droplet.Example", 22)).isEqualTo("droplet.example");
    assertThat(HostKeys.knownHostsName("10.0.0.5", 2222)).isEqualTo("[10.0.0.5]:2222");
  }

  @Test
  void trustsAPlainEntryAndNamesItsLine() throws IOException {
    KnownHostsFile known = file("# deploy targets", "", "other.example ssh-ed25519 " + OTHER_ED25519,
        "droplet.example ssh-ed25519 " + ED25519);
    assertThat(known.decide("droplet.example", 22, key(ED25519)))
        .isEqualTo(new HostKeyDecision.Trusted(known.file(), 4));
    assertThat(known.decide("DROPLET.example", 22, key(ED25519)).trusted()).as("names are case-blind").isTrue();
  }

  @Test
  void readsHashedEntriesAndPortsInBrackets() throws IOException {
    KnownHostsFile known = file(TestKeys.HASHED_ED25519_PORT_2222, TestKeys.HASHED_ECDSA_PORT_22);
    assertThat(known.decide("droplet.example", 2222, key(ED25519))).isEqualTo(new HostKeyDecision.Trusted(known.file(), 1));
    assertThat(known.decide("droplet.example", 22, key(ECDSA))).isEqualTo(new HostKeyDecision.Trusted(known.file(), 2));
    assertThat(known.decide("droplet.example", 2223, key(ED25519))).isInstanceOf(HostKeyDecision.Unknown.class);
    assertThat(known.keyTypes("droplet.example", 2222)).containsExactly("ssh-ed25519");
  }

  @Test
  void anUnknownHostGetsItsTypeFingerprintAndTheLineThatWouldTrustIt() throws IOException {
    KnownHostsFile known = file("other.example ssh-ed25519 " + OTHER_ED25519);
    HostKeyDecision decision = known.decide("10.0.0.5", 2222, key(ED25519));
    assertThat(decision).isEqualTo(new HostKeyDecision.Unknown(known.file(), "[10.0.0.5]:2222", "ssh-ed25519",
        TestKeys.ED25519_SHA256, "[10.0.0.5]:2222 ssh-ed25519 " + ED25519));
    assertThat(decision.trusted()).isFalse();
  }

  @Test
  void aMissingFileKnowsNoHost() {
    KnownHostsFile known = KnownHostsFile.read(dir.resolve("absent"));
    assertThat(known.decide("droplet.example", 22, key(ED25519))).isInstanceOf(HostKeyDecision.Unknown.class);
  }

  @Test
  void anotherKeyOfTheSameTypeIsAChangeNamingEveryLineThatHoldsTheHost() throws IOException {
    KnownHostsFile known = file("droplet.example ssh-ed25519 " + OTHER_ED25519, "garbage line",
        "*.example ssh-ed25519 " + OTHER_ED25519);
    assertThat(known.decide("droplet.example", 22, key(ED25519))).isEqualTo(new HostKeyDecision.Changed(
        known.file(), "droplet.example", "ssh-ed25519", TestKeys.ED25519_SHA256, List.of(1, 3)));
  }

  @Test
  void aKeyOfATypeTheFileDoesNotHoldForAKnownHostIsAChangeNotANewHost() throws IOException {
    KnownHostsFile known = file("droplet.example ecdsa-sha2-nistp256 " + ECDSA);
    assertThat(known.decide("droplet.example", 22, key(ED25519))).isInstanceOf(HostKeyDecision.Changed.class);
  }

  @Test
  void aRevokedKeyIsRefusedEvenWhereAnotherLineTrustsIt() throws IOException {
    KnownHostsFile known = file("droplet.example ssh-ed25519 " + ED25519,
        "@revoked * ssh-ed25519 " + ED25519);
    assertThat(known.decide("droplet.example", 22, key(ED25519))).isEqualTo(new HostKeyDecision.Revoked(
        known.file(), "droplet.example", "ssh-ed25519", TestKeys.ED25519_SHA256, 2));
  }

  @Test
  void aCertificateAuthorityLineDoesNotMakeAPlainKeyAChange() throws IOException {
    KnownHostsFile known = file("@cert-authority *.example ssh-ed25519 " + OTHER_ED25519);
    assertThat(known.decide("droplet.example", 22, key(ED25519))).isInstanceOf(HostKeyDecision.Unknown.class);
  }

  @Test
  void appendingCreatesAPrivateFileAndTheNextReadTrustsTheKey() throws IOException {
    Path file = dir.resolve("ssh").resolve("known_hosts");
    String line = KnownHostsFile.append(file, "10.0.0.5", 2222, key(ED25519));
    assertThat(line).isEqualTo("[10.0.0.5]:2222 ssh-ed25519 " + ED25519);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    assertThat(KnownHostsFile.read(file).decide("10.0.0.5", 2222, key(ED25519)).trusted()).isTrue();
  }

  @Test
  void appendingToAFileWithoutAFinalNewlineStartsANewLine() throws IOException {
    Path file = dir.resolve("known_hosts");
    Files.writeString(file, "other.example ssh-ed25519 " + OTHER_ED25519);
    KnownHostsFile.append(file, "droplet.example", 22, key(ED25519));
    assertThat(Files.readAllLines(file)).containsExactly("other.example ssh-ed25519 " + OTHER_ED25519,
        "droplet.example ssh-ed25519 " + ED25519);
  }
}
