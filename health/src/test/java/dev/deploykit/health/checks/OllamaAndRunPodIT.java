package dev.deploykit.health.checks;

import static dev.deploykit.health.checks.LoopbackServers.respond;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploykit.health.HealthResult;
import dev.deploykit.health.HealthStatus;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Ollama and RunPod checks against local servers that follow the published contracts. */
class OllamaAndRunPodIT {
  private static final Duration DEADLINE = Duration.ofSeconds(5);
  private static final String TAGS = "{\"models\":[{\"name\":\"tiny:latest\",\"model\":\"tiny:latest\","
      + "\"size\":1000}]}";
  private static final String PS = "{\"models\":[{\"name\":\"tiny:latest\",\"model\":\"tiny:latest\"}]}";

  private static LoopbackServers.Http ollama(String tags, String ps) throws Exception {
    AtomicReference<String> generateBody = new AtomicReference<>();
    return new LoopbackServers.Http()
        .json("/api/version", 200, "{\"version\":\"0.12.0\"}")
        .json("/api/tags", 200, tags)
        .json("/api/ps", 200, ps)
        .route("/api/generate", ex -> {
          generateBody.set(new String(ex.getRequestBody().readAllBytes()));
          var req = new ObjectMapper().readTree(generateBody.get());
          boolean ok = req.path("stream").isBoolean() && !req.path("stream").asBoolean()
              && req.path("options").path("num_predict").asInt() == 1;
          respond(ex, ok ? 200 : 400, "application/json",
              ok ? "{\"model\":\"tiny\",\"response\":\"OK\",\"done\":true,\"eval_count\":1}" : "{}");
        });
  }

  @Test
  void ollamaUpWhenTheModelIsPresentAndLoaded() throws Exception {
    try (var server = ollama(TAGS, PS);
        OllamaCheck check = OllamaCheck.builder(server.uri("")).model("tiny").build()) {
      HealthResult r = Checks.run(check, DEADLINE);
      assertThat(r.status()).isEqualTo(HealthStatus.UP);
      assertThat(r.detail()).isEqualTo("model tiny is loaded on Ollama 0.12.0");
    }
  }

  @Test
  void ollamaGeneratesOneToken() throws Exception {
    try (var server = ollama(TAGS, PS);
        OllamaCheck check = OllamaCheck.builder(server.uri("")).model("tiny:latest")
            .generate(true).build()) {
      HealthResult r = Checks.run(check, DEADLINE);
      assertThat(r.status()).isEqualTo(HealthStatus.UP);
      assertThat(r.detail()).contains("generated a token");
      assertThat(r.data()).containsEntry("evalCount", 1);
    }
  }

  @Test
  void ollamaDegradedWhenNotLoadedAndDownWhenAbsent() throws Exception {
    try (var server = ollama(TAGS, "{\"models\":[]}");
        OllamaCheck loaded = OllamaCheck.builder(server.uri("")).model("tiny").build();
        OllamaCheck absent = OllamaCheck.builder(server.uri("")).model("big").build()) {
      assertThat(Checks.run(loaded, DEADLINE).status()).isEqualTo(HealthStatus.DEGRADED);
      HealthResult r = Checks.run(absent, DEADLINE);
      assertThat(r.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(r.detail()).isEqualTo("model big is not present on Ollama 0.12.0");
    }
  }

  @Test
  void ollamaMalformedJsonIsDown() throws Exception {
    try (var server = ollama("{\"models\": [ {\"name\": ", PS);
        OllamaCheck check = OllamaCheck.builder(server.uri("")).model("tiny").build()) {
      HealthResult r = Checks.run(check, DEADLINE);
      assertThat(r.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(r.detail()).startsWith("malformed JSON from http://127.0.0.1:")
          .contains("/api/tags");
    }
  }

  @Test
  void ollamaRefusedIsDown() throws Exception {
    try (OllamaCheck check = OllamaCheck.builder(
        URI.create("http://127.0.0.1:" + LoopbackServers.refusedPort())).build()) {
      assertThat(Checks.run(check, DEADLINE).detail()).startsWith("connection refused by");
    }
  }

  private static final String KEY = "rp_SECRET_KEY_123";

  private static LoopbackServers.Http runpod(String body) throws Exception {
    return new LoopbackServers.Http().route("/v2/ep1/health", ex -> {
      boolean authorised = ("Bearer " + KEY).equals(ex.getRequestHeaders().getFirst("Authorization"));
      respond(ex, authorised ? 200 : 401, "application/json",
          authorised ? body : "{\"error\":\"unauthorized\"}");
    });
  }

  private static HealthResult runpodCheck(LoopbackServers.Http server, String key)
      throws Exception {
    try (RunPodCheck check = RunPodCheck.builder(server.uri(""), "ep1", key).build()) {
      assertThat(check.toString()).doesNotContain(key);
      HealthResult r = Checks.run(check, DEADLINE);
      assertThat(r.detail()).doesNotContain(key);
      return r;
    }
  }

  @Test
  void runpodUpDegradedAndDown() throws Exception {
    String healthy = "{\"jobs\":{\"completed\":5,\"failed\":0,\"inProgress\":1,\"inQueue\":0,"
        + "\"retried\":0},\"workers\":{\"idle\":1,\"initializing\":0,\"ready\":1,\"running\":1,"
        + "\"throttled\":0,\"unhealthy\":0}}";
    String queued = "{\"jobs\":{\"inQueue\":3,\"inProgress\":0},\"workers\":{\"idle\":0,"
        + "\"running\":0,\"initializing\":1,\"throttled\":0,\"unhealthy\":0}}";
    String throttled = "{\"jobs\":{\"inQueue\":0},\"workers\":{\"idle\":1,\"running\":0,"
        + "\"throttled\":2,\"unhealthy\":0}}";
    try (var server = runpod(healthy)) {
      HealthResult r = runpodCheck(server, KEY);
      assertThat(r.status()).isEqualTo(HealthStatus.UP);
      assertThat(r.data()).containsEntry("idle", 1L).containsEntry("inQueue", 0L);
      HealthResult refused = runpodCheck(server, "rp_wrong_key");
      assertThat(refused.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(refused.detail()).contains("API key was refused (HTTP 401)");
    }
    try (var server = runpod(queued)) {
      HealthResult r = runpodCheck(server, KEY);
      assertThat(r.status()).isEqualTo(HealthStatus.DEGRADED);
      assertThat(r.detail()).contains("3 job(s) queued with no idle or running worker");
    }
    try (var server = runpod(throttled)) {
      assertThat(runpodCheck(server, KEY).detail()).contains("2 throttled worker(s)");
    }
  }

  @Test
  void runpodMalformedJsonAndUnreachable() throws Exception {
    try (var server = runpod("<html>gateway error</html>")) {
      HealthResult r = runpodCheck(server, KEY);
      assertThat(r.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(r.detail()).startsWith("malformed JSON from http://127.0.0.1:")
          .contains("/v2/ep1/health");
    }
    try (var server = runpod("{\"jobs\":[]}")) {
      assertThat(runpodCheck(server, KEY).detail()).contains("no jobs or workers object");
    }
    try (RunPodCheck check = RunPodCheck.builder(URI.create("http://api.runpod.invalid"), "ep1",
        KEY).build()) {
      HealthResult r = Checks.run(check, DEADLINE);
      assertThat(r.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(r.detail()).startsWith("cannot resolve host").doesNotContain(KEY);
    }
  }
}
