package dev.deploykit.runpod;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A job as the invocation API reports it.
 *
 * @param id the job's id (opaque: {@code sync-...}, suffixes such as {@code -u1})
 * @param status {@code IN_QUEUE}, {@code IN_PROGRESS}, {@code COMPLETED}, {@code FAILED},
 *     {@code CANCELLED}, {@code TIMED_OUT}
 * @param output the worker's output, or null
 * @param error the worker's error, or null
 * @param delayMillis time in the queue, or -1
 * @param executionMillis time in the worker, or -1
 * @param workerId the worker that ran it, or null
 */
public record JobStatus(String id, String status, @Nullable JsonNode output, @Nullable String error,
    long delayMillis, long executionMillis, @Nullable String workerId) {
  private static final Set<String> FINAL = Set.of("COMPLETED", "FAILED", "CANCELLED", "TIMED_OUT");

  /** Whether the job has ended (completed, failed, cancelled, timed out). */
  public boolean isFinal() {
    return FINAL.contains(status);
  }

  /** Whether it completed. */
  public boolean isCompleted() {
    return status.equals("COMPLETED");
  }

  static JobStatus from(JsonNode body) {
    JsonNode error = body.path("error");
    return new JobStatus(body.path("id").asText(), body.path("status").asText("UNKNOWN"),
        body.has("output") && !body.get("output").isNull() ? body.get("output") : null,
        error.isMissingNode() || error.isNull() ? null : error.isTextual() ? error.asText() : error.toString(),
        body.path("delayTime").asLong(-1), body.path("executionTime").asLong(-1),
        body.path("workerId").isTextual() ? body.get("workerId").asText() : null);
  }
}
