package dev.deploykit.it.support.runpod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One serverless endpoint of the fake: its configuration, job queue and workers (guarded by the fake). */
final class FakeEndpoint {
  final String id;
  final String createdAt;
  ObjectNode config;
  int version = 1;
  final Deque<Job> queue = new ArrayDeque<>();
  final Map<String, Job> jobs = new LinkedHashMap<>();
  final Map<String, Worker> workers = new LinkedHashMap<>();
  final List<Worker> gone = new ArrayList<>();
  long completed;
  long failed;
  long lastScaleUpNanos;
  long crashBackoffUntilNanos;
  String templateId;

  FakeEndpoint(String id, String createdAt, ObjectNode config) {
    this.id = id;
    this.createdAt = createdAt;
    this.config = config;
  }

  String name() {
    return config.path("name").asText();
  }

  String image() {
    return config.path("image").asText();
  }

  int min() {
    return config.path("workers").path("min").asInt(0);
  }

  int max() {
    return config.path("workers").path("max").asInt(3);
  }

  int idleTimeoutSeconds() {
    return config.path("workers").path("idleTimeout").asInt(5);
  }

  String scalerType() {
    return config.path("scaling").path("type").asText("QUEUE_DELAY");
  }

  double scalerValue() {
    JsonNode s = config.path("scaling");
    return s.has("queueDelay") ? s.get("queueDelay").asDouble() : s.path("requestCount").asDouble(1);
  }

  long inProgress() {
    return jobs.values().stream().filter(j -> j.status.equals("IN_PROGRESS")).count();
  }

  /** A job and what it went through. */
  static final class Job {
    final String id;
    final JsonNode input;
    final long createdNanos = System.nanoTime();
    String status = "IN_QUEUE";
    JsonNode output;
    String error;
    long startedNanos;
    long endedNanos;
    String workerId;
    final List<JsonNode> stream = new ArrayList<>();
    int streamRead;

    Job(String id, JsonNode input) {
      this.id = id;
      this.input = input;
    }

    boolean isFinal() {
      return List.of("COMPLETED", "FAILED", "CANCELLED", "TIMED_OUT").contains(status);
    }
  }

  /** A worker: one real container. */
  static final class Worker {
    final String id;
    final String key;
    final int version;
    final String image;
    final long startedNanos = System.nanoTime();
    String containerId;
    long lastPingNanos;
    String jobId;
    long idleSinceNanos = System.nanoTime();
    boolean stopping;
    boolean exited;
    String reason;
    List<String> lastLogs = List.of();
    final List<String> cancelled = new ArrayList<>();

    Worker(String id, String key, int version, String image) {
      this.id = id;
      this.key = key;
      this.version = version;
      this.image = image;
    }

    String status(long now, long pingIntervalNanos) {
      if (exited) {
        return "UNHEALTHY";
      }
      if (lastPingNanos == 0) {
        return "INITIALIZING";
      }
      if (now - lastPingNanos > 3 * pingIntervalNanos + 2_000_000_000L) {
        return "UNHEALTHY";
      }
      return jobId != null ? "RUNNING" : "IDLE";
    }
  }
}
