package dev.deploykit.health.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.health.HealthResult;
import dev.deploykit.health.HealthStatus;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HostResourcesCheckTest {

  @Test
  void generousThresholdsAreUpAndReportTheFigures() throws Exception {
    HealthResult r = Checks.run(HostResourcesCheck.builder()
        .memory(Threshold.of(1.01, 1.02)).cpuLoadPerCore(Threshold.of(1000, 1000))
        .disk(Path.of("/"), Threshold.of(1.01, 1.02)).build(), Duration.ofSeconds(5));
    assertThat(r.status()).isEqualTo(HealthStatus.UP);
    assertThat(r.data()).containsKeys("memoryUsed", "loadPerCore", "diskUsed", "cores");
    assertThat(r.detail()).startsWith("memory ");
  }

  @Test
  void crossingAFailLevelIsDownAndNamed() throws Exception {
    HealthResult r = Checks.run(HostResourcesCheck.builder()
        .memory(Threshold.of(0, 0)).build(), Duration.ofSeconds(5));
    assertThat(r.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(r.detail()).startsWith("memory ").contains(">= 0%");
  }

  @Test
  void aWarnLevelDegrades() throws Exception {
    HealthResult r = Checks.run(HostResourcesCheck.builder()
        .memory(Threshold.of(1.01, 1.02)).cpuLoadPerCore(Threshold.of(1000, 1000))
        .disk(Path.of("/"), Threshold.of(0, 1.02)).build(), Duration.ofSeconds(5));
    assertThat(r.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(r.detail()).startsWith("disk /");
  }

  @Test
  void thresholdsAreValidated() {
    assertThatThrownBy(() -> Threshold.of(0.9, 0.5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fail");
    assertThat(Threshold.of(0.5, 0.9).status(0.7)).isEqualTo(HealthStatus.DEGRADED);
  }
}
