package dev.deploykit.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The stack's LLM on RunPod serverless (the stack file's {@code x-deploykit.runpod}): the GGUF
 * model and the image it is baked into, the registry the image is pushed to, and the endpoint's
 * GPU pools, workers and scaling. The API key is never part of the settings: it is read from
 * the environment variable {@link #apiKeyEnv()} when a command needs it.
 *
 * <pre>{@code
 * x-deploykit:
 *   runpod:
 *     model: ./models/tiny.gguf
 *     image: registry.example.com/llm/ollama-tiny
 *     registry: {server: registry.example.com, user: deploy, password_env: REGISTRY_PASSWORD}
 *     gpu_pools: [ADA_24, AMPERE_24]
 *     workers: {min: 0, max: 3, idle_timeout: 10s}
 *     scaling: {type: queue_delay, value: 4}
 * }</pre>
 *
 * <p>Thread safety: immutable.
 *
 * @param model the GGUF file (resolved against the stack file's folder)
 * @param modelName the model's name in Ollama, or null for the file's name without {@code .gguf}
 * @param image the image repository, without a tag (the tag is the image's content hash)
 * @param endpoint the endpoint's name, or null for {@code <stack>-llm}
 * @param registry where the image is pushed and RunPod pulls it from, or null for a public image
 * @param gpuPools GPU pool ids in order of preference
 * @param gpuCount GPUs per worker
 * @param workersMin always-on workers (billed while idle)
 * @param workersMax the most workers
 * @param idleTimeout how long an idle worker stays
 * @param scaler {@code QUEUE_DELAY} or {@code REQUEST_COUNT}
 * @param scalerValue seconds in the queue, or requests per worker
 * @param flashboot whether FlashBoot is on
 * @param timeout a job's longest execution
 * @param apiKeyEnv the environment variable holding the API key
 * @param env the workers' environment
 */
public record RunPodSettings(Path model, @Nullable String modelName, String image,
    @Nullable String endpoint, @Nullable RegistrySettings registry, List<String> gpuPools,
    int gpuCount, int workersMin, int workersMax, Duration idleTimeout, String scaler,
    double scalerValue, boolean flashboot, Duration timeout, String apiKeyEnv,
    Map<String, String> env) {
  /** The variable the API key is read from by default. */
  public static final String DEFAULT_API_KEY_ENV = "RUNPOD_API_KEY";

  /**
   * @throws IllegalArgumentException naming the setting that is out of range
   */
  public RunPodSettings {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(image, "image");
    gpuPools = List.copyOf(gpuPools);
    env = Map.copyOf(env);
    if (gpuPools.isEmpty()) {
      throw new IllegalArgumentException("gpu_pools must name at least one pool, such as ADA_24");
    }
    if (workersMin < 0 || workersMax < workersMin) {
      throw new IllegalArgumentException("workers must be 0 <= min <= max, were min " + workersMin
          + ", max " + workersMax);
    }
    if (idleTimeout.toSeconds() < 1 || idleTimeout.toSeconds() > 3600) {
      throw new IllegalArgumentException("idle_timeout must be 1 s to 1 h, was " + idleTimeout.toSeconds() + " s");
    }
    if (!scaler.equals("QUEUE_DELAY") && !scaler.equals("REQUEST_COUNT")) {
      throw new IllegalArgumentException("scaling type must be queue_delay or request_count, was " + scaler);
    }
  }

  /** Never shows environment values. */
  @Override
  public String toString() {
    return "RunPodSettings[model=" + model + ", image=" + image + ", endpoint=" + endpoint
        + ", registry=" + registry + ", gpuPools=" + gpuPools + ", workers=" + workersMin + ".."
        + workersMax + ", idle=" + idleTimeout.toSeconds() + "s, scaling=" + scaler + " " + scalerValue
        + ", env keys=" + new java.util.TreeSet<>(env.keySet()) + "]";
  }
}
