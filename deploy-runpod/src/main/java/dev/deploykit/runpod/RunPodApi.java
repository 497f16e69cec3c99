package dev.deploykit.runpod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.deploykit.health.wait.TimeSource;
import dev.deploykit.runpod.internal.ApiCalls;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * RunPod's management API, REST v2 ({@code https://api.runpod.io/v2}): serverless templates,
 * endpoints (create, get, list, patch, delete), their workers and worker logs, and registry
 * credentials. {@link #ensureEndpoint} is idempotent by name: an endpoint that exists is patched,
 * never duplicated.
 *
 * <pre>{@code
 * try (RunPodApi api = RunPodApi.builder(System.getenv("RUNPOD_API_KEY")).build()) {
 *   RunPodApi.Ensured e = api.ensureEndpoint(EndpointSpec.of("ollama-llm", pushedImage));
 * }
 * }</pre>
 *
 * <p>Every call has a deadline (OkHttp's call timeout); a 429 is waited out as {@code
 * Retry-After} says (told to the listener); a refusal is a {@link RunPodException} with one line.
 * The API key is never in a log, a message or {@link #toString()}. Thread-safe.
 */
public final class RunPodApi implements AutoCloseable {
  /** The management API's production base. */
  public static final URI DEFAULT_BASE = URI.create("https://api.runpod.io");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpUrl base;
  private final OkHttpClient http;
  private final ApiCalls calls;
  private final boolean ownsClient;

  /** What {@link #ensureEndpoint} did. */
  public record Ensured(Endpoint endpoint, boolean created) {}

  /** A registry credential: its id is what an endpoint's {@code registry} takes. */
  public record Registry(String id, String name) {}

  /** A serverless template. */
  public record Template(String id, String name, String image) {}

  private RunPodApi(Builder b) {
    this.base = Objects.requireNonNull(HttpUrl.parse(b.base.toString()), "base");
    this.ownsClient = b.http == null;
    this.http = (b.http != null ? b.http.newBuilder() : new OkHttpClient.Builder())
        .connectTimeout(Duration.ofSeconds(10)).readTimeout(b.callTimeout)
        .callTimeout(b.callTimeout).build();
    this.calls = new ApiCalls(http, "RunPod", "Bearer " + b.apiKey, b.time, b.rateLimitWait, b.notices);
  }

  /**
   * A client with key {@code apiKey}.
   *
   * @throws IllegalArgumentException when the key is blank
   */
  public static Builder builder(String apiKey) {
    return new Builder(apiKey);
  }

  // ---- endpoints ----

  /** Every endpoint of the account. */
  public List<Endpoint> listEndpoints() {
    JsonNode body = calls.call("GET", url("v2/serverless"), null, "list endpoints").body();
    List<Endpoint> endpoints = new ArrayList<>();
    for (JsonNode e : body.path("endpoints")) {
      endpoints.add(endpoint(e));
    }
    return endpoints;
  }

  /** The endpoint named {@code name}, if there is one. */
  public Optional<Endpoint> findEndpoint(String name) {
    return listEndpoints().stream().filter(e -> e.name().equals(name)).findFirst();
  }

  /**
   * The endpoint {@code id}.
   *
   * @throws RunPodException with {@link RunPodException.Reason#NOT_FOUND} when there is none
   */
  public Endpoint getEndpoint(String id) {
    return endpoint(calls.call("GET", url("v2/serverless/" + id), null, "get endpoint " + id).body());
  }

  /** Creates an endpoint (a second one if one of that name exists: see {@link #ensureEndpoint}). */
  public Endpoint createEndpoint(EndpointSpec spec, @Nullable String templateId) {
    ObjectNode body = endpointBody(spec, true);
    if (templateId != null) {
      body.put("templateId", templateId);
    }
    return endpoint(calls.call("POST", url("v2/serverless"), body, "create endpoint " + spec.name()).body());
  }

  /** Brings endpoint {@code id} to {@code spec}; a new image or environment rolls its workers. */
  public Endpoint updateEndpoint(String id, EndpointSpec spec) {
    return endpoint(calls.call("PATCH", url("v2/serverless/" + id), endpointBody(spec, false),
        "update endpoint " + spec.name()).body());
  }

  /**
   * The endpoint named as {@code spec} says, created with its template when missing, else
   * patched to the spec. Its GPU pools are checked first ({@link #checkGpuPools}), so a spec
   * RunPod would refuse changes nothing.
   */
  public Ensured ensureEndpoint(EndpointSpec spec) {
    checkGpuPools(spec.gpuPools());
    Optional<Endpoint> existing = findEndpoint(spec.name());
    if (existing.isPresent()) {
      return new Ensured(updateEndpoint(existing.get().id(), spec), false);
    }
    Template template = ensureTemplate(spec.name() + "-template", spec.image(), spec.env(),
        spec.registryId());
    return new Ensured(createEndpoint(spec, template.id()), true);
  }

  // ---- catalog ----

  /** The serverless GPU pool ids of RunPod's catalogue ({@code GET /v2/catalog/gpus}), sorted. */
  public List<String> gpuPools() {
    JsonNode body = calls.call("GET", url("v2/catalog/gpus"), null, "list GPU types").body();
    TreeSet<String> pools = new TreeSet<>();
    for (JsonNode gpu : body.path("gpus")) {
      JsonNode pool = gpu.path("pool");
      if (pool.isTextual() && !pool.asText().isBlank()) {
        pools.add(pool.asText());
      }
    }
    return List.copyOf(pools);
  }

  /**
   * Checks that every pool is one of RunPod's serverless GPU pools, before anything is created.
   *
   * @throws RunPodException with {@link RunPodException.Reason#BAD_INPUT} naming the first
   *     unknown pool and the known ones
   */
  public void checkGpuPools(List<String> pools) {
    List<String> known = gpuPools();
    if (known.isEmpty()) {
      return; // a catalogue that lists no pool cannot tell a wrong one: RunPod's create decides
    }
    for (String pool : pools) {
      if (!known.contains(pool)) {
        throw new RunPodException(RunPodException.Reason.BAD_INPUT, "unknown GPU pool '" + pool
            + "': RunPod's serverless pools are " + String.join(", ", known)
            + " (GET /v2/catalog/gpus); nothing was created or changed");
      }
    }
  }

  /** Deletes endpoint {@code id} (and the template bound to it); its jobs are cancelled. */
  public void deleteEndpoint(String id) {
    calls.call("DELETE", url("v2/serverless/" + id), null, "delete endpoint " + id);
  }

  /** The endpoint's workers by state. */
  public EndpointWorkers workers(String endpointId) {
    JsonNode body = calls.call("GET", url("v2/serverless/" + endpointId + "/workers"), null,
        "list the workers of endpoint " + endpointId).body();
    Map<String, Integer> summary = new LinkedHashMap<>();
    body.path("summary").fields().forEachRemaining(f -> summary.put(f.getKey(), f.getValue().asInt()));
    List<EndpointWorkers.Worker> workers = new ArrayList<>();
    for (JsonNode w : body.path("workers")) {
      workers.add(new EndpointWorkers.Worker(w.path("id").asText(), w.path("status").asText(),
          w.path("isStale").asBoolean(false), text(w, "image")));
    }
    return new EndpointWorkers(body.path("endpointVersion").isInt()
        ? body.get("endpointVersion").asInt() : null, summary, workers);
  }

  /**
   * The last {@code lines} log lines of a worker (container and system), read from the
   * server-sent events RunPod streams until they stop coming for a moment.
   */
  public List<String> workerLogs(String endpointId, String workerId, int lines) {
    HttpUrl u = url("v2/serverless/" + endpointId + "/workers/" + workerId + "/logs").newBuilder()
        .addQueryParameter("tail", Integer.toString(lines)).build();
    OkHttpClient shortRead = http.newBuilder().readTimeout(Duration.ofSeconds(2))
        .callTimeout(Duration.ofSeconds(10)).build();
    List<String> out = new ArrayList<>();
    Request request = new Request.Builder().url(u).header("Authorization", authorization())
        .header("Accept", "text/event-stream").build();
    try (Response response = shortRead.newCall(request).execute()) {
      if (!response.isSuccessful()) {
        return out;
      }
      var source = response.body().source();
      String line;
      while ((line = source.readUtf8Line()) != null) {
        if (line.startsWith("data:")) {
          JsonNode event = JSON.readTree(line.substring(5).strip());
          out.add(event.path("line").asText());
          if (out.size() >= lines) {
            break;
          }
        }
      }
    } catch (IOException e) {
      // The stream stays open for new lines: a quiet moment ends the backfill.
    }
    return out;
  }

  /**
   * Waits until endpoint {@code endpointId} has a ready (idle or running) worker of its current
   * version, polling its workers with backoff; {@code progress} hears each change of their
   * states.
   *
   * @throws RunPodException with {@link RunPodException.Reason#NOT_READY} naming the workers'
   *     states and the last log lines of one that is not ready, when the deadline passes first
   */
  public EndpointWorkers awaitReadyWorker(String endpointId, Duration timeout, Consumer<String> progress) {
    String[] last = {""};
    dev.deploykit.health.wait.AwaitResult<EndpointWorkers> result;
    try {
      result = dev.deploykit.health.wait.Await.atMost(timeout)
          .backoff(dev.deploykit.health.wait.Backoff.exponential(Duration.ofMillis(250), Duration.ofSeconds(2)))
          .retryIf(e -> !(e instanceof RunPodException r) || r.reason() == RunPodException.Reason.UNREACHABLE)
          .until(deadline -> {
            EndpointWorkers w = workers(endpointId);
            if (!w.describe().equals(last[0])) {
              last[0] = w.describe();
              progress.accept(last[0]);
            }
            return w;
          }, w -> w.workers().stream().anyMatch(x -> !x.stale()
              && (x.status().equals("IDLE") || x.status().equals("RUNNING"))));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RunPodException(RunPodException.Reason.INTERRUPTED, 0, "waiting for a worker was interrupted", e);
    }
    if (result instanceof dev.deploykit.health.wait.AwaitResult.Satisfied<EndpointWorkers> s) {
      return s.value();
    }
    if (result instanceof dev.deploykit.health.wait.AwaitResult.Aborted<EndpointWorkers> a
        && a.cause() instanceof RunPodException r) {
      throw r;
    }
    throw notReady(endpointId, timeout);
  }

  /**
   * Why endpoint {@code endpointId} has no ready worker after {@code waited}: the workers' states
   * and the last log lines of one that is not ready (an unhealthy one first), as one line.
   */
  public RunPodException notReady(String endpointId, Duration waited) {
    Duration timeout = waited;
    EndpointWorkers seen;
    try {
      seen = workers(endpointId);
    } catch (RunPodException e) {
      return new RunPodException(RunPodException.Reason.NOT_READY, "Endpoint " + endpointId
          + " got no ready worker within " + timeout.toSeconds() + " s; its workers cannot be listed: "
          + e.getMessage());
    }
    StringBuilder why = new StringBuilder();
    // The worker that says most: an unhealthy one (it exited, or stopped pinging), else one still
    // initializing.
    seen.workers().stream().filter(x -> !x.status().equals("IDLE") && !x.status().equals("RUNNING"))
        .min(java.util.Comparator.comparing(x -> x.status().equals("UNHEALTHY") ? 0 : 1)).ifPresent(x -> {
          List<String> logs = workerLogs(endpointId, x.id(), 5);
          why.append("; worker ").append(x.id()).append(" is ").append(x.status())
              .append(logs.isEmpty() ? "" : ", its last log lines: " + String.join(" | ", logs));
        });
    return new RunPodException(RunPodException.Reason.NOT_READY, "Endpoint " + endpointId
        + " got no ready worker within " + timeout.toSeconds() + " s (workers: " + seen.describe() + ")"
        + why + "; check the image starts (runpod status shows the workers), the GPU pools have"
        + " capacity, and workers max is above 0");
  }

  // ---- templates ----

  /** The serverless template named {@code name}, created or patched to this image and env. */
  public Template ensureTemplate(String name, String image, Map<String, String> env,
      @Nullable String registryId) {
    JsonNode list = calls.call("GET", url("v2/templates"), null, "list templates").body();
    ObjectNode body = JSON.createObjectNode();
    body.put("image", image);
    body.set("env", JSON.valueToTree(env));
    if (registryId != null) {
      body.put("registry", registryId);
    }
    for (JsonNode t : list.path("templates")) {
      if (name.equals(t.path("name").asText())) {
        String id = t.path("id").asText();
        return template(calls.call("PATCH", url("v2/templates/" + id), body,
            "update template " + name).body());
      }
    }
    body.put("name", name);
    body.put("serverless", true);
    body.put("disk", 20);
    body.put("startSsh", false);
    body.put("startJupyter", false);
    return template(calls.call("POST", url("v2/templates"), body, "create template " + name).body());
  }

  // ---- registries ----

  /**
   * The registry credential named {@code name}, created with this user and password when
   * missing (RunPod never returns a password, so an existing one is kept as it is).
   */
  public Registry ensureRegistry(String name, String username, String password) {
    JsonNode list = calls.call("GET", url("v2/registries"), null, "list registry credentials").body();
    JsonNode items = list.has("registries") ? list.path("registries") : list;
    for (JsonNode r : items) {
      if (name.equals(r.path("name").asText())) {
        return new Registry(r.path("id").asText(), name);
      }
    }
    ObjectNode body = JSON.createObjectNode().put("name", name).put("username", username)
        .put("password", password);
    JsonNode r = calls.call("POST", url("v2/registries"), body, "create registry credential " + name).body();
    return new Registry(r.path("id").asText(), r.path("name").asText(name));
  }

  @Override
  public void close() {
    if (ownsClient) {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  @Override
  public String toString() {
    return "RunPodApi[" + base + ", apiKey=***]";
  }

  private String authorization() {
    return calls.authorizationValue();
  }

  private HttpUrl url(String path) {
    return base.newBuilder().addPathSegments(path).build();
  }

  private static ObjectNode endpointBody(EndpointSpec spec, boolean create) {
    ObjectNode body = JSON.createObjectNode();
    if (create) {
      body.put("name", spec.name());
      body.put("type", "QUEUE");
    }
    body.put("image", spec.image());
    body.set("env", JSON.valueToTree(spec.env()));
    if (spec.registryId() != null) {
      body.put("registry", spec.registryId());
    }
    ObjectNode gpu = body.putObject("gpu");
    gpu.set("pools", JSON.valueToTree(spec.gpuPools()));
    if (create) {
      gpu.put("count", spec.gpuCount());
    }
    ObjectNode workers = body.putObject("workers").put("min", spec.workersMin()).put("max", spec.workersMax());
    ObjectNode scaling = body.putObject("scaling").put("type", spec.scaling().type());
    if (spec.scaling().type().equals(Scaling.QUEUE_DELAY)) {
      scaling.put("queueDelay", spec.scaling().value());
      workers.put("idleTimeout", spec.idleTimeoutSeconds());
    } else {
      // RunPod rejects an idle timeout with request-count scaling, where it does not apply.
      scaling.put("requestCount", (int) spec.scaling().value());
    }
    body.put("flashboot", spec.flashboot());
    body.put("timeout", spec.timeoutMillis());
    return body;
  }

  static Endpoint endpoint(JsonNode e) {
    Set<String> envKeys = new HashSet<>();
    e.path("env").fieldNames().forEachRemaining(envKeys::add);
    List<String> pools = new ArrayList<>();
    e.path("gpu").path("pools").forEach(p -> pools.add(p.asText()));
    JsonNode s = e.path("scaling");
    Scaling scaling = null;
    if (s.path("type").asText().equals(Scaling.QUEUE_DELAY) && s.has("queueDelay")) {
      scaling = Scaling.queueDelay(Math.max(0.5, s.get("queueDelay").asDouble()));
    } else if (s.path("type").asText().equals(Scaling.REQUEST_COUNT) && s.has("requestCount")) {
      scaling = Scaling.requestCount(Math.max(1, s.get("requestCount").asInt()));
    }
    JsonNode w = e.path("workers");
    return new Endpoint(e.path("id").asText(), e.path("name").asText(), text(e, "image"),
        text(e, "registry"), envKeys, pools, w.path("min").asInt(0), w.path("max").asInt(0),
        w.has("idleTimeout") ? w.get("idleTimeout").asInt() : null, scaling,
        e.path("flashboot").asText("OFF"), e.path("timeout").asLong(0),
        text(e.path("requestUrls"), "health"));
  }

  private static Template template(JsonNode t) {
    return new Template(t.path("id").asText(), t.path("name").asText(), t.path("image").asText());
  }

  private static @Nullable String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isTextual() ? v.asText() : null;
  }

  /** Settings of a {@link RunPodApi}. Not thread-safe. */
  public static final class Builder {
    private final String apiKey;
    private URI base = DEFAULT_BASE;
    private @Nullable OkHttpClient http;
    private TimeSource time = TimeSource.system();
    private Duration callTimeout = Duration.ofSeconds(30);
    private Duration rateLimitWait = Duration.ofMinutes(2);
    private Consumer<String> notices = line -> { };

    private Builder(String apiKey) {
      this.apiKey = ApiCalls.apiKey(apiKey);
    }

    /** The API's base, {@link #DEFAULT_BASE} by default (a fake's address in tests). */
    public Builder baseUrl(URI url) {
      this.base = Objects.requireNonNull(url, "url");
      return this;
    }

    /** An OkHttp client to share (its connection pool and dispatcher); timeouts are set here. */
    public Builder httpClient(OkHttpClient client) {
      this.http = Objects.requireNonNull(client, "client");
      return this;
    }

    /** The clock rate-limit waits sleep on. */
    public Builder timeSource(TimeSource source) {
      this.time = Objects.requireNonNull(source, "source");
      return this;
    }

    /** The deadline of one call (30 s by default). */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** How long one call may wait in all for rate limits to pass (2 minutes by default). */
    public Builder rateLimitWait(Duration wait) {
      this.rateLimitWait = Objects.requireNonNull(wait, "wait");
      return this;
    }

    /** Told in one line when a call waits (a rate limit). */
    public Builder notices(Consumer<String> listener) {
      this.notices = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public RunPodApi build() {
      return new RunPodApi(this);
    }

    @Override
    public String toString() {
      return "RunPodApi.Builder[" + base + ", apiKey=***]";
    }
  }
}
