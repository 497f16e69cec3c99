package dev.deploykit.core.internal.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.core.host.OsRelease;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostFactsTest {

  @Test
  void readsOsReleaseAndTheHostsState() {
    HostFacts facts = HostFacts.parse("""
        os.PRETTY_NAME="Ubuntu 24.04.1 LTS"
        os.ID=ubuntu
        os.ID_LIKE=debian
        os.VERSION_ID="24.04"
        user=deploy
        root=no
        installed=yes
        package=24.0.7-0ubuntu4
        running=yes
        systemd=yes
        enabled=disabled
        group=yes
        """);
    assertThat(facts.os()).isEqualTo(new OsRelease("ubuntu", List.of("debian"), "24.04", "Ubuntu 24.04.1 LTS"));
    assertThat(facts.os().debianFamily()).isTrue();
    assertThat(facts.installed()).isTrue();
    assertThat(facts.packageVersion()).isEqualTo("24.0.7-0ubuntu4");
    assertThat(facts.systemd()).isTrue();
    assertThat(facts.enabled()).as("is-enabled said disabled").isFalse();
    assertThat(facts.inDockerGroup()).isTrue();
  }

  @Test
  void withoutSystemdTheServiceCountsAsEnabledAndAnUnknownOsIsNotDebian() {
    HostFacts facts = HostFacts.parse("os.ID=fedora\nos.VERSION_ID=41\nuser=root\nroot=yes\nsystemd=no\n");
    assertThat(facts.enabled()).isTrue();
    assertThat(facts.root()).isTrue();
    assertThat(facts.os().debianFamily()).isFalse();
    assertThat(facts.os().describe()).isEqualTo("fedora (ID=fedora)");
  }

  @Test
  void unquotesOsReleaseValues() {
    assertThat(HostFacts.unquote("\"Debian \\\"13\\\"\"")).isEqualTo("Debian \"13\"");
    assertThat(HostFacts.unquote("'x'")).isEqualTo("x");
    assertThat(HostFacts.unquote("plain")).isEqualTo("plain");
  }
}
