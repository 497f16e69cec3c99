package dev.deploykit.core.internal.compose;

import dev.deploykit.core.RunPodSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code x-deploykit.runpod}: the model, the image, the registry (as
 * {@code x-deploykit.registry} is read), the endpoint's GPU pools, workers and scaling. An API
 * key written in the file is refused: it must come from the environment.
 */
final class RunPodSettingsReader {
  private static final Set<String> KEYS = Set.of("model", "model_name", "image", "endpoint",
      "registry", "gpu_pools", "gpu_count", "workers", "scaling", "flashboot", "timeout",
      "api_key_env", "environment");
  private static final Set<String> WORKER_KEYS = Set.of("min", "max", "idle_timeout");
  private static final Set<String> SCALING_KEYS = Set.of("type", "value");
  private static final Pattern POOL = Pattern.compile("[A-Z0-9_]+");
  private static final Pattern REPOSITORY = Pattern.compile("[a-z0-9.:_/-]+");

  private RunPodSettingsReader() {}

  static @Nullable RunPodSettings read(@Nullable Node node, Path directory) {
    if (node == null || node.isNull()) {
      return null;
    }
    Map<String, Node> keys = node.mapping();
    for (Map.Entry<String, Node> e : keys.entrySet()) {
      if (e.getKey().equals("api_key") || e.getKey().equals("key")) {
        throw e.getValue().error("a RunPod API key must not be written in the stack file: name the"
            + " environment variable that holds it (api_key_env: RUNPOD_API_KEY)");
      }
      if (!KEYS.contains(e.getKey())) {
        throw e.getValue().error("unknown key" + Suggestions.hint(e.getKey(), KEYS)
            + "; runpod takes " + String.join(", ", new java.util.TreeSet<>(KEYS)));
      }
    }
    for (String required : List.of("model", "image")) {
      if (!keys.containsKey(required) || keys.get(required).isNull()) {
        throw node.error(required + " is required in runpod");
      }
    }
    Path model = directory.resolve(keys.get("model").string().strip()).toAbsolutePath().normalize();
    Node imageNode = keys.get("image");
    String image = imageNode.string().strip();
    int slash = image.lastIndexOf('/');
    if (!REPOSITORY.matcher(image).matches() || image.indexOf(':', slash + 1) >= 0) {
      throw imageNode.error("expected an image repository without a tag (lower case; deploykit tags"
          + " the image with its content hash), such as registry.example.com/llm/ollama-qwen; found \""
          + image + "\"");
    }
    List<String> pools = List.of("ADA_24");
    Node poolsNode = keys.get("gpu_pools");
    if (poolsNode != null && !poolsNode.isNull()) {
      pools = poolsNode.strings().stream().map(String::strip).toList();
      if (pools.isEmpty()) {
        throw poolsNode.error("name at least one GPU pool, such as ADA_24");
      }
      for (String pool : pools) {
        if (!POOL.matcher(pool).matches()) {
          throw poolsNode.error("\"" + pool + "\" is not a GPU pool id (pool ids are like ADA_24,"
              + " AMPERE_16, HOPPER_141, not GPU names)");
        }
      }
    }
    int min = 0;
    int max = 3;
    Duration idle = Duration.ofSeconds(10);
    Node workers = keys.get("workers");
    if (workers != null && !workers.isNull()) {
      Map<String, Node> w = workers.mapping();
      for (Map.Entry<String, Node> e : w.entrySet()) {
        if (!WORKER_KEYS.contains(e.getKey())) {
          throw e.getValue().error("unknown key" + Suggestions.hint(e.getKey(), WORKER_KEYS)
              + "; workers takes min, max, idle_timeout");
        }
      }
      if (w.containsKey("min")) {
        min = w.get("min").integer();
        if (min < 0) {
          throw w.get("min").error("must be 0 or more, found " + min);
        }
      }
      if (w.containsKey("max")) {
        max = w.get("max").integer();
        if (max < min) {
          throw w.get("max").error("must be at least min (" + min + "), found " + max);
        }
      }
      if (w.containsKey("idle_timeout")) {
        idle = ComposeDurations.parse(w.get("idle_timeout"));
        if (idle.toSeconds() < 1 || idle.toSeconds() > 3600) {
          throw w.get("idle_timeout").error("must be 1s to 1h, found \"" + w.get("idle_timeout").string() + "\"");
        }
      }
    }
    String scaler = "QUEUE_DELAY";
    double value = 4;
    Node scaling = keys.get("scaling");
    if (scaling != null && !scaling.isNull()) {
      Map<String, Node> s = scaling.mapping();
      for (Map.Entry<String, Node> e : s.entrySet()) {
        if (!SCALING_KEYS.contains(e.getKey())) {
          throw e.getValue().error("unknown key" + Suggestions.hint(e.getKey(), SCALING_KEYS)
              + "; scaling takes type (queue_delay or request_count) and value");
        }
      }
      if (s.containsKey("type")) {
        scaler = s.get("type").string().strip().toUpperCase(Locale.ROOT);
        if (!scaler.equals("QUEUE_DELAY") && !scaler.equals("REQUEST_COUNT")) {
          throw s.get("type").error("expected queue_delay or request_count, found \""
              + s.get("type").string() + "\"");
        }
      }
      if (s.containsKey("value")) {
        try {
          value = Double.parseDouble(s.get("value").string().strip());
        } catch (NumberFormatException e) {
          throw s.get("value").error("expected a number, found \"" + s.get("value").string() + "\"");
        }
      }
      if (scaler.equals("QUEUE_DELAY") && value < 0.5) {
        throw scaling.error("a queue_delay value is seconds in the queue, at least 0.5; found " + value);
      }
      if (scaler.equals("REQUEST_COUNT") && (value < 1 || value != Math.rint(value))) {
        throw scaling.error("a request_count value is requests per worker, a whole number of at least 1;"
            + " found " + value);
      }
    }
    Node timeoutNode = keys.get("timeout");
    Duration timeout = timeoutNode == null || timeoutNode.isNull() ? Duration.ofMinutes(5)
        : ComposeDurations.parse(timeoutNode);
    if (timeout.toSeconds() < 1) {
      throw timeoutNode.error("must be at least 1s");
    }
    Map<String, String> env = new LinkedHashMap<>();
    Node envNode = keys.get("environment");
    if (envNode != null && !envNode.isNull()) {
      envNode.mapping().forEach((k, v) -> env.put(k, v.isNull() ? "" : v.string()));
    }
    Node gpuCount = keys.get("gpu_count");
    Node flashboot = keys.get("flashboot");
    Node apiKeyEnv = keys.get("api_key_env");
    try {
      return new RunPodSettings(model, text(keys.get("model_name")), image, text(keys.get("endpoint")),
          RegistrySettingsReader.read(keys.get("registry"), directory), pools,
          gpuCount == null || gpuCount.isNull() ? 1 : gpuCount.integer(), min, max, idle, scaler, value,
          flashboot != null && !flashboot.isNull() && flashboot.bool(), timeout,
          apiKeyEnv == null || apiKeyEnv.isNull() ? RunPodSettings.DEFAULT_API_KEY_ENV : apiKeyEnv.string().strip(),
          env);
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
  }

  private static @Nullable String text(@Nullable Node node) {
    return node == null || node.isNull() ? null : node.string().strip();
  }
}
