package dev.deploykit.health.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deploykit.health.CheckContext;
import dev.deploykit.health.HealthCheck;
import dev.deploykit.health.HealthResult;
import dev.deploykit.health.internal.HttpProbe;
import dev.deploykit.health.internal.Urls;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Checks an Ollama server: {@code GET /api/version} answers; if a model is configured, it is
 * listed in {@code /api/tags} and loaded in {@code /api/ps}; optionally a one-token {@code POST
 * /api/generate} ({@code stream: false}) succeeds.
 *
 * <pre>{@code
 * OllamaCheck server = OllamaCheck.builder(URI.create("http://127.0.0.1:11434"))
 *     .model("qwen2.5:0.5b").build();
 * OllamaCheck generation = OllamaCheck.builder(URI.create("http://127.0.0.1:11434"))
 *     .model("qwen2.5:0.5b").generate(true).build();
 * runner.add(CheckSpec.of("ollama", server))
 *       .add(CheckSpec.of("ollama-generate", generation).critical(false)
 *           .background(Duration.ofMinutes(1)).timeout(Duration.ofSeconds(30)));
 * }</pre>
 *
 * <p>DOWN when the server cannot be reached, answers an error or malformed JSON, the model is not
 * present, or the generation fails; DEGRADED when the model is present but not loaded (the first
 * request will be slow). A model name without a tag means {@code :latest}.
 *
 * <p>Thread-safe; close it to drop its kept connection.
 */
public final class OllamaCheck implements HealthCheck, AutoCloseable {
  private final URI base;
  private final @Nullable String model;
  private final boolean generate;
  private final HttpProbe http;

  private OllamaCheck(Builder b) {
    this.base = b.base;
    this.model = b.model;
    this.generate = b.generate;
    this.http = new HttpProbe(b.connectTimeout);
  }

  /** A builder for the server at {@code base} (for example {@code http://127.0.0.1:11434}). */
  public static Builder builder(URI base) {
    return new Builder(base);
  }

  @Override
  public HealthResult check(CheckContext context) throws InterruptedException {
    try {
      JsonNode version = http.getJson(base.resolve("/api/version"), Map.of(), context);
      String v = version.path("version").asText("");
      if (v.isEmpty()) {
        return HealthResult.down("malformed JSON from " + Urls.redact(base)
            + "/api/version: no version");
      }
      if (model == null) {
        return HealthResult.up("Ollama " + v + " answers").withData("version", v);
      }
      JsonNode tags = http.getJson(base.resolve("/api/tags"), Map.of(), context);
      if (!tags.path("models").isArray()) {
        return HealthResult.down("malformed JSON from " + Urls.redact(base)
            + "/api/tags: no models array");
      }
      if (!listed(tags, model)) {
        return HealthResult.down("model " + model + " is not present on Ollama " + v)
            .withData("version", v);
      }
      JsonNode ps = http.getJson(base.resolve("/api/ps"), Map.of(), context);
      if (!ps.path("models").isArray()) {
        return HealthResult.down("malformed JSON from " + Urls.redact(base)
            + "/api/ps: no models array");
      }
      if (!listed(ps, model)) {
        return HealthResult.degraded("model " + model + " is present but not loaded")
            .withData("version", v).withData("loaded", false);
      }
      if (generate) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("model", model);
        request.put("prompt", "Say OK.");
        request.put("stream", false);
        request.put("options", Map.of("num_predict", 1));
        JsonNode answer = http.postJson(base.resolve("/api/generate"), http.toJson(request),
            context);
        if (!answer.path("response").isTextual()) {
          return HealthResult.down("malformed JSON from " + Urls.redact(base)
              + "/api/generate: no response");
        }
        return HealthResult.up("model " + model + " generated a token on Ollama " + v)
            .withData("version", v).withData("loaded", true)
            .withData("evalCount", answer.path("eval_count").asInt(0));
      }
      return HealthResult.up("model " + model + " is loaded on Ollama " + v)
          .withData("version", v).withData("loaded", true);
    } catch (HttpProbe.ProbeException e) {
      return HealthResult.down(e.getMessage());
    }
  }

  private static boolean listed(JsonNode list, String model) {
    String wanted = withTag(model);
    for (JsonNode m : list.path("models")) {
      if (wanted.equals(withTag(m.path("name").asText(""))) 
          || wanted.equals(withTag(m.path("model").asText("")))) {
        return true;
      }
    }
    return false;
  }

  private static String withTag(String name) {
    return name.isEmpty() || name.contains(":") ? name : name + ":latest";
  }

  /** Drops the kept connection. */
  @Override
  public void close() {
    http.close();
  }

  /**
   * Settings of an {@link OllamaCheck}: no model (only the server is checked), no generation, a
   * 1 s connect timeout.
   *
   * <p>Not thread-safe.
   */
  public static final class Builder {
    private final URI base;
    private @Nullable String model;
    private boolean generate;
    private Duration connectTimeout = Duration.ofSeconds(1);

    private Builder(URI base) {
      Objects.requireNonNull(base, "base");
      if (base.getHost() == null || base.getScheme() == null) {
        throw new IllegalArgumentException("base must be an absolute URL: " + Urls.redact(base));
      }
      this.base = base;
    }

    /** The model that must be present and loaded. */
    public Builder model(String model) {
      if (Objects.requireNonNull(model, "model").isBlank()) {
        throw new IllegalArgumentException("model must not be blank");
      }
      this.model = model;
      return this;
    }

    /**
     * Whether to also generate one token (an expensive check: run it in background mode).
     *
     * @throws IllegalStateException at {@link #build()} if no model is set
     */
    public Builder generate(boolean generate) {
      this.generate = generate;
      return this;
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

    /**
     * The check.
     *
     * @throws IllegalStateException if {@code generate} is set without a model
     */
    public OllamaCheck build() {
      if (generate && model == null) {
        throw new IllegalStateException("generate needs a model");
      }
      return new OllamaCheck(this);
    }
  }
}
