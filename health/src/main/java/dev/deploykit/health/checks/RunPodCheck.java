package dev.deploykit.health.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deploykit.health.CheckContext;
import dev.deploykit.health.HealthCheck;
import dev.deploykit.health.HealthResult;
import dev.deploykit.health.internal.HttpProbe;
import dev.deploykit.health.internal.Urls;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Checks a RunPod serverless endpoint: {@code GET {base}/v2/{endpointId}/health} with the API
 * key.
 *
 * <pre>{@code
 * RunPodCheck llm = RunPodCheck.builder(URI.create("https://api.runpod.ai"), "abc123", apiKey)
 *     .build();
 * }</pre>
 *
 * <p>DOWN when the endpoint cannot be reached, the key is refused (401, 403), the endpoint is
 * unknown (404), or the answer is not the expected JSON; DEGRADED when jobs are queued while no
 * worker is idle or running, or when a worker is throttled or unhealthy; UP otherwise. The key is
 * sent as a bearer token and never reported.
 *
 * <p>Thread-safe; close it to drop its kept connection.
 */
public final class RunPodCheck implements HealthCheck, AutoCloseable {
  private final URI url;
  private final String endpointId;
  private final String apiKey;
  private final HttpProbe http;

  private RunPodCheck(Builder b) {
    String base = b.base.toString().replaceAll("/+$", "");
    this.url = URI.create(base + "/v2/" + b.endpointId + "/health");
    this.endpointId = b.endpointId;
    this.apiKey = b.apiKey;
    this.http = new HttpProbe(b.connectTimeout);
  }

  /**
   * A builder for endpoint {@code endpointId} of the API at {@code base} ({@code
   * https://api.runpod.ai} in production).
   */
  public static Builder builder(URI base, String endpointId, String apiKey) {
    return new Builder(base, endpointId, apiKey);
  }

  @Override
  public HealthResult check(CheckContext context) throws InterruptedException {
    HttpProbe.Answer answer;
    try {
      answer = http.send(url, Map.of("Authorization", "Bearer " + apiKey,
          "Accept", "application/json"), "", 1 << 20, context);
    } catch (HttpProbe.ProbeException e) {
      return HealthResult.down(e.getMessage());
    }
    String where = "RunPod endpoint " + endpointId;
    if (answer.status() == 401 || answer.status() == 403) {
      return HealthResult.down(where + ": the API key was refused (HTTP " + answer.status()
          + ")");
    }
    if (answer.status() == 404) {
      return HealthResult.down(where + " does not exist (HTTP 404)");
    }
    if (answer.status() < 200 || answer.status() > 299) {
      return HealthResult.down(where + " answered HTTP " + answer.status());
    }
    JsonNode health;
    try {
      health = http.parseObject(Urls.redact(url), answer.body());
    } catch (HttpProbe.ProbeException e) {
      return HealthResult.down(e.getMessage());
    }
    JsonNode jobs = health.path("jobs");
    JsonNode workers = health.path("workers");
    if (!jobs.isObject() || !workers.isObject()) {
      return HealthResult.down("malformed JSON from " + Urls.redact(url)
          + ": no jobs or workers object");
    }
    long inQueue = jobs.path("inQueue").asLong(0);
    long inProgress = jobs.path("inProgress").asLong(0);
    long idle = workers.path("idle").asLong(0);
    long running = workers.path("running").asLong(0);
    long ready = workers.path("ready").asLong(0);
    long initializing = workers.path("initializing").asLong(0);
    long throttled = workers.path("throttled").asLong(0);
    long unhealthy = workers.path("unhealthy").asLong(0);
    HealthResult r;
    if (unhealthy > 0) {
      r = HealthResult.degraded(where + ": " + unhealthy + " unhealthy worker(s)");
    } else if (throttled > 0) {
      r = HealthResult.degraded(where + ": " + throttled + " throttled worker(s)");
    } else if (inQueue > 0 && idle + running == 0) {
      r = HealthResult.degraded(where + ": " + inQueue + " job(s) queued with no idle or running"
          + " worker");
    } else {
      r = HealthResult.up(where + ": " + (idle + running) + " worker(s) idle or running, "
          + inQueue + " queued");
    }
    return r.withData("inQueue", inQueue).withData("inProgress", inProgress)
        .withData("idle", idle).withData("running", running).withData("ready", ready)
        .withData("initializing", initializing).withData("throttled", throttled)
        .withData("unhealthy", unhealthy);
  }

  /** Drops the kept connection. */
  @Override
  public void close() {
    http.close();
  }

  @Override
  public String toString() {
    return "RunPodCheck[" + endpointId + " at " + Urls.redact(url) + ", apiKey=***]";
  }

  /**
   * Settings of a {@link RunPodCheck}: a 2 s connect timeout.
   *
   * <p>Not thread-safe.
   */
  public static final class Builder {
    private final URI base;
    private final String endpointId;
    private final String apiKey;
    private Duration connectTimeout = Duration.ofSeconds(2);

    private Builder(URI base, String endpointId, String apiKey) {
      this.base = Objects.requireNonNull(base, "base");
      this.endpointId = Objects.requireNonNull(endpointId, "endpointId");
      this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
      if (!endpointId.matches("[A-Za-z0-9_-]+")) {
        throw new IllegalArgumentException("endpointId must be letters, digits, - or _");
      }
      if (base.getHost() == null || base.getScheme() == null) {
        throw new IllegalArgumentException("base must be an absolute URL: " + Urls.redact(base));
      }
    }

    /**
     * The TCP connect timeout.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder connectTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("connectTimeout must be positive: " + timeout);
      }
      this.connectTimeout = timeout;
      return this;
    }

    /** The check. */
    public RunPodCheck build() {
      return new RunPodCheck(this);
    }
  }
}
