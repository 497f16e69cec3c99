package dev.deploykit.runpod.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * RunPod's queue protocol, as runpod-python's worker speaks it: take a job (long poll), forward
 * it to Ollama, post its result ({@code {"output": ...}} or {@code {"error": "..."}}, with
 * {@code isStream}); stream chunks to the stream URL; ping the platform every interval with the
 * job in hand; watch the stop channel and abort a cancelled job without posting a result. One
 * job at a time. {@link #drain()} (SIGTERM) stops taking jobs and lets the job in hand finish.
 */
final class QueueWorker {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TAKE_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration POST_TIMEOUT = Duration.ofSeconds(30);

  private final WorkerSettings settings;
  private final HttpClient http;
  private final OllamaForwarder ollama;
  private final AtomicReference<String> jobInHand = new AtomicReference<>("");
  private final AtomicReference<OllamaForwarder.Call> callInHand = new AtomicReference<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean draining;
  private volatile Thread loop;

  QueueWorker(WorkerSettings settings, HttpClient http) {
    this.settings = settings;
    this.http = http;
    // A client of its own: aborting a cancelled job's call must not touch the queue's connections.
    this.ollama = new OllamaForwarder(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
        settings.ollama(), settings.model(), Duration.ofMinutes(10));
  }

  /** Runs until {@link #drain()}; pings and watches the stop channel on daemon threads. */
  void run() throws InterruptedException {
    loop = Thread.currentThread();
    Thread.ofPlatform().daemon().name("runpod-ping").start(this::pings);
    if (settings.stopUrl() != null) {
      Thread.ofPlatform().daemon().name("runpod-stop").start(this::stops);
    }
    int failures = 0;
    try {
      while (!draining) {
        JsonNode job;
        try {
          job = take();
          failures = 0;
        } catch (IOException e) {
          if (draining) {
            break;
          }
          failures++;
          log("job take failed: " + e);
          // runpod-python loops at once; a short, growing pause spares a struggling server.
          Thread.sleep(Math.min(5000, 100L << Math.min(failures, 6)));
          continue;
        } catch (InterruptedException e) {
          if (draining) {
            break;
          }
          throw e;
        }
        if (job != null) {
          handle(job);
        }
      }
    } finally {
      stopped.countDown();
    }
  }

  /**
   * SIGTERM: take no further job, let the job in hand finish (its result is posted), then
   * return; an idle long poll is cut short.
   */
  void drain() {
    draining = true;
    Thread t = loop;
    if (t != null && jobInHand.get().isEmpty()) {
      t.interrupt();
    }
    try {
      if (!stopped.await(settings.drainTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        OllamaForwarder.Call call = callInHand.get();
        if (call != null) {
          call.cancel();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private JsonNode take() throws IOException, InterruptedException {
    HttpResponse<String> answer = http.send(authorized(settings.take(false))
        .timeout(TAKE_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
    int status = answer.statusCode();
    if (status == 204 || status == 400 || answer.body().isBlank()) {
      return null;
    }
    if (status == 429) {
      Thread.sleep(5000);
      return null;
    }
    if (status < 200 || status > 299) {
      throw new IOException("HTTP " + status);
    }
    JsonNode job = JSON.readTree(answer.body());
    if (job.isArray()) {
      job = job.isEmpty() ? null : job.get(0);
    }
    if (job == null) {
      return null;
    }
    if (!job.hasNonNull("id") || !job.has("input")) {
      log("job has missing field(s): id or input");
      return null;
    }
    return job;
  }

  private void handle(JsonNode job) throws InterruptedException {
    String id = job.get("id").asText();
    OllamaForwarder.Call call = new OllamaForwarder.Call();
    jobInHand.set(id);
    callInHand.set(call);
    long started = System.nanoTime();
    ObjectNode result = JSON.createObjectNode();
    boolean streamed = false;
    try {
      boolean[] anyChunk = {false};
      JsonNode output = ollama.serve(job.get("input"), chunk -> {
        anyChunk[0] = true;
        ObjectNode body = JSON.createObjectNode();
        body.set("output", chunk);
        post(settings.stream(id), id, body);
      }, call);
      streamed = anyChunk[0];
      result.set("output", output);
    } catch (OllamaForwarder.Cancelled e) {
      log("job " + id + " cancelled");
      return;
    } catch (OllamaForwarder.BadInput e) {
      result.put("error", e.getMessage());
    } catch (IOException e) {
      if (call.cancelled()) {
        log("job " + id + " cancelled");
        return;
      }
      result.put("error", e.getMessage());
    } finally {
      jobInHand.set("");
      callInHand.set(null);
    }
    post(settings.result(id, streamed), id, result);
    log("job " + id + (result.has("error") ? " failed: " + result.get("error").asText()
        : " done") + " in " + (System.nanoTime() - started) / 1_000_000 + " ms");
  }

  /** A result or chunk: up to three attempts, as runpod-python's FibonacciRetry. */
  private void post(String url, String jobId, JsonNode body) {
    String text;
    try {
      text = JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    for (int attempt = 1; attempt <= 3; attempt++) {
      try {
        HttpResponse<Void> answer = http.send(authorized(url).timeout(POST_TIMEOUT)
            .header("Content-Type", "application/json").header("X-Request-ID", jobId)
            .POST(HttpRequest.BodyPublishers.ofString(text)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (answer.statusCode() >= 200 && answer.statusCode() <= 299) {
          return;
        }
        log("posting for job " + jobId + " answered HTTP " + answer.statusCode());
      } catch (IOException e) {
        log("posting for job " + jobId + " failed: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      try {
        Thread.sleep(attempt * 500L);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void pings() {
    while (true) {
      try {
        http.send(authorized(settings.ping(jobInHand.get()))
            .timeout(settings.pingInterval().multipliedBy(2)).GET().build(),
            HttpResponse.BodyHandlers.discarding());
      } catch (IOException e) {
        log("ping failed: " + e.getMessage());
      } catch (InterruptedException e) {
        return;
      }
      try {
        Thread.sleep(settings.pingInterval());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void stops() {
    String url = settings.stopUrl();
    while (true) {
      try {
        HttpResponse<String> answer = http.send(authorized(url).timeout(TAKE_TIMEOUT).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 200 && !answer.body().isBlank()) {
          for (JsonNode id : JSON.readTree(answer.body()).path("jobsToStop")) {
            OllamaForwarder.Call call = callInHand.get();
            if (call != null && id.asText().equals(jobInHand.get())) {
              call.cancel();
            }
          }
        } else if (answer.statusCode() == 429) {
          Thread.sleep(5000);
        } else if (answer.statusCode() != 204) {
          Thread.sleep(1000);
        }
      } catch (HttpTimeoutException e) {
        // The long poll ended with nothing to stop.
      } catch (IOException e) {
        try {
          Thread.sleep(1000);
        } catch (InterruptedException ie) {
          return;
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private HttpRequest.Builder authorized(String url) {
    // runpod-python sends the key raw, without "Bearer".
    return HttpRequest.newBuilder(URI.create(url)).header("Authorization", settings.apiKey())
        .header("User-Agent", WorkerSettings.VERSION);
  }

  static void log(String message) {
    System.out.println("worker: " + message);
    System.out.flush();
  }
}
