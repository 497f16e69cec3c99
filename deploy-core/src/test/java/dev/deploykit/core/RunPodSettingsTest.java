package dev.deploykit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stack file's x-deploykit.runpod: every key checked with its file, line and key. */
class RunPodSettingsTest {
  private static final String SERVICES = StackFiles.SERVICES;
  @TempDir Path dir;

  private Stack load(String yaml) throws IOException {
    return StackFiles.load(dir, yaml);
  }

  @Test
  void theBlockIsReadWithDefaultsForWhatItLeavesOut() throws Exception {
    RunPodSettings s = load("x-deploykit:\n  runpod:\n    model: ./m/tiny.gguf\n    image: r.example.com/llm/tiny\n"
        + "    registry: {server: r.example.com, user: deploy, password_env: REG_PW}\n"
        + "    gpu_pools: [ADA_24, AMPERE_24]\n    workers: {min: 1, max: 4, idle_timeout: 30s}\n"
        + "    scaling: {type: request_count, value: 2}\n    environment: {HF_TOKEN: secret}\n" + SERVICES)
        .settings().runpod();
    assertThat(s).isNotNull();
    assertThat(s.model()).isEqualTo(dir.resolve("m/tiny.gguf").toAbsolutePath().normalize());
    assertThat(s.gpuPools()).isEqualTo(List.of("ADA_24", "AMPERE_24"));
    assertThat(s.workersMin()).isEqualTo(1);
    assertThat(s.workersMax()).isEqualTo(4);
    assertThat(s.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.scaler()).isEqualTo("REQUEST_COUNT");
    assertThat(s.scalerValue()).isEqualTo(2.0);
    assertThat(s.registry().passwordEnv()).isEqualTo("REG_PW");
    assertThat(s.apiKeyEnv()).isEqualTo("RUNPOD_API_KEY");
    assertThat(s.toString()).contains("HF_TOKEN").doesNotContain("secret");
    assertThat(load(SERVICES).settings().runpod()).isNull();
  }

  @Test
  void mistakesNameTheFileLineAndKey() {
    assertThatThrownBy(() -> load("x-deploykit:\n  runpod:\n    model: m.gguf\n    image: r/x\n"
        + "    scaling: {type: fast}\n" + SERVICES))
        .isInstanceOfSatisfying(StackFileException.class, e -> {
          assertThat(e.key()).contains("x-deploykit.runpod.scaling.type");
          assertThat(e.line()).isEqualTo(5);
          assertThat(e.getMessage()).contains("queue_delay or request_count");
        });
    assertThatThrownBy(() -> load("x-deploykit:\n  runpod:\n    model: m.gguf\n    image: r/x:v1\n" + SERVICES))
        .isInstanceOfSatisfying(StackFileException.class, e -> {
          assertThat(e.key()).contains("x-deploykit.runpod.image");
          assertThat(e.getMessage()).contains("without a tag");
        });
    assertThatThrownBy(() -> load("x-deploykit:\n  runpod:\n    model: m.gguf\n    image: r/x\n"
        + "    api_key: rpa_secret\n" + SERVICES))
        .isInstanceOfSatisfying(StackFileException.class, e -> {
          assertThat(e.getMessage()).contains("api_key_env").doesNotContain("rpa_secret");
        });
    assertThatThrownBy(() -> load("x-deploykit:\n  runpod:\n    model: m.gguf\n    image: r/x\n"
        + "    gpu_pools: [NVIDIA GeForce RTX 4090]\n" + SERVICES))
        .isInstanceOfSatisfying(StackFileException.class, e -> {
          assertThat(e.key()).contains("x-deploykit.runpod.gpu_pools");
          assertThat(e.getMessage()).contains("not a GPU pool id");
        });
    assertThatThrownBy(() -> load("x-deploykit:\n  runpod:\n    image: r/x\n" + SERVICES))
        .hasMessageContaining("model is required in runpod");
    assertThatThrownBy(() -> load("x-deploykit:\n  runpod:\n    model: m.gguf\n    image: r/x\n"
        + "    workers: {min: 3, max: 1}\n" + SERVICES)).hasMessageContaining("must be at least min (3)");
  }
}
