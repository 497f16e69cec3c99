package dev.deploykit.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthResultTest {

  @Test
  void detailIsOneLineAndBounded() {
    assertThat(HealthResult.down("first\n  second\r\nthird").detail())
        .isEqualTo("first | second | third");
    assertThat(HealthResult.up("x".repeat(1000)).detail())
        .hasSize(HealthResult.MAX_DETAIL_LENGTH).endsWith("\u2026");
  }

  @Test
  void dataKeepsOrderAndAcceptsOnlyScalars() {
    HealthResult r = HealthResult.up("ok").withData("b", 1).withData("a", "x").withData("c", true);
    assertThat(r.data().keySet()).containsExactly("b", "a", "c");
    assertThatThrownBy(() -> r.withData("list", List.of(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("list");
  }

  @Test
  void worstStatus() {
    assertThat(HealthStatus.UP.worst(HealthStatus.DOWN)).isEqualTo(HealthStatus.DOWN);
    assertThat(HealthStatus.DOWN.worst(HealthStatus.DEGRADED)).isEqualTo(HealthStatus.DOWN);
    assertThat(HealthStatus.DEGRADED.healthJsonValue()).isEqualTo("warn");
  }

  @Test
  void latencyIsNotNegative() {
    assertThatThrownBy(() -> HealthResult.up("x").withLatency(Duration.ofNanos(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
