package dev.deploykit.it.runpod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.RegistryAuth;
import dev.deploykit.health.CheckContext;
import dev.deploykit.health.HealthResult;
import dev.deploykit.health.HealthStatus;
import dev.deploykit.health.checks.RunPodCheck;
import dev.deploykit.health.wait.Deadline;
import dev.deploykit.health.wait.TimeSource;
import dev.deploykit.it.support.DockerRequired;
import dev.deploykit.it.support.TestRegistry;
import dev.deploykit.it.support.runpod.FakeRunPod;
import dev.deploykit.runpod.Endpoint;
import dev.deploykit.runpod.EndpointClient;
import dev.deploykit.runpod.EndpointHealth;
import dev.deploykit.runpod.EndpointSpec;
import dev.deploykit.runpod.EndpointWorkers;
import dev.deploykit.runpod.JobStatus;
import dev.deploykit.runpod.RunPodApi;
import dev.deploykit.runpod.RunPodException;
import dev.deploykit.runpod.Scaling;
import dev.deploykit.runpod.WorkerImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A RunPod serverless endpoint end to end against the fake RunPod: the worker image built from a
 * GGUF and the Ollama base, pushed with credentials to a real registry, an endpoint created
 * through the management API (every exchange checked against runpod-v2.json), real worker
 * containers pulled from the registry and scaled by the fake, real llama.cpp tokens through
 * {@code /runsync}. Prints the figures the closing notes quote.
 */
@ExtendWith(DockerRequired.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// Among the longest classes: started first when classes run side by side (it-tests/pom.xml).
@Order(7)
class RunPodEndpointIT {
  @TempDir static Path dir;

  private DockerHost host;
  private TestRegistry registry;
  private FakeRunPod fake;
  private RunPodApi api;
  private final List<String> notices = new CopyOnWriteArrayList<>();
  private WorkerImage.Built built;
  private String pushed;
  private String registryId;
  private Endpoint endpoint;
  private EndpointClient client;

  @BeforeAll
  void start() throws Exception {
    host = RunPodImages.host();
    registry = TestRegistry.start();
    fake = FakeRunPod.start();
    api = RunPodApi.builder(fake.apiKey()).baseUrl(fake.managementUrl()).notices(notices::add).build();
  }

  @AfterAll
  void stop() {
    if (client != null) {
      client.close();
    }
    if (api != null) {
      api.close();
    }
    FakeRunPod.closeWithRegistry(fake, registry);
  }

  @Test
  @Order(1)
  void buildsTheImageWithTheModelImportedAndPushesItWithCredentials() throws Exception {
    Path model = RunPodImages.model(dir, "tiny-chat", 7);
    WorkerImage image = WorkerImage.builder(model, registry.server() + "/llm/ollama-tiny")
        .baseImage(RunPodImages.ollamaBase()).javaImage(RunPodImages.javaRuntime()).build();
    long t0 = System.nanoTime();
    built = image.build(host);
    long t1 = System.nanoTime();
    pushed = WorkerImage.push(host, built, registry.auth(), Duration.ofMinutes(5));
    long t2 = System.nanoTime();
    System.out.printf(Locale.ROOT, "runpod image %s: %.1f MB, build %.1f s (reused %s), push %.1f s%n",
        built.reference(), built.sizeBytes() / 1e6, (t1 - t0) / 1e9, built.reused(), (t2 - t1) / 1e9);
    assertThat(built.reference()).matches(".*/llm/ollama-tiny:[0-9a-f]{16}");
    assertThat(pushed).startsWith("sha256:");
    // The same inputs give the same tag: nothing is built again.
    assertThat(image.build(host).reference()).isEqualTo(built.reference());
    assertThat(image.build(host).reused()).isTrue();
    registryId = api.ensureRegistry("deploykit-it", TestRegistry.USER, registry.password()).id();
  }

  @Test
  @Order(2)
  void runSyncAnswersWithRealTokensFromAColdStart() {
    EndpointSpec spec = EndpointSpec.of("deploykit-it-llm", built.reference()).withRegistryId(registryId)
        .withWorkers(0, 2, 2).withScaling(Scaling.queueDelay(0.5)).withGpuPools(List.of("ADA_24"));
    RunPodApi.Ensured ensured = api.ensureEndpoint(spec);
    assertThat(ensured.created()).isTrue();
    endpoint = ensured.endpoint();
    client = EndpointClient.builder(endpoint.id(), fake.apiKey()).baseUrl(fake.invocationUrl()).build();
    long t0 = System.nanoTime();
    JobStatus job = client.runSync(Map.of("prompt", "Say OK", "options", Map.of("num_predict", 8)),
        Duration.ofMinutes(3));
    long cold = System.nanoTime() - t0;
    assertThat(job.status()).as(job.toString()).isEqualTo("COMPLETED");
    assertThat(job.output().path("response").asText()).isNotBlank();
    assertThat(job.output().path("done").asBoolean()).isTrue();
    assertThat(job.output().path("eval_count").asInt()).isPositive();
    System.out.printf(Locale.ROOT, "runpod cold start (0 workers to the first answer): %.1f s%n", cold / 1e9);
    List<Long> warm = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      long s = System.nanoTime();
      JobStatus w = client.runSync(Map.of("prompt", "Hello " + i, "options", Map.of("num_predict", 8)),
          Duration.ofMinutes(1));
      warm.add(System.nanoTime() - s);
      assertThat(w.isCompleted()).isTrue();
    }
    Collections.sort(warm);
    System.out.printf(Locale.ROOT, "runpod warm /runsync (20): p50 %.1f ms, p95 %.1f ms%n",
        warm.get(9) / 1e6, warm.get(18) / 1e6);
  }

  @Test
  @Order(3)
  void runStatusAndStreamServeEveryInputForm() throws Exception {
    JobStatus queued = client.run(Map.of("prompt", "Tell a story", "stream", true,
        "options", Map.of("num_predict", 24)));
    assertThat(queued.status()).isIn("IN_QUEUE", "IN_PROGRESS");
    List<JsonNode> chunks = new ArrayList<>();
    JobStatus end = awaitFinal(queued.id(), chunks);
    assertThat(end.status()).isEqualTo("COMPLETED");
    assertThat(chunks).isNotEmpty();
    assertThat(chunks).allSatisfy(c -> assertThat(c.has("response")).isTrue());
    assertThat(chunks.getLast().path("done").asBoolean()).isTrue();
    // The final output aggregates the chunks, as return_aggregate_stream does.
    assertThat(end.output().isArray()).isTrue();
    assertThat(end.output().size()).isEqualTo(chunks.size());

    JobStatus chat = client.runSync(Map.of("messages", List.of(Map.of("role", "user", "content", "Hi")),
        "options", Map.of("num_predict", 8)), Duration.ofMinutes(1));
    assertThat(chat.output().path("message").path("role").asText()).isEqualTo("assistant");
    // Random weights: eight real tokens may all be whitespace, so the count proves the inference.
    assertThat(chat.output().path("message").path("content").isTextual()).isTrue();
    assertThat(chat.output().path("eval_count").asInt()).isPositive();

    JobStatus openAi = client.runSync(Map.of("openai_route", "/v1/chat/completions", "openai_input",
        Map.of("messages", List.of(Map.of("role", "user", "content", "Hi")), "max_tokens", 8)),
        Duration.ofMinutes(1));
    assertThat(openAi.output().path("choices").get(0).path("message").path("content").isTextual()).isTrue();
    assertThat(openAi.output().path("usage").path("completion_tokens").asInt()).isPositive();

    JobStatus sse = client.run(Map.of("openai_route", "/v1/chat/completions", "openai_input",
        Map.of("messages", List.of(Map.of("role", "user", "content", "Hi")), "max_tokens", 8, "stream", true)));
    List<JsonNode> events = new ArrayList<>();
    assertThat(awaitFinal(sse.id(), events).status()).isEqualTo("COMPLETED");
    assertThat(events).isNotEmpty();
    assertThat(events.getFirst().asText()).startsWith("data: {");
    assertThat(events.getLast().asText()).contains("[DONE]");
  }

  @Test
  @Order(4)
  void aJobThatFailsInTheWorkerSaysWhy() {
    JobStatus failed = client.runSync(Map.of("text", "no prompt here"), Duration.ofMinutes(1));
    assertThat(failed.status()).isEqualTo("FAILED");
    assertThat(failed.error()).contains("none of prompt, messages or openai_route").contains("text");
  }

  @Test
  @Order(5)
  void aBurstScalesToMaxAndBackToZeroAfterTheIdleTimeout() throws Exception {
    // From zero workers, so that the figure is a scale-up, not workers left by the tests before.
    await(Duration.ofSeconds(60), () -> api.workers(endpoint.id()).summary().getOrDefault("total", -1) == 0);
    long t0 = System.nanoTime();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      ids.add(client.run(Map.of("prompt", "Burst " + i, "options", Map.of("num_predict", 64))).id());
    }
    long[] atMax = {0, 0};
    await(Duration.ofMinutes(2), () -> {
      List<EndpointWorkers.Worker> ws = api.workers(endpoint.id()).workers();
      if (atMax[0] == 0 && ws.stream().filter(w -> !w.status().equals("UNHEALTHY")).count() >= 2) {
        atMax[0] = System.nanoTime();
      }
      if (atMax[1] == 0 && ws.stream().filter(w -> w.status().equals("IDLE") || w.status().equals("RUNNING"))
          .count() >= 2) {
        atMax[1] = System.nanoTime();
      }
      return ids.stream().allMatch(id -> client.status(id).isFinal());
    });
    assertThat(ids).allSatisfy(id -> assertThat(client.status(id).status()).isEqualTo("COMPLETED"));
    assertThat(fake.peakWorkers(endpoint.id())).isEqualTo(2);
    assertThat(atMax[0]).as("the endpoint reached its 2 workers").isPositive();
    System.out.printf(Locale.ROOT, "runpod burst of 30: max (2 workers) started %.1f s after the burst, both"
        + " ready after %s%n", (atMax[0] - t0) / 1e9,
        atMax[1] == 0 ? "never (the queue drained first)" : String.format(Locale.ROOT, "%.1f s", (atMax[1] - t0) / 1e9));
    long idleFrom = System.nanoTime();
    await(Duration.ofSeconds(60), () -> api.workers(endpoint.id()).summary().getOrDefault("total", -1) == 0);
    EndpointHealth health = client.health();
    assertThat(health.readyWorkers()).isZero();
    System.out.printf(Locale.ROOT, "runpod scaled back to 0 workers %.1f s after the burst (idle timeout 2 s)%n",
        (System.nanoTime() - idleFrom) / 1e9);
  }

  @Test
  @Order(6)
  void anEndpointUpdatedWithANewImageRollsItsWorkers() throws Exception {
    EndpointSpec base = EndpointSpec.of("deploykit-it-llm", built.reference()).withRegistryId(registryId)
        .withWorkers(1, 2, 2).withScaling(Scaling.queueDelay(0.5));
    api.ensureEndpoint(base);
    EndpointWorkers before = api.awaitReadyWorker(endpoint.id(), Duration.ofMinutes(2), w -> { });
    String oldWorker = before.workers().stream().filter(w -> w.status().equals("IDLE")).findFirst().orElseThrow().id();
    Path model = RunPodImages.model(dir.resolve("v2"), "tiny-chat", 8);
    WorkerImage.Built v2 = WorkerImage.builder(model, registry.server() + "/llm/ollama-tiny")
        .baseImage(RunPodImages.ollamaBase()).javaImage(RunPodImages.javaRuntime()).build().build(host);
    assertThat(v2.reference()).isNotEqualTo(built.reference());
    WorkerImage.push(host, v2, registry.auth(), Duration.ofMinutes(5));
    RunPodApi.Ensured updated = api.ensureEndpoint(base.withImage(v2.reference()));
    assertThat(updated.created()).isFalse();
    assertThat(updated.endpoint().id()).isEqualTo(endpoint.id());
    assertThat(fake.endpointsNamed("deploykit-it-llm")).isEqualTo(1);
    await(Duration.ofMinutes(2), () -> {
      EndpointWorkers w = api.workers(endpoint.id());
      return w.workers().stream().noneMatch(x -> x.id().equals(oldWorker))
          && w.workers().stream().anyMatch(x -> !x.stale() && v2.reference().equals(x.image())
              && x.status().equals("IDLE"));
    });
    JobStatus answered = client.runSync(Map.of("prompt", "Hi", "options", Map.of("num_predict", 4)),
        Duration.ofMinutes(1));
    assertThat(answered.isCompleted()).isTrue();
    assertThat(answered.workerId()).isNotEqualTo(oldWorker);
    api.ensureEndpoint(base.withImage(v2.reference()).withWorkers(0, 2, 2));
  }

  @Test
  @Order(7)
  void aJobQueuedWithNoWorkerIsSeenByTheHealthCheckAndCancelled() throws Exception {
    Endpoint idle = api.ensureEndpoint(EndpointSpec.of("deploykit-it-none", built.reference())
        .withRegistryId(registryId).withWorkers(0, 0, 2)).endpoint();
    try (EndpointClient none = EndpointClient.builder(idle.id(), fake.apiKey()).baseUrl(fake.invocationUrl())
        .bareKey().build();
        RunPodCheck check = RunPodCheck.builder(fake.invocationUrl(), idle.id(), fake.apiKey()).build()) {
      JobStatus job = none.run(Map.of("prompt", "never"));
      HealthResult queued = check.check(CheckContext.of(Deadline.after(Duration.ofSeconds(5), TimeSource.system())));
      assertThat(queued.status()).isEqualTo(HealthStatus.DEGRADED);
      assertThat(queued.detail()).contains("queued with no idle or running worker");
      assertThat(none.cancel(job.id()).status()).isEqualTo("CANCELLED");
      assertThat(none.status(job.id()).status()).isEqualTo("CANCELLED");
      assertThat(none.health().jobs("inQueue")).isZero();
    }
    api.deleteEndpoint(idle.id());
    assertThatThrownBy(() -> api.getEndpoint(idle.id())).isInstanceOfSatisfying(RunPodException.class,
        e -> assertThat(e.reason()).isEqualTo(RunPodException.Reason.NOT_FOUND));
  }

  @Test
  @Order(8)
  void aWorkerThatCrashesAtStartLeavesNoHealthyWorkerAndSaysWhy() throws Exception {
    Endpoint crash = api.ensureEndpoint(EndpointSpec.of("deploykit-it-crash", built.reference())
        .withRegistryId(registryId).withEnv(Map.of("DEPLOYKIT_MODEL", "missing-model")).withWorkers(1, 1, 2))
        .endpoint();
    assertThatThrownBy(() -> api.awaitReadyWorker(crash.id(), Duration.ofSeconds(40), w -> { }))
        .isInstanceOfSatisfying(RunPodException.class, e -> {
          assertThat(e.reason()).isEqualTo(RunPodException.Reason.NOT_READY);
          assertThat(e.getMessage()).contains("UNHEALTHY").contains("missing-model")
              .contains("is not in Ollama's /api/tags").doesNotContain("\n");
          System.out.println("runpod crash at start, as reported: " + e.getMessage());
        });
    try (RunPodCheck check = RunPodCheck.builder(fake.invocationUrl(), crash.id(), fake.apiKey()).build()) {
      HealthResult r = check.check(CheckContext.of(Deadline.after(Duration.ofSeconds(5), TimeSource.system())));
      assertThat(r.status()).isEqualTo(HealthStatus.DEGRADED);
      assertThat(r.detail()).contains("unhealthy worker");
    }
    api.deleteEndpoint(crash.id());
  }

  @Test
  @Order(9)
  void badInputsAreOneLineEachAndNeverShowTheKey() throws Exception {
    EndpointSpec spec = EndpointSpec.of("deploykit-it-bad", built.reference()).withGpuPools(List.of("NOPE_99"));
    int templates = fake.templateCount();
    assertThatThrownBy(() -> api.ensureEndpoint(spec)).isInstanceOfSatisfying(RunPodException.class, e -> {
      assertThat(e.reason()).isEqualTo(RunPodException.Reason.BAD_INPUT);
      assertThat(e.getMessage()).contains("unknown GPU pool 'NOPE_99'").contains("ADA_24").doesNotContain("\n");
    });
    // Refused before anything was made: no template, no endpoint left behind.
    assertThat(fake.templateCount()).isEqualTo(templates);
    assertThat(api.findEndpoint("deploykit-it-bad")).isEmpty();
    try (RunPodApi wrong = RunPodApi.builder("rpa_WRONGKEY").baseUrl(fake.managementUrl()).build()) {
      assertThatThrownBy(wrong::listEndpoints).isInstanceOfSatisfying(RunPodException.class, e -> {
        assertThat(e.reason()).isEqualTo(RunPodException.Reason.UNAUTHORIZED);
        assertThat(e.getMessage()).contains("refused the API key").doesNotContain("rpa_WRONGKEY");
      });
    }
    try (RunPodApi readOnly = RunPodApi.builder(fake.readOnlyKey()).baseUrl(fake.managementUrl()).build()) {
      assertThat(readOnly.listEndpoints()).isNotEmpty();
      assertThatThrownBy(() -> readOnly.deleteEndpoint(endpoint.id()))
          .isInstanceOfSatisfying(RunPodException.class, e -> {
            assertThat(e.getMessage()).contains("lacks access").contains("HTTP 403")
                .doesNotContain(fake.readOnlyKey());
          });
    }
    fake.rateLimitNext(2);
    notices.clear();
    assertThat(api.getEndpoint(endpoint.id()).name()).isEqualTo("deploykit-it-llm");
    assertThat(notices).hasSize(2).allSatisfy(n -> assertThat(n).contains("rate limit").contains("waiting 1 s"));
    Path notGguf = Files.writeString(dir.resolve("model.bin"), "PK\u0003\u0004 a zip, not a model");
    assertThatThrownBy(() -> WorkerImage.builder(notGguf, registry.server() + "/llm/x").build().build(host))
        .isInstanceOfSatisfying(RunPodException.class, e -> {
          assertThat(e.reason()).isEqualTo(RunPodException.Reason.BAD_INPUT);
          assertThat(e.getMessage()).contains("is not a GGUF file").contains("50 4b 03 04");
        });
    assertThatThrownBy(() -> WorkerImage.push(host, built,
        new RegistryAuth(registry.server(), TestRegistry.USER, "wrong-password"), Duration.ofMinutes(1)))
        .isInstanceOfSatisfying(RunPodException.class, e -> {
          assertThat(e.reason()).isEqualTo(RunPodException.Reason.IMAGE);
          assertThat(e.getMessage()).startsWith("Pushing " + built.reference() + " failed")
              .doesNotContain("wrong-password").doesNotContain("\n");
          System.out.println("runpod refused push, as reported: " + e.getMessage());
        });
  }

  private JobStatus awaitFinal(String id, List<JsonNode> chunks) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < end) {
      EndpointClient.Stream s = client.stream(id);
      chunks.addAll(s.outputs());
      JobStatus st = client.status(id);
      if (st.isFinal()) {
        chunks.addAll(client.stream(id).outputs());
        return st;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("job " + id + " did not end within 2 minutes");
  }

  private static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + timeout.toSeconds() + " s");
      }
      Thread.sleep(250);
    }
  }
}
