package dev.deploykit.digitalocean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.digitalocean.internal.CloudConfig;
import dev.deploykit.digitalocean.internal.KnownHostsLines;
import dev.deploykit.digitalocean.internal.OpenSshKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvisioningPartsTest {
  @TempDir Path dir;

  @Test
  void theHostKeyIsAnOpenSshKeyThatSshKeygenReadsBack() throws Exception {
    OpenSshKeys.HostKey key = OpenSshKeys.ed25519("host");
    assertThat(key.toString()).doesNotContain("PRIVATE");
    Path file = dir.resolve("k");
    Files.writeString(file, key.privatePem());
    Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Process p;
    try {
      p = new ProcessBuilder("ssh-keygen", "-y", "-f", file.toString()).redirectErrorStream(true).start();
    } catch (java.io.IOException noKeygen) {
      Assumptions.abort("ssh-keygen is not installed");
      return;
    }
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    String derived = new String(p.getInputStream().readAllBytes()).strip();
    assertThat(p.exitValue()).as(derived).isZero();
    assertThat(OpenSshKeys.typeAndKey(derived)).isEqualTo(OpenSshKeys.typeAndKey(key.publicLine()));
  }

  @Test
  void fingerprintsAreDigitalOceansMd5AndOpenSshsSha256() {
    // ssh-keygen -E md5 -lf / -lf of this key
    String line = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPZcO2Wrng4OoEPdkD7LLRCfQANAVC4ndHm6SU9iI3Ky host";
    assertThat(OpenSshKeys.md5Fingerprint(line)).matches("([0-9a-f]{2}:){15}[0-9a-f]{2}");
    assertThat(OpenSshKeys.sha256Fingerprint(line)).startsWith("SHA256:").hasSize(50);
    assertThatThrownBy(() -> OpenSshKeys.md5Fingerprint("not a key")).hasMessageContaining("not an OpenSSH public key");
  }

  @Test
  void theCloudConfigIsValidAndABrokenOneIsRefusedBeforeItIsSent() {
    String text = CloudConfig.render("deploy", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPZcO2Wrng4OoEPdkD7LLRCfQANAVC4ndHm6SU9iI3Ky me",
        OpenSshKeys.ed25519("h"));
    CloudConfig.validate(text);
    assertThat(text).startsWith("#cloud-config\n").contains("packages: [docker.io]").contains("ed25519_private: |");
    assertThatThrownBy(() -> CloudConfig.validate(text.replace("#cloud-config\n", "")))
        .hasMessageContaining("#cloud-config");
    assertThatThrownBy(() -> CloudConfig.validate(text.replace("ssh_genkeytypes: [ed25519]", "ssh_genkeytypes: []")))
        .hasMessageContaining("ssh_genkeytypes");
    assertThatThrownBy(() -> CloudConfig.validate(text + "bogus_module: 1\n")).hasMessageContaining("bogus_module");
    assertThatThrownBy(() -> CloudConfig.validate(text + "x".repeat(70_000))).hasMessageContaining("64");
  }

  @Test
  void knownHostsLinesArePinnedReplacedAndRemovedLeavingOthersAlone() throws Exception {
    Path file = dir.resolve("known_hosts");
    Files.writeString(file, "other.example ssh-ed25519 AAAAother\n203.0.113.7 ssh-ed25519 AAAAstale\n");
    String key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPZcO2Wrng4OoEPdkD7LLRCfQANAVC4ndHm6SU9iI3Ky host";
    assertThat(KnownHostsLines.pin(file, "203.0.113.7", 22, key)).isTrue();
    assertThat(Files.readAllLines(file)).containsExactly("other.example ssh-ed25519 AAAAother",
        "203.0.113.7 " + OpenSshKeys.typeAndKey(key));
    assertThat(KnownHostsLines.pin(file, "203.0.113.7", 22, key)).isFalse();
    assertThat(KnownHostsLines.remove(file, "203.0.113.7", 22)).isTrue();
    assertThat(Files.readAllLines(file)).containsExactly("other.example ssh-ed25519 AAAAother");
  }

  @Test
  void sshFromAnywhereIsRefusedUnlessAskedFor() {
    String key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPZcO2Wrng4OoEPdkD7LLRCfQANAVC4ndHm6SU9iI3Ky me";
    assertThatThrownBy(() -> new DropletPlan("shop", "shop-1", "nyc3", "s-1vcpu-1gb", "debian-12-x64", "deploy", key, null,
        List.of("0.0.0.0/0"), false, 8080, null, Duration.ofMinutes(1), false))
        .hasMessageContaining("--allow-ssh-from-anywhere");
    assertThatThrownBy(() -> new DropletPlan("shop", "shop-1", "nyc3", "s-1vcpu-1gb", "debian-12-x64", "deploy", key, null,
        List.of("203.0.113.300/32"), false, 8080, null, Duration.ofMinutes(1), false))
        .hasMessageContaining("not an address or CIDR");
    new DropletPlan("shop", "shop-1", "nyc3", "s-1vcpu-1gb", "debian-12-x64", "deploy", key, null,
        List.of("0.0.0.0/0"), true, 8080, null, Duration.ofMinutes(1), false);
  }

  @Test
  void theClosestValidNamesAreNamed() {
    assertThat(Provisioner.closest("nyc9", List.of("ams3", "nyc1", "nyc3", "sfo3"))).startsWith("nyc1, nyc3");
  }
}
