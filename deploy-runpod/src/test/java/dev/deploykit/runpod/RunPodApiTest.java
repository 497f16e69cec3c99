package dev.deploykit.runpod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploykit.health.wait.FakeTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RunPodApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "rpa_SECRETKEY123";
  private static final String ENDPOINT = "{\"id\":\"ep1\",\"name\":\"llm\",\"image\":\"r/x:1\","
      + "\"env\":{\"TOKEN\":\"hidden\"},\"gpu\":{\"pools\":[\"ADA_24\"]},\"workers\":{\"min\":0,\"max\":3,"
      + "\"idleTimeout\":5},\"scaling\":{\"type\":\"QUEUE_DELAY\",\"queueDelay\":4},\"flashboot\":\"OFF\","
      + "\"timeout\":300000,\"requestUrls\":{\"health\":\"https://api.runpod.ai/v2/ep1/health\"}}";

  private MockWebServer server;
  private final FakeTimeSource time = new FakeTimeSource();
  private final List<String> notices = new ArrayList<>();
  private RunPodApi api;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    api = RunPodApi.builder(KEY).baseUrl(server.url("/").uri()).timeSource(time)
        .notices(notices::add).build();
  }

  @AfterEach
  void stop() {
    api.close();
    server.close();
  }

  private void answer(int code, String body) {
    server.enqueue(new MockResponse.Builder().code(code)
        .addHeader("Content-Type", code >= 400 ? "application/problem+json" : "application/json")
        .body(body).build());
  }

  private RecordedRequest take() throws InterruptedException {
    return server.takeRequest(5, TimeUnit.SECONDS);
  }

  private static final String CATALOG = "{\"gpus\":[" + gpu("NVIDIA GeForce RTX 4090", "ADA_24") + ","
      + gpu("NVIDIA RTX A4000", "AMPERE_16") + "," + gpu("NVIDIA H200", null) + "]}";

  private static String gpu(String id, String pool) {
    return "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"pool\":" + (pool == null ? "null" : "\"" + pool + "\"")
        + ",\"manufacturer\":\"NVIDIA\",\"memory\":24,\"secure\":true,\"community\":true,"
        + "\"price\":{\"secure\":0.44,\"community\":0.31},\"maxCount\":{\"secure\":8,\"community\":4}}";
  }

  @Test
  void anUnknownGpuPoolIsRefusedBeforeAnythingIsCreatedOrPatched() throws Exception {
    answer(200, CATALOG);
    EndpointSpec spec = EndpointSpec.of("llm", "r/x:1").withGpuPools(List.of("ADA_24", "NOPE_1"));
    assertThatThrownBy(() -> api.ensureEndpoint(spec)).isInstanceOfSatisfying(RunPodException.class, e -> {
      assertThat(e.reason()).isEqualTo(RunPodException.Reason.BAD_INPUT);
      assertThat(e.getMessage()).isEqualTo("unknown GPU pool 'NOPE_1': RunPod's serverless pools are"
          + " ADA_24, AMPERE_16 (GET /v2/catalog/gpus); nothing was created or changed");
    });
    RecordedRequest catalog = take();
    assertThat(catalog.getMethod() + " " + catalog.getUrl().encodedPath()).isEqualTo("GET /v2/catalog/gpus");
    assertThat(server.getRequestCount()).as("no template, endpoint or patch request").isEqualTo(1);
  }

  @Test
  void theCatalogGivesTheServerlessPoolsSortedWithoutDuplicates() {
    answer(200, "{\"gpus\":[" + gpu("b", "AMPERE_16") + "," + gpu("a", "ADA_24") + "," + gpu("c", "ADA_24") + "]}");
    assertThat(api.gpuPools()).containsExactly("ADA_24", "AMPERE_16");
  }

  @Test
  void ensureEndpointCreatesTheTemplateThenTheEndpointWhenNoneHasTheName() throws Exception {
    answer(200, CATALOG);
    answer(200, "{\"endpoints\":[]}");
    answer(200, "{\"templates\":[]}");
    answer(201, "{\"id\":\"tpl1\",\"name\":\"llm-template\",\"image\":\"r/x:1\"}");
    answer(201, ENDPOINT);
    EndpointSpec spec = EndpointSpec.of("llm", "r/x:1").withEnv(Map.of("TOKEN", "hidden"))
        .withWorkers(0, 3, 5).withRegistryId("reg1");
    RunPodApi.Ensured ensured = api.ensureEndpoint(spec);
    assertThat(ensured.created()).isTrue();
    assertThat(ensured.endpoint().id()).isEqualTo("ep1");
    assertThat(ensured.endpoint().envKeys()).containsExactly("TOKEN");
    assertThat(take().getUrl().encodedPath()).isEqualTo("/v2/catalog/gpus");
    RecordedRequest list = take();
    assertThat(list.getMethod() + " " + list.getUrl().encodedPath()).isEqualTo("GET /v2/serverless");
    assertThat(list.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
    take();
    RecordedRequest template = take();
    assertThat(template.getMethod() + " " + template.getUrl().encodedPath()).isEqualTo("POST /v2/templates");
    assertThat(JSON.readTree(template.getBody().utf8()).path("serverless").asBoolean()).isTrue();
    RecordedRequest create = take();
    assertThat(create.getMethod() + " " + create.getUrl().encodedPath()).isEqualTo("POST /v2/serverless");
    JsonNode body = JSON.readTree(create.getBody().utf8());
    assertThat(body.path("type").asText()).isEqualTo("QUEUE");
    assertThat(body.path("templateId").asText()).isEqualTo("tpl1");
    assertThat(body.path("registry").asText()).isEqualTo("reg1");
    assertThat(body.path("gpu").path("pools").get(0).asText()).isEqualTo("ADA_24");
    assertThat(body.path("workers").path("idleTimeout").asInt()).isEqualTo(5);
    assertThat(body.path("scaling").path("queueDelay").asDouble()).isEqualTo(4.0);
  }

  @Test
  void ensureEndpointPatchesTheEndpointOfThatNameInsteadOfAddingOne() throws Exception {
    answer(200, CATALOG);
    answer(200, "{\"endpoints\":[" + ENDPOINT + "]}");
    answer(200, ENDPOINT);
    RunPodApi.Ensured ensured = api.ensureEndpoint(EndpointSpec.of("llm", "r/x:2")
        .withScaling(Scaling.requestCount(2)));
    assertThat(ensured.created()).isFalse();
    take();
    take();
    RecordedRequest patch = take();
    assertThat(patch.getMethod() + " " + patch.getUrl().encodedPath()).isEqualTo("PATCH /v2/serverless/ep1");
    JsonNode body = JSON.readTree(patch.getBody().utf8());
    assertThat(body.has("name")).isFalse();
    assertThat(body.path("image").asText()).isEqualTo("r/x:2");
    assertThat(body.path("scaling").path("requestCount").asInt()).isEqualTo(2);
    // RunPod rejects an idle timeout with request-count scaling.
    assertThat(body.path("workers").has("idleTimeout")).isFalse();
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void aRateLimitIsWaitedOutAsRetryAfterSaysAndSaid() throws Exception {
    server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "7")
        .addHeader("Content-Type", "application/problem+json")
        .body("{\"title\":\"Too Many Requests\",\"status\":429,\"detail\":\"rate limit exceeded for the minute window\"}")
        .build());
    answer(200, ENDPOINT);
    assertThat(api.getEndpoint("ep1").name()).isEqualTo("llm");
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(7));
    assertThat(notices).singleElement().asString()
        .contains("rate limit exceeded for the minute window").contains("waiting 7 s");
  }

  @Test
  void aRateLimitLongerThanTheLimitFailsWithOneLine() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "60")
          .body("{\"title\":\"Too Many Requests\",\"status\":429,\"detail\":\"rate limit exceeded\"}").build());
    }
    assertThatThrownBy(() -> api.listEndpoints()).isInstanceOfSatisfying(RunPodException.class, e -> {
      assertThat(e.reason()).isEqualTo(RunPodException.Reason.RATE_LIMITED);
      assertThat(e.getMessage()).contains("still rate limits").doesNotContain("\n");
    });
  }

  @Test
  void aRefusedKeyIsOneLineWithoutTheKey() {
    answer(401, "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"invalid API key " + KEY + "x\"}");
    assertThatThrownBy(() -> api.listEndpoints()).isInstanceOfSatisfying(RunPodException.class, e -> {
      assertThat(e.reason()).isEqualTo(RunPodException.Reason.UNAUTHORIZED);
      assertThat(e.getMessage()).contains("refused the API key").contains("RUNPOD_API_KEY");
    });
    assertThat(api.toString()).doesNotContain(KEY);
  }

  @Test
  void aProblemIsShownWithItsDetailAndErrors() {
    answer(400, "{\"title\":\"Bad Request\",\"status\":400,\"detail\":\"gpu.pools: unknown GPU pool 'NOPE'\","
        + "\"errors\":[\"$.gpu.pools[0]: not a pool\"]}");
    assertThatThrownBy(() -> api.createEndpoint(EndpointSpec.of("llm", "r/x:1").withGpuPools(List.of("NOPE")), null))
        .isInstanceOfSatisfying(RunPodException.class, e -> {
          assertThat(e.reason()).isEqualTo(RunPodException.Reason.REFUSED);
          assertThat(e.getMessage()).isEqualTo("RunPod refused create endpoint llm (HTTP 400): gpu.pools:"
              + " unknown GPU pool 'NOPE'; $.gpu.pools[0]: not a pool");
        });
  }

  @Test
  void aReadIsRetriedAfterA5xxButAWriteIsNot() {
    answer(503, "{\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\"busy\"}");
    answer(200, "{\"endpoints\":[]}");
    assertThat(api.listEndpoints()).isEmpty();
    answer(503, "{\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\"busy\"}");
    assertThatThrownBy(() -> api.deleteEndpoint("ep1")).isInstanceOf(RunPodException.class)
        .hasMessageContaining("HTTP 503");
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void theSpecNeverShowsItsEnvironmentValues() {
    EndpointSpec spec = EndpointSpec.of("llm", "r/x:1").withEnv(Map.of("HF_TOKEN", "hf_secret"));
    assertThat(spec.toString()).contains("HF_TOKEN").doesNotContain("hf_secret");
  }
}
