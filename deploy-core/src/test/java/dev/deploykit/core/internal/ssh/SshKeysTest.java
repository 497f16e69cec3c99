package dev.deploykit.core.internal.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.DeployException.Reason;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import net.schmizz.sshj.DefaultConfig;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys generated here (PKCS#8, plain and encrypted), read as a connection would read them. */
class SshKeysTest {
  private static final DefaultConfig CONFIG = new DefaultConfig();
  private static KeyPair pair;
  @TempDir Path dir;

  @BeforeAll
  static void generate() throws Exception {
    // RSA: sshj 0.40 cannot read the JDK's PKCS#8 encoding of EC keys (an IndexOutOfBounds).
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    pair = generator.generateKeyPair();
  }

  private static String pem(char[] passphrase) throws Exception {
    OutputEncryptor encryptor = passphrase == null ? null
        : new JceOpenSSLPKCS8EncryptorBuilder(org.bouncycastle.openssl.PKCS8Generator.AES_256_CBC).setPassword(passphrase).build();
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(new JcaPKCS8Generator(pair.getPrivate(), encryptor));
    }
    return text.toString();
  }

  private static SshSettings settings(List<SshIdentity> keys, char[] passphrase) {
    return new SshSettings("droplet.example", 22, "deploy", keys, passphrase, Path.of("known_hosts"), false,
        Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5), "/var/run/docker.sock");
  }

  @Test
  void readsAKeyFileAndAKeyTextAndNamesThemByOriginAndFingerprint() throws Exception {
    Path file = dir.resolve("id_rsa");
    Files.writeString(file, pem(null));
    SshKeys keys = SshKeys.load(settings(List.of(new SshIdentity.KeyFile(file),
        new SshIdentity.KeyText("environment variable DEPLOY_KEY", pem(null))), null), CONFIG);
    String fingerprint = HostKeys.sha256(pair.getPublic());
    assertThat(keys.keys()).extracting(SshKeys.Key::origin, SshKeys.Key::fingerprint).containsExactly(
        org.assertj.core.groups.Tuple.tuple(file.toString(), fingerprint),
        org.assertj.core.groups.Tuple.tuple("environment variable DEPLOY_KEY", fingerprint));
    assertThat(keys.methods()).hasSize(2);
  }

  @Test
  void decryptsWithThePassphraseAndWipesItsOwnCopy() throws Exception {
    char[] passphrase = "correct horse".toCharArray();
    SshSettings settings = settings(List.of(new SshIdentity.KeyText("key text", pem("correct horse".toCharArray()))), passphrase);
    assertThat(SshKeys.load(settings, CONFIG).keys()).hasSize(1);
    assertThat(passphrase).as("the caller's array is the caller's").containsExactly("correct horse".toCharArray());
  }

  @Test
  void aWrongPassphraseFailsBeforeAnyConnection() throws Exception {
    SshSettings settings = settings(List.of(new SshIdentity.KeyText("key text", pem("right".toCharArray()))),
        "wrong".toCharArray());
    assertThatThrownBy(() -> SshKeys.load(settings, CONFIG)).isInstanceOfSatisfying(DeployException.class, e -> {
      assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED);
      assertThat(e.getMessage()).isEqualTo("SSH key key text cannot be decrypted: the passphrase is wrong");
    });
  }

  @Test
  void anEncryptedKeyWithoutPassphraseSaysSo() throws Exception {
    SshSettings settings = settings(List.of(new SshIdentity.KeyText("key text", pem("right".toCharArray()))), null);
    assertThatThrownBy(() -> SshKeys.load(settings, CONFIG)).isInstanceOf(DeployException.class)
        .hasMessageStartingWith("SSH key key text is encrypted and no passphrase was given");
  }

  @Test
  void anUnreadableKeyIsNamed() throws IOException {
    Path file = dir.resolve("id_broken");
    Files.writeString(file, "-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5\n-----END OPENSSH PRIVATE KEY-----\n");
    assertThatThrownBy(() -> SshKeys.load(settings(List.of(new SshIdentity.KeyFile(file)), null), CONFIG))
        .isInstanceOf(DeployException.class).hasMessageStartingWith("SSH key " + file + " cannot be read");
  }
}
