package dev.deploykit.runpod.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The worker against a queue and an Ollama on loopback: results, SIGTERM's drain, the stop channel. */
class QueueWorkerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private HttpServer server;
  private final List<String> jobs = new CopyOnWriteArrayList<>();
  private final List<JsonNode> results = new CopyOnWriteArrayList<>();
  private final List<String> resultUrls = new CopyOnWriteArrayList<>();
  private final AtomicInteger takes = new AtomicInteger();
  private final List<String> toStop = new CopyOnWriteArrayList<>();
  private final CountDownLatch generating = new CountDownLatch(1);
  private volatile long generateMillis = 600;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::serve);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void serve(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    byte[] body = ex.getRequestBody().readAllBytes();
    String answer = "";
    int status = 200;
    try {
      if (path.equals("/api/generate")) {
        generating.countDown();
        Thread.sleep(generateMillis);
        answer = "{\"model\":\"tiny\",\"response\":\"hi\",\"done\":true}";
      } else if (path.contains("/job-take/")) {
        takes.incrementAndGet();
        if (!jobs.isEmpty()) {
          answer = "{\"id\":\"" + jobs.removeFirst() + "\",\"input\":{\"prompt\":\"x\"}}";
        } else {
          Thread.sleep(200);
          status = 204;
        }
      } else if (path.contains("/job-done/")) {
        resultUrls.add(ex.getRequestURI().toString());
        results.add(JSON.readTree(new String(body, StandardCharsets.UTF_8)));
      } else if (path.contains("/job-stop/")) {
        Thread.sleep(100);
        if (!toStop.isEmpty()) {
          answer = "{\"jobsToStop\":[\"" + toStop.removeFirst() + "\"]}";
        } else {
          status = 204;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    byte[] out = answer.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, status == 204 || out.length == 0 ? -1 : out.length);
    if (out.length > 0 && status != 204) {
      ex.getResponseBody().write(out);
    }
    ex.close();
  }

  private QueueWorker worker() {
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    WorkerSettings settings = WorkerSettings.fromEnvironment(Map.of(
        "RUNPOD_WEBHOOK_GET_JOB", base + "/v2/ep/job-take/$ID?gpu=SIM",
        "RUNPOD_WEBHOOK_POST_OUTPUT", base + "/v2/ep/job-done/$RUNPOD_POD_ID/$ID?gpu=SIM",
        "RUNPOD_WEBHOOK_POST_STREAM", base + "/v2/ep/job-stream/$RUNPOD_POD_ID/$ID?gpu=SIM",
        "RUNPOD_WEBHOOK_PING", base + "/v2/ep/ping/$RUNPOD_POD_ID?gpu=SIM",
        "RUNPOD_POD_ID", "w1", "RUNPOD_AI_API_KEY", "k", "DEPLOYKIT_MODEL", "tiny",
        "DEPLOYKIT_OLLAMA_URL", base));
    return new QueueWorker(settings, HttpClient.newHttpClient());
  }

  /** Runs the worker's loop on a thread of its own until it drains. */
  private static Thread runInThread(QueueWorker worker) {
    return Thread.ofPlatform().start(() -> {
      try {
        worker.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  @Test
  void aDrainLetsTheJobInHandFinishAndTakesNoOther() throws Exception {
    jobs.add("j1");
    QueueWorker worker = worker();
    Thread loop = runInThread(worker);
    assertThat(generating.await(5, TimeUnit.SECONDS)).isTrue();
    jobs.add("j2");
    worker.drain();
    loop.join(5000);
    assertThat(loop.isAlive()).isFalse();
    assertThat(results).singleElement().satisfies(r ->
        assertThat(r.path("output").path("response").asText()).isEqualTo("hi"));
    assertThat(resultUrls.getFirst()).contains("/job-done/w1/j1").contains("isStream=false");
    assertThat(jobs).containsExactly("j2");
  }

  @Test
  void aJobOnTheStopChannelIsAbortedWithNoResult() throws Exception {
    generateMillis = 3000;
    jobs.add("j3");
    QueueWorker worker = worker();
    Thread loop = runInThread(worker);
    assertThat(generating.await(5, TimeUnit.SECONDS)).isTrue();
    toStop.add("j3");
    long t0 = System.nanoTime();
    while (takes.get() < 2 && System.nanoTime() - t0 < 2_500_000_000L) {
      Thread.sleep(20);
    }
    assertThat(takes.get()).as("the worker took again before the cancelled call would have ended").isGreaterThanOrEqualTo(2);
    worker.drain();
    loop.join(5000);
    assertThat(results).isEmpty();
  }
}
