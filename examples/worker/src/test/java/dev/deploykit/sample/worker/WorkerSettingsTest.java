package dev.deploykit.sample.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerSettingsTest {

  @Test
  void readsTheEnvironmentWithDefaultsAndNeverShowsThePassword() {
    WorkerSettings s = WorkerSettings.fromEnvironment(Map.of("HOSTNAME", "abc123",
        "DB_PASSWORD", "hunter2", "OLLAMA_URL", "http://llm:11434/", "HEARTBEAT_INTERVAL", "500ms"));
    assertThat(s.workerId()).isEqualTo("abc123");
    assertThat(s.ollamaUrl().toString()).isEqualTo("http://llm:11434");
    assertThat(s.model()).isEqualTo("tiny");
    assertThat(s.heartbeatInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(s.stopTimeout()).isEqualTo(Duration.ofSeconds(25));
    assertThat(s.toString()).doesNotContain("hunter2");
    assertThat(WorkerSettings.fromEnvironment(Map.of("WORKER_ID", "w1", "HOSTNAME", "h")).workerId())
        .isEqualTo("w1");
  }

  @Test
  void badDurationsNameTheVariable() {
    assertThatThrownBy(() -> WorkerSettings.fromEnvironment(Map.of("POLL_INTERVAL", "0s")))
        .hasMessageContaining("POLL_INTERVAL=0s");
  }

  @Test
  void parsesAnOllamaAnswer() {
    Object v = Json.parse("{\"model\":\"tiny\",\"response\":\"h\\u00e9 \\\"x\\\"\\n\",\"done\":true,"
        + "\"context\":[1,2,3],\"total_duration\":1.5e3,\"x\":null}");
    assertThat(v).isInstanceOf(Map.class);
    Map<?, ?> m = (Map<?, ?>) v;
    assertThat(m.get("response")).isEqualTo("hé \"x\"\n");
    assertThat(m.get("done")).isEqualTo(true);
    assertThat(m.get("context")).isEqualTo(List.of(1L, 2L, 3L));
    assertThat(Json.parse(Json.quote("a\"\\\tb"))).isEqualTo("a\"\\\tb");
    assertThatThrownBy(() -> Json.parse("{\"a\":}")).hasMessageContaining("offset");
  }

  @Test
  void anAnswerWithNulIsStoredWithAReplacementCharacter() {
    assertThat(SampleWorker.storable("a\u0000b")).isEqualTo("a\uFFFDb");
    assertThat(SampleWorker.storable("plain")).isEqualTo("plain");
  }
}
