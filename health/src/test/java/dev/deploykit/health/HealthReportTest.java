package dev.deploykit.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HealthReportTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  private final HealthReport report = new HealthReport(HealthStatus.DEGRADED, List.of(
      new ComponentHealth("db", true, Set.of("readiness"),
          HealthResult.up("select 1 ok").withLatency(Duration.ofNanos(123_456))
              .withData("server", "18.1"), T, Duration.ZERO),
      new ComponentHealth("llm", false, Set.of(),
          HealthResult.down("model tiny not loaded").withLatency(Duration.ofMillis(3)),
          T, Duration.ofSeconds(12))),
      T, Duration.ofMillis(4));

  @Test
  void jsonFollowsTheHealthCheckDraft() throws Exception {
    JsonNode json = new ObjectMapper().readTree(report.toJson());
    assertThat(json.get("status").asText()).isEqualTo("warn");
    JsonNode db = json.get("checks").get("db").get(0);
    assertThat(db.get("status").asText()).isEqualTo("pass");
    assertThat(db.get("observedValue").decimalValue()).isEqualByComparingTo("0.123");
    assertThat(db.get("observedUnit").asText()).isEqualTo("ms");
    assertThat(db.get("time").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(db.has("output")).isFalse();
    assertThat(db.get("data").get("server").asText()).isEqualTo("18.1");
    JsonNode llm = json.get("checks").get("llm").get(0);
    assertThat(llm.get("status").asText()).isEqualTo("fail");
    assertThat(llm.get("output").asText()).isEqualTo("model tiny not loaded");
    assertThat(llm.get("critical").asBoolean()).isFalse();
    assertThat(llm.get("ageMs").asLong()).isEqualTo(12_000);
    assertThat(HealthReport.MEDIA_TYPE).isEqualTo("application/health+json");
  }

  @Test
  void textIsATable() {
    String text = report.toText();
    assertThat(text.lines().toList()).hasSize(4);
    assertThat(text).contains("CHECK", "STATUS", "LATENCY", "db", "UP", "123us", "llm*", "DOWN",
        "12.00s", "model tiny not loaded", "overall: DEGRADED");
  }
}
