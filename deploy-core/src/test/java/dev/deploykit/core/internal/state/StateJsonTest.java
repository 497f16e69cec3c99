package dev.deploykit.core.internal.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.core.ComposeFile;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.Engine;
import dev.deploykit.core.Probe;
import dev.deploykit.core.Release;
import dev.deploykit.core.Role;
import dev.deploykit.core.Service;
import dev.deploykit.core.ServiceDeploy;
import dev.deploykit.core.Stack;
import dev.deploykit.core.StackSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import dev.deploykit.core.Placement;
import dev.deploykit.core.Service;
import dev.deploykit.core.engine.Resources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateJsonTest {

  @Test
  void aSnapshotRestoresTheWholeConfiguration(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("migrations"));
    Files.writeString(dir.resolve("compose.yaml"), """
        name: shop
        x-deploykit:
          proxy_port: 8080
          retain: 4
          notify_webhook: https://hooks.example.com/services/T/B/token
          db_init: {service: db, database: shop, user: shop, password: pw, migrations: ./migrations}
        services:
          db:
            image: postgres:18.1
            environment: {POSTGRES_PASSWORD: pw}
            volumes: ["data:/var/lib/postgresql"]
            healthcheck: {test: "pg_isready", interval: 1s, retries: 5}
            stop_signal: SIGINT
          app:
            image: app:1
            command: ["java", "-jar", "app.jar"]
            ports: ["127.0.0.1:9000:8080"]
            depends_on: {db: {condition: service_healthy}}
            labels: {team: shop}
            stop_grace_period: 20s
            restart: always
            x-deploykit: {role: web, health_path: /up, health_port: 8080, watch_window: 10s}
          worker:
            image: worker:1
            entrypoint: ["/bin/worker"]
            deploy:
              replicas: 3
              resources: {limits: {cpus: "0.5", memory: 512m}, reservations: {cpus: "0.25", memory: 256m}}
              placement: {constraints: ["node.labels.zone==eu-1"], max_replicas_per_node: 2}
            x-deploykit: {role: worker}
          llm:
            image: ollama/ollama:0.12.6
            x-deploykit: {probe: ollama}
        volumes:
          data: {}
        """);
    Stack stack = ComposeFile.of(dir.resolve("compose.yaml")).environment(Map.of()).load();
    assertThat(StateJson.stack(StateJson.stack(stack))).isEqualTo(stack);
    assertThat(StateJson.stack(StateJson.stack(stack)).service("llm").orElseThrow().deploy().probe())
        .isEqualTo(Probe.OLLAMA);
    Service worker = StateJson.stack(StateJson.stack(stack)).service("worker").orElseThrow();
    assertThat(worker.resources()).isEqualTo(new Resources(500_000_000L, 512L << 20, 250_000_000L, 256L << 20));
    assertThat(worker.placement()).isEqualTo(new Placement(List.of("node.labels.zone==eu-1"), 2));
  }

  @Test
  void aSnapshotKeepsTheEngineAndOneWrittenBeforeItWasRecordedIsOfOneHost() throws IOException {
    Stack stack = new Stack("shop", List.of(Service.builder("app").image("app:1").build()),
        StackSettings.defaults().withEngine(Engine.SWARM));

    assertThat(StateJson.stack(StateJson.stack(stack)).settings().engine()).isEqualTo(Engine.SWARM);
    assertThat(StateJson.stack(StateJson.stack(stack.withSettings(StackSettings.defaults()))).settings().engine())
        .isEqualTo(Engine.HOST);
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode before = (com.fasterxml.jackson.databind.node.ObjectNode)
        json.readTree(StateJson.stack(stack));
    ((com.fasterxml.jackson.databind.node.ObjectNode) before.path("settings")).remove("engine");
    assertThat(StateJson.stack(json.writeValueAsBytes(before)).settings().engine())
        .as("a snapshot from before the engine was recorded").isEqualTo(Engine.HOST);
  }

  @Test
  void aSnapshotWrittenBeforeProbesExistedGetsTheDefaultProbes() {
    String old = """
        {"name": "shop", "settings": {"retain": 5, "proxyPort": 80},
         "services": [
           {"name": "app", "image": "app:1", "deploy": {"role": "WEB", "healthPath": "/up",
             "deployTimeout": "PT2M", "drainTimeout": "PT30S", "watchWindow": "PT30S"},
            "ports": [{"target": 8080, "protocol": "tcp"}], "stopGracePeriod": "PT10S"},
           {"name": "db", "image": "postgres:18.1", "deploy": {"role": "ACCESSORY",
             "deployTimeout": "PT2M", "drainTimeout": "PT30S", "watchWindow": "PT30S"},
            "stopGracePeriod": "PT10S"}]}
        """;
    Stack stack = StateJson.stack(old.getBytes(StandardCharsets.UTF_8));
    assertThat(stack.service("app").orElseThrow().deploy().probe()).isEqualTo(Probe.HTTP);
    assertThat(stack.service("db").orElseThrow().deploy().probe()).isEqualTo(Probe.CONTAINER);
  }

  @Test
  void aSnapshotStoresTheProbeByName() {
    Stack stack = new Stack("shop", List.of(Service.builder("db").image("postgres:18.1")
        .deploy(ServiceDeploy.of(Role.ACCESSORY).withProbe(Probe.POSTGRES)).build()),
        StackSettings.defaults());
    assertThat(new String(StateJson.stack(stack), StandardCharsets.UTF_8)).contains("\"probe\" : \"POSTGRES\"");
    assertThat(StateJson.stack(StateJson.stack(stack))).isEqualTo(stack);
  }

  @Test
  void aSnapshotKeepsEachServicesProbe() {
    Service llm = Service.builder("llm").image("ollama/ollama:0.5")
        .deploy(ServiceDeploy.of(Role.ACCESSORY).withProbe(Probe.OLLAMA)).build();
    Service db = Service.builder("db").image("postgres:18.1")
        .deploy(ServiceDeploy.of(Role.ACCESSORY).withProbe(Probe.POSTGRES).withHealthPort(6432)).build();
    Stack stack = new Stack("shop", List.of(llm, db), StackSettings.defaults());

    Stack restored = StateJson.stack(StateJson.stack(stack));

    assertThat(restored).isEqualTo(stack);
    assertThat(restored.service("llm").orElseThrow().probePort()).contains(11434);
  }

  @Test
  void aSnapshotWrittenBeforeProbesWereRecordedGetsTheDefaultProbe() {
    String old = """
        {"name":"shop","settings":{"retain":5,"proxyPort":80},"services":[{"name":"app","image":"app:1",
        "deploy":{"role":"WEB","healthPath":"/up","healthPort":8080,"deployTimeout":"PT2M",
        "drainTimeout":"PT30S","watchWindow":"PT30S"},"environment":{},"stopGracePeriod":"PT10S"}]}
        """;
    Stack restored = StateJson.stack(old.getBytes(StandardCharsets.UTF_8));

    assertThat(restored.service("app").orElseThrow().deploy().probe()).isEqualTo(Probe.HTTP);
  }

  @Test
  void theHistoryRoundTrips() {
    List<Release> releases = List.of(
        new Release("r1", "shop", Instant.parse("2026-11-28T01:00:00Z"), "a@b", "v1",
            Map.of("app", "app:1"), Map.of("app", "sha256:abc"), Release.Outcome.SUPERSEDED, "replaced by r2", null),
        new Release("r2", "shop", Instant.parse("2026-11-28T02:00:00Z"), "a@b", null,
            Map.of("app", "app:1"), Map.of(), Release.Outcome.LIVE, "restored release r1", "r1"));
    assertThat(StateJson.releases(StateJson.releases(releases))).isEqualTo(releases);
  }

  @Test
  void aDamagedFileSaysSo() {
    assertThatThrownBy(() -> StateJson.releases("[{".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(DeployException.class).hasMessageContaining("release history is not valid JSON");
  }
}
