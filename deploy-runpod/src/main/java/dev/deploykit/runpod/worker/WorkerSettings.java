package dev.deploykit.runpod.worker;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * What the platform tells a worker through its environment (runpod-python's names): the four
 * webhook templates, the worker's id, the key it sends raw as {@code Authorization}, the ping
 * interval; plus the local Ollama and the model the image baked in.
 *
 * <p>The templates are substituted as runpod-python does, with exact string replaces:
 * {@code $ID} in the take URL is the worker id; {@code $RUNPOD_POD_ID} in the result, stream and
 * ping URLs is the worker id, and {@code $ID} in the result and stream URLs is then the job id.
 */
record WorkerSettings(String takeUrl, String resultTemplate, String streamTemplate,
    String pingUrl, String workerId, String apiKey, Duration pingInterval, URI ollama,
    String model, Duration drainTimeout) {

  static final String VERSION = "deploykit-worker/1";

  static WorkerSettings fromEnvironment(Map<String, String> env) {
    String take = env.get("RUNPOD_WEBHOOK_GET_JOB");
    if (take == null || take.isBlank()) {
      throw new IllegalArgumentException("RUNPOD_WEBHOOK_GET_JOB is not set: this worker runs on"
          + " a RunPod serverless endpoint (or a server speaking its queue protocol)");
    }
    String id = env.getOrDefault("RUNPOD_POD_ID", UUID.randomUUID().toString());
    long pingMs = Long.parseLong(env.getOrDefault("RUNPOD_PING_INTERVAL", "10000"));
    String ollamaHost = env.getOrDefault("DEPLOYKIT_OLLAMA_URL", "http://127.0.0.1:11434");
    String model = env.getOrDefault("DEPLOYKIT_MODEL", "");
    if (model.isBlank()) {
      throw new IllegalArgumentException("DEPLOYKIT_MODEL is not set: the image names the model it"
          + " baked in");
    }
    return new WorkerSettings(
        take.replace("$ID", id),
        env.getOrDefault("RUNPOD_WEBHOOK_POST_OUTPUT", "").replace("$RUNPOD_POD_ID", id),
        env.getOrDefault("RUNPOD_WEBHOOK_POST_STREAM", "").replace("$RUNPOD_POD_ID", id),
        env.getOrDefault("RUNPOD_WEBHOOK_PING", "").replace("$RUNPOD_POD_ID", id),
        id,
        env.getOrDefault("RUNPOD_AI_API_KEY", ""),
        // runpod-python divides by 1000: below a second it would spin; one second is the floor.
        Duration.ofSeconds(Math.max(1, pingMs / 1000)),
        URI.create(ollamaHost.startsWith("http") ? ollamaHost : "http://" + ollamaHost),
        model,
        Duration.ofSeconds(Long.parseLong(env.getOrDefault("DEPLOYKIT_DRAIN_SECONDS", "600"))));
  }

  /** The take URL for this poll ({@code &job_in_progress=0|1}; the template carries a query). */
  String take(boolean jobInProgress) {
    return append(takeUrl, "job_in_progress=" + (jobInProgress ? 1 : 0));
  }

  /** The stop channel: the take URL with {@code /job-take/} as {@code /job-stop/}, or null. */
  String stopUrl() {
    return takeUrl.contains("/job-take/") ? takeUrl.replace("/job-take/", "/job-stop/") : null;
  }

  String result(String jobId, boolean isStream) {
    return append(resultTemplate.replace("$ID", jobId), "isStream=" + isStream);
  }

  String stream(String jobId) {
    return append(streamTemplate.replace("$ID", jobId), "isStream=false");
  }

  String ping(String jobIds) {
    String url = jobIds.isEmpty() ? pingUrl : append(pingUrl, "job_id=" + jobIds);
    return append(url, "runpod_version=" + VERSION);
  }

  static String append(String url, String parameter) {
    return url + (url.contains("?") ? "&" : "?") + parameter;
  }

  @Override
  public String toString() {
    return "WorkerSettings[" + workerId + ", take " + takeUrl + ", apiKey=***]";
  }
}
