package dev.deploykit.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  @Test
  void dataIsCopiedFromTheCallerAndKeptAcrossCopies() {
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("b", 1);
    source.put("a", "x");
    HealthResult r = new HealthResult(HealthStatus.UP, "ok", Duration.ZERO, source);
    source.put("c", true);
    assertThat(r.data()).containsExactly(Map.entry("b", 1), Map.entry("a", "x"));
    HealthResult later = r.withLatency(Duration.ofMillis(3)).withStatus(HealthStatus.DEGRADED);
    assertThat(later.data()).isEqualTo(Map.of("b", 1, "a", "x"));
    assertThat(later).isEqualTo(new HealthResult(HealthStatus.DEGRADED, "ok",
        Duration.ofMillis(3), Map.of("b", 1, "a", "x")));
    assertThatThrownBy(() -> later.data().put("d", 2))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> later.data().keySet().remove("a"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(HealthResult.up("none").data()).isEmpty();
  }

  @Test
  void aOneLineDetailIsOnlyStripped() {
    assertThat(HealthResult.up("  plain detail\t").detail()).isEqualTo("plain detail");
    assertThat(HealthResult.up("a\rb").detail()).isEqualTo("a | b");
  }
}
