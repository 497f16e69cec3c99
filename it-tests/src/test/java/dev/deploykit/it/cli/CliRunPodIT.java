package dev.deploykit.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploykit.it.support.DockerRequired;
import dev.deploykit.it.support.TestRegistry;
import dev.deploykit.it.support.runpod.FakeRunPod;
import dev.deploykit.llm.TinyModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploykit runpod up|status|test|down} and {@code deploykit health} as an operator runs
 * them, against the fake RunPod (management API checked against runpod-v2.json) and a real
 * registry: {@code up} twice makes one endpoint; the bad inputs are one line each.
 */
@ExtendWith(DockerRequired.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliRunPodIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofMinutes(4);

  @TempDir static Path dir;
  private TestRegistry registry;
  private FakeRunPod fake;
  private Path stack;
  private Map<String, String> env;

  @BeforeAll
  void start() throws Exception {
    registry = TestRegistry.start();
    fake = FakeRunPod.start();
    TinyModel.DEFAULT.withSeed(11).writeTo(dir.resolve("tiny.gguf"));
    stack = dir.resolve("compose.yaml");
    Files.writeString(stack, """
        name: rp
        services:
          app:
            image: deploykit.local/busybox:trixie
        x-deploykit:
          runpod:
            model: ./tiny.gguf
            image: %s/llm/cli-tiny
            registry:
              server: %s
              user: %s
              password_env: REGISTRY_PASSWORD
            endpoint: cli-llm
            gpu_pools: [ADA_24]
            workers: {min: 0, max: 1, idle_timeout: 2s}
            scaling: {type: queue_delay, value: 0.5}
        """.formatted(registry.server(), registry.server(), TestRegistry.USER));
    env = new HashMap<>(Map.of("RUNPOD_API_KEY", fake.apiKey(), "REGISTRY_PASSWORD", registry.password(),
        "RUNPOD_API_BASE_URL", fake.managementUrl().toString(),
        "RUNPOD_ENDPOINT_BASE_URL", fake.invocationUrl().toString()));
  }

  @AfterAll
  void stop() {
    FakeRunPod.closeWithRegistry(fake, registry);
  }

  private Cli.Result run(Map<String, String> extra, String... args) throws Exception {
    Map<String, String> e = new HashMap<>(env);
    e.putAll(extra);
    String[] all = new String[args.length + 2];
    all[0] = "-f";
    all[1] = stack.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return Cli.run(TIMEOUT, e, all);
  }

  @Test
  void upTwiceMakesOneEndpointThenStatusTestHealthAndDown() throws Exception {
    long t0 = System.nanoTime();
    Cli.Result up = run(Map.of(), "runpod", "up");
    assertThat(up.exitCode()).as(up.toString()).isZero();
    assertThat(up.all()).contains("created").contains("answer: ").contains("latency: ")
        .contains("/v2/").contains("/openai/v1").doesNotContain(fake.apiKey()).doesNotContain(registry.password());
    System.out.printf("runpod up (build, push, endpoint, first answer): %.1f s%n", (System.nanoTime() - t0) / 1e9);

    Cli.Result again = run(Map.of(), "runpod", "up", "--json");
    assertThat(again.exitCode()).as(again.toString()).isZero();
    JsonNode doc = JSON.readTree(again.out());
    assertThat(doc.path("created").asBoolean(true)).isFalse();
    assertThat(doc.path("answer").asText()).isNotBlank();
    assertThat(again.err()).contains("unchanged, not rebuilt").contains("updated");
    assertThat(fake.endpointsNamed("cli-llm")).isEqualTo(1);

    Cli.Result status = run(Map.of(), "runpod", "status", "--json");
    assertThat(status.exitCode()).as(status.toString()).isZero();
    JsonNode st = JSON.readTree(status.out());
    assertThat(st.path("endpoint").asText()).isEqualTo("cli-llm");
    assertThat(st.path("summary").has("idle")).isTrue();
    assertThat(st.path("jobs").path("completed").asLong()).isGreaterThanOrEqualTo(2);

    Cli.Result test = run(Map.of(), "runpod", "test", "Hello there");
    assertThat(test.exitCode()).as(test.toString()).isZero();
    assertThat(test.out()).contains("answer: ").contains("latency: ");

    Cli.Result health = run(Map.of(), "health", "--json");
    JsonNode report = JSON.readTree(health.out());
    assertThat(report.path("checks").has("runpod:cli-llm")).as(health.toString()).isTrue();
    assertThat(health.out()).doesNotContain(fake.apiKey());

    Cli.Result down = run(Map.of(), "runpod", "down");
    assertThat(down.exitCode()).as(down.toString()).isZero();
    assertThat(down.out()).contains("deleted");
    assertThat(fake.endpointsNamed("cli-llm")).isZero();
    assertThat(run(Map.of(), "runpod", "down").out()).contains("nothing to do");
  }

  @Test
  void badInputsAreOneLineEachWithTheKeyNeverShown() throws Exception {
    Path notGguf = Files.writeString(dir.resolve("model.safetensors"), "{\"__metadata__\":{}}");
    Cli.Result model = run(Map.of(), "runpod", "up", "--model", notGguf.toString());
    assertThat(model.exitCode()).as(model.toString()).isEqualTo(2);
    assertThat(model.err()).contains("is not a GGUF file").contains("7b 22 5f 5f");

    Cli.Result key = run(Map.of("RUNPOD_API_KEY", "rpa_NOT_THE_KEY"), "runpod", "status");
    assertThat(key.exitCode()).as(key.toString()).isEqualTo(4);
    assertThat(key.err()).contains("refused the API key").doesNotContain("rpa_NOT_THE_KEY");

    Cli.Result noKey = run(Map.of("RUNPOD_API_KEY", ""), "runpod", "status");
    assertThat(noKey.exitCode()).isEqualTo(2);
    assertThat(noKey.err()).contains("RUNPOD_API_KEY").contains("empty");

    int templates = fake.templateCount();
    Cli.Result pool = run(Map.of(), "runpod", "up", "--gpu-pool", "NOPE_1", "--endpoint", "cli-bad");
    assertThat(pool.exitCode()).as(pool.toString()).isEqualTo(2);
    assertThat(pool.err()).contains("unknown GPU pool 'NOPE_1'");
    assertThat(pool.err().strip()).doesNotContain("\n");
    assertThat(fake.endpointsNamed("cli-bad")).isZero();
    assertThat(fake.templateCount()).as("a refused up leaves no template").isEqualTo(templates);

    Cli.Result push = run(Map.of("REGISTRY_PASSWORD", "not-the-password"), "runpod", "up", "--endpoint", "cli-bad");
    assertThat(push.exitCode()).as(push.toString()).isEqualTo(4);
    assertThat(push.err()).contains("Pushing").doesNotContain("not-the-password");
  }
}
