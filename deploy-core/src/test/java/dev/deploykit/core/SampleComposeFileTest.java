package dev.deploykit.core;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sample stack's examples/compose.yaml, as the release engine and the demo deploy read it. */
class SampleComposeFileTest {
  private static final Path SAMPLE = Path.of("..", "examples", "compose.yaml");

  @Test
  void readsWithDefaultsIntoTheFourServicesAndTheirRoles() {
    assertThat(Files.isRegularFile(SAMPLE)).as(SAMPLE.toAbsolutePath().toString()).isTrue();
    Stack stack = ComposeFile.of(SAMPLE).environment(Map.of()).load();

    assertThat(stack.name()).isEqualTo("deploykit-sample");
    assertThat(stack.settings().proxyPort()).isEqualTo(8080);
    assertThat(stack.settings().retain()).isEqualTo(5);
    assertThat(stack.services()).extracting(Service::name)
        .containsExactlyInAnyOrder("db", "llm", "app", "worker");

    Service db = stack.service("db").orElseThrow();
    assertThat(db.role()).isEqualTo(Role.ACCESSORY);
    assertThat(db.image()).isEqualTo("postgres:18.1");
    assertThat(db.environment()).containsEntry("POSTGRES_PASSWORD", "sample-secret");
    assertThat(db.healthcheck()).isPresent();
    assertThat(db.deploy().probe()).isEqualTo(Probe.POSTGRES);
    assertThat(db.probePort()).contains(5432);

    Service llm = stack.service("llm").orElseThrow();
    assertThat(llm.role()).isEqualTo(Role.ACCESSORY);
    assertThat(llm.image()).isEqualTo("ollama/ollama:0.12.6");
    assertThat(llm.deploy().probe()).isEqualTo(Probe.OLLAMA);
    assertThat(llm.probePort()).contains(11434);

    Service app = stack.service("app").orElseThrow();
    assertThat(app.role()).isEqualTo(Role.WEB);
    assertThat(app.image()).isEqualTo("deploykit.local/sample-app:v1");
    assertThat(Optional.ofNullable(app.deploy().healthPath())).contains("/up");
    assertThat(app.probePort()).contains(8080);
    assertThat(app.deploy().probe()).isEqualTo(Probe.HTTP);
    assertThat(app.deploy().watchWindow()).isEqualTo(Duration.ofSeconds(30));
    assertThat(app.environment()).as("SAMPLE_FAULT only when the shell sets it")
        .doesNotContainKey("SAMPLE_FAULT").containsEntry("DB_URL", "jdbc:postgresql://db:5432/app");
    assertThat(app.dependsOn()).extracting(Dependency::service).containsExactly("db");

    Service worker = stack.service("worker").orElseThrow();
    assertThat(worker.role()).isEqualTo(Role.WORKER);
    assertThat(worker.deploy().probe()).isEqualTo(Probe.CONTAINER);
    assertThat(worker.image()).isEqualTo("deploykit.local/sample-worker:v1");
    assertThat(worker.environment()).containsEntry("OLLAMA_URL", "http://llm:11434");
    assertThat(worker.stopGracePeriod()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void versionsPasswordAndFaultComeFromTheEnvironment() {
    Stack stack = ComposeFile.of(SAMPLE).environment(Map.of("APP_VERSION", "v3",
        "WORKER_VERSION", "v2", "DB_PASSWORD", "s3cret", "SAMPLE_FAULT", "never-healthy",
        "PROXY_PORT", "18080")).load();
    Service app = stack.service("app").orElseThrow();
    assertThat(app.image()).isEqualTo("deploykit.local/sample-app:v3");
    assertThat(app.environment()).containsEntry("SAMPLE_FAULT", "never-healthy")
        .containsEntry("DB_PASSWORD", "s3cret");
    assertThat(stack.service("worker").orElseThrow().image())
        .isEqualTo("deploykit.local/sample-worker:v2");
    assertThat(stack.service("db").orElseThrow().environment())
        .containsEntry("POSTGRES_PASSWORD", "s3cret");
    assertThat(stack.settings().proxyPort()).isEqualTo(18080);
  }
}
