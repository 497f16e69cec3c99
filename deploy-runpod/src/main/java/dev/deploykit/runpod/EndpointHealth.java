package dev.deploykit.runpod;

import java.util.Map;

/**
 * An endpoint's {@code /health}: jobs by state ({@code completed}, {@code failed},
 * {@code inProgress}, {@code inQueue}, {@code retried}) and workers by state ({@code idle},
 * {@code running}, {@code initializing}, {@code ready}, {@code throttled}, {@code unhealthy});
 * a key RunPod leaves out counts 0.
 */
public record EndpointHealth(Map<String, Long> jobs, Map<String, Long> workers) {
  public EndpointHealth {
    jobs = Map.copyOf(jobs);
    workers = Map.copyOf(workers);
  }

  public long jobs(String state) {
    return jobs.getOrDefault(state, 0L);
  }

  public long workers(String state) {
    return workers.getOrDefault(state, 0L);
  }

  /** Workers that take jobs: idle or running. */
  public long readyWorkers() {
    return workers("idle") + workers("running");
  }
}
