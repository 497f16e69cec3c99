package dev.deploykit.runpod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.health.wait.FakeTimeSource;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EndpointClientTest {
  private MockWebServer server;
  private final FakeTimeSource time = new FakeTimeSource();

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void answer(String body) {
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
        .body(body).build());
  }

  @Test
  void runSyncThatAnswersInProgressPollsStatusEverySecondToTheEnd() throws Exception {
    answer("{\"id\":\"sync-1\",\"status\":\"IN_PROGRESS\"}");
    answer("{\"id\":\"sync-1\",\"status\":\"IN_PROGRESS\"}");
    answer("{\"id\":\"sync-1\",\"status\":\"COMPLETED\",\"output\":{\"response\":\"OK\"},\"delayTime\":12,"
        + "\"executionTime\":40,\"workerId\":\"w1\"}");
    try (EndpointClient client = EndpointClient.builder("ep1", "rpa_k").baseUrl(server.url("/").uri())
        .timeSource(time).build()) {
      JobStatus job = client.runSync(Map.of("prompt", "hi"), Duration.ofSeconds(30));
      assertThat(job.isCompleted()).isTrue();
      assertThat(job.output().path("response").asText()).isEqualTo("OK");
      assertThat(job.workerId()).isEqualTo("w1");
      assertThat(job.executionMillis()).isEqualTo(40);
    }
    RecordedRequest runsync = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(runsync.getUrl().encodedPath()).isEqualTo("/v2/ep1/runsync");
    assertThat(runsync.getUrl().queryParameter("wait")).isEqualTo("30000");
    assertThat(runsync.getBody().utf8()).isEqualTo("{\"input\":{\"prompt\":\"hi\"}}");
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getUrl().encodedPath()).isEqualTo("/v2/ep1/status/sync-1");
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
  }

  @Test
  void runSyncStopsPollingAtTheDeadlineWithTheLastStatus() {
    answer("{\"id\":\"sync-2\",\"status\":\"IN_QUEUE\"}");
    for (int i = 0; i < 5; i++) {
      answer("{\"id\":\"sync-2\",\"status\":\"IN_QUEUE\"}");
    }
    try (EndpointClient client = EndpointClient.builder("ep1", "rpa_k").baseUrl(server.url("/").uri())
        .timeSource(time).build()) {
      JobStatus job = client.runSync(Map.of("prompt", "hi"), Duration.ofSeconds(3));
      assertThat(job.status()).isEqualTo("IN_QUEUE");
      assertThat(job.isFinal()).isFalse();
    }
    assertThat(server.getRequestCount()).isEqualTo(4);
  }

  @Test
  void theKeyGoesAsBearerOrBareAndHealthCountsMissingKeysAsZero() throws Exception {
    answer("{\"jobs\":{\"completed\":1,\"inQueue\":2},\"workers\":{\"idle\":1,\"running\":1}}");
    answer("{\"id\":\"j\",\"status\":\"CANCELLED\"}");
    try (EndpointClient bearer = EndpointClient.builder("ep1", "rpa_k").baseUrl(server.url("/").uri()).build();
        EndpointClient bare = EndpointClient.builder("ep1", "rpa_k").baseUrl(server.url("/").uri()).bareKey().build()) {
      EndpointHealth health = bearer.health();
      assertThat(health.jobs("inQueue")).isEqualTo(2);
      assertThat(health.workers("unhealthy")).isZero();
      assertThat(health.readyWorkers()).isEqualTo(2);
      assertThat(bare.cancel("j").status()).isEqualTo("CANCELLED");
      assertThat(bare.toString()).doesNotContain("rpa_k");
    }
    assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer rpa_k");
    RecordedRequest cancel = server.takeRequest();
    assertThat(cancel.getHeaders().get("Authorization")).isEqualTo("rpa_k");
    assertThat(cancel.getMethod() + " " + cancel.getUrl().encodedPath()).isEqualTo("POST /v2/ep1/cancel/j");
  }
}
