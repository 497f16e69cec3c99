package dev.deploykit.runpod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deploykit.health.wait.TimeSource;
import dev.deploykit.runpod.internal.ApiCalls;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * One serverless endpoint's invocation API ({@code https://api.runpod.ai/v2/{endpoint_id}}):
 * {@code /run}, {@code /runsync} (which may answer before the job ends: then {@code /status} is
 * polled every second to the caller's deadline), {@code /status}, {@code /stream},
 * {@code /cancel}, {@code /health}.
 *
 * <pre>{@code
 * try (EndpointClient llm = EndpointClient.builder(endpointId, apiKey).build()) {
 *   JobStatus done = llm.runSync(Map.of("prompt", "Say OK"), Duration.ofMinutes(2));
 * }
 * }</pre>
 *
 * <p>The key goes as {@code Authorization: Bearer KEY}, or bare ({@link Builder#bareKey()}), the
 * form the docs' curl examples use; it is never shown. {@code /run} is never retried (it would
 * queue the job twice). Thread-safe.
 */
public final class EndpointClient implements AutoCloseable {
  /** The invocation API's production base. */
  public static final URI DEFAULT_BASE = URI.create("https://api.runpod.ai");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration POLL = Duration.ofSeconds(1);

  private final String endpointId;
  private final HttpUrl base;
  private final OkHttpClient http;
  private final ApiCalls calls;
  private final TimeSource time;
  private final boolean ownsClient;

  private EndpointClient(Builder b) {
    this.endpointId = b.endpointId;
    this.base = Objects.requireNonNull(HttpUrl.parse(b.base.toString()), "base").newBuilder()
        .addPathSegment("v2").addPathSegment(b.endpointId).build();
    this.ownsClient = b.http == null;
    // A /runsync holds the connection up to its wait, 90 s by default: the read timeout is longer.
    this.http = (b.http != null ? b.http.newBuilder() : new OkHttpClient.Builder())
        .connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(120))
        .callTimeout(Duration.ofSeconds(130)).build();
    this.time = b.time;
    this.calls = new ApiCalls(http, "RunPod endpoint " + b.endpointId,
        b.bare ? b.apiKey : "Bearer " + b.apiKey, b.time, b.rateLimitWait, b.notices);
  }

  /** A client of endpoint {@code endpointId} with key {@code apiKey}. */
  public static Builder builder(String endpointId, String apiKey) {
    return new Builder(endpointId, apiKey);
  }

  /** The endpoint's id. */
  public String endpointId() {
    return endpointId;
  }

  /** Queues a job; answers at once with its id ({@code IN_QUEUE}). */
  public JobStatus run(Map<String, ?> input) {
    return JobStatus.from(calls.call("POST", url("run"), body(input), "run a job").body());
  }

  /**
   * Runs a job and waits for its end, up to {@code deadline}: {@code /runsync?wait=...}, then
   * {@code /status} every second while it is queued or in progress.
   *
   * @return the final status, or the last one seen when the deadline passed first
   */
  public JobStatus runSync(Map<String, ?> input, Duration deadline) {
    long end = time.nanoTime() + deadline.toNanos();
    long waitMs = Math.max(1000, Math.min(90_000, deadline.toMillis()));
    HttpUrl u = url("runsync").newBuilder().addQueryParameter("wait", Long.toString(waitMs)).build();
    JobStatus job = JobStatus.from(calls.call("POST", u, body(input), "run a job (runsync)").body());
    while (!job.isFinal() && time.nanoTime() < end) {
      sleep(POLL);
      job = status(job.id());
    }
    return job;
  }

  /**
   * A job's status.
   *
   * @throws RunPodException with {@link RunPodException.Reason#NOT_FOUND} for an unknown or
   *     expired job
   */
  public JobStatus status(String jobId) {
    return JobStatus.from(calls.call("GET", url("status/" + jobId), null, "get the status of job " + jobId).body());
  }

  /** The stream chunks produced since the last call, and the job's status. */
  public Stream stream(String jobId) {
    JsonNode body = calls.call("GET", url("stream/" + jobId), null, "stream job " + jobId).body();
    List<JsonNode> outputs = new ArrayList<>();
    for (JsonNode chunk : body.path("stream")) {
      outputs.add(chunk.path("output"));
    }
    return new Stream(body.path("status").asText("UNKNOWN"), outputs);
  }

  /** Cancels a queued or running job. */
  public JobStatus cancel(String jobId) {
    return JobStatus.from(calls.call("POST", url("cancel/" + jobId), null, "cancel job " + jobId).body());
  }

  /** The endpoint's jobs and workers by state. */
  public EndpointHealth health() {
    JsonNode body = calls.call("GET", url("health"), null, "get the health").body();
    return new EndpointHealth(counts(body.path("jobs")), counts(body.path("workers")));
  }

  /** Chunks of a streaming job, and its status. */
  public record Stream(String status, List<JsonNode> outputs) {
    public Stream {
      outputs = List.copyOf(outputs);
    }
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
    return "EndpointClient[" + base + ", apiKey=***]";
  }

  private static Map<String, Long> counts(JsonNode node) {
    Map<String, Long> out = new LinkedHashMap<>();
    node.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().asLong()));
    return out;
  }

  private static ObjectNode body(Map<String, ?> input) {
    ObjectNode body = JSON.createObjectNode();
    body.set("input", JSON.valueToTree(input));
    return body;
  }

  private HttpUrl url(String path) {
    return base.newBuilder().addPathSegments(path).build();
  }

  private void sleep(Duration d) {
    try {
      time.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RunPodException(RunPodException.Reason.INTERRUPTED, 0, "waiting for a job was interrupted", e);
    }
  }

  /** Settings of an {@link EndpointClient}. Not thread-safe. */
  public static final class Builder {
    private final String endpointId;
    private final String apiKey;
    private URI base = DEFAULT_BASE;
    private @Nullable OkHttpClient http;
    private TimeSource time = TimeSource.system();
    private boolean bare;
    private Duration rateLimitWait = Duration.ofMinutes(2);
    private Consumer<String> notices = line -> { };

    private Builder(String endpointId, String apiKey) {
      this.endpointId = Objects.requireNonNull(endpointId, "endpointId");
      Objects.requireNonNull(apiKey, "apiKey");
      if (!endpointId.matches("[A-Za-z0-9_-]+")) {
        throw new IllegalArgumentException("endpoint id must be letters, digits, - or _: " + endpointId);
      }
      this.apiKey = ApiCalls.apiKey(apiKey);
    }

    /** The invocation API's base, {@link #DEFAULT_BASE} by default. */
    public Builder baseUrl(URI url) {
      this.base = Objects.requireNonNull(url, "url");
      return this;
    }

    /** Send the key bare ({@code Authorization: KEY}), as the docs' curl examples do. */
    public Builder bareKey() {
      this.bare = true;
      return this;
    }

    public Builder httpClient(OkHttpClient client) {
      this.http = Objects.requireNonNull(client, "client");
      return this;
    }

    public Builder timeSource(TimeSource source) {
      this.time = Objects.requireNonNull(source, "source");
      return this;
    }

    public Builder rateLimitWait(Duration wait) {
      this.rateLimitWait = Objects.requireNonNull(wait, "wait");
      return this;
    }

    public Builder notices(Consumer<String> listener) {
      this.notices = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public EndpointClient build() {
      return new EndpointClient(this);
    }
  }
}
