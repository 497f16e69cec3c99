package dev.deploykit.sample.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
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
  void anAnswerWithNulIsStoredWithAReplacementCharacter() {
    assertThat(SampleWorker.storable("a\u0000b")).isEqualTo("a\uFFFDb");
    assertThat(SampleWorker.storable("plain")).isEqualTo("plain");
  }
}
