package dev.deploykit.core.internal.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostShellTest {

  @Test
  void everyCommandRunsUnderTimeoutAndSudoOnlyWhenAsked() {
    assertThat(HostShell.command("usermod -aG docker \"$1\"", List.of("o'neil"), Duration.ofMinutes(1), true))
        .isEqualTo("timeout -k 5 60 sudo -n /bin/sh -c 'usermod -aG docker \"$1\"' sh 'o'\\''neil'");
    assertThat(HostShell.command("true", List.of(), Duration.ofMillis(10), false))
        .isEqualTo("timeout -k 5 1 /bin/sh -c 'true' sh");
  }
}
