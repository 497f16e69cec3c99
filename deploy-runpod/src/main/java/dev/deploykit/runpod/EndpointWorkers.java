package dev.deploykit.runpod;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An endpoint's workers now: each one's state, and the count by state ({@code running},
 * {@code idle}, {@code initializing}, {@code throttled}, {@code unhealthy}, {@code total}).
 *
 * @param endpointVersion the endpoint's configuration version, or null
 * @param summary the count by state
 * @param workers the workers
 */
public record EndpointWorkers(@Nullable Integer endpointVersion, Map<String, Integer> summary,
    List<Worker> workers) {
  public EndpointWorkers {
    summary = Map.copyOf(summary);
    workers = List.copyOf(workers);
  }

  /** Ready workers: idle or running. */
  public int ready() {
    return summary.getOrDefault("idle", 0) + summary.getOrDefault("running", 0);
  }

  /** {@code 1 idle, 2 initializing}, or {@code none}. */
  public String describe() {
    StringBuilder text = new StringBuilder();
    for (String state : List.of("running", "idle", "initializing", "throttled", "unhealthy")) {
      int n = summary.getOrDefault(state, 0);
      if (n > 0) {
        text.append(text.isEmpty() ? "" : ", ").append(n).append(' ').append(state);
      }
    }
    return text.isEmpty() ? "no workers" : text.toString();
  }

  /**
   * One worker.
   *
   * @param id its id
   * @param status {@code RUNNING}, {@code IDLE}, {@code INITIALIZING}, {@code THROTTLED}, {@code UNHEALTHY}
   * @param stale whether it runs an older configuration than the endpoint's
   * @param image its image, or null
   */
  public record Worker(String id, String status, boolean stale, @Nullable String image) {}
}
