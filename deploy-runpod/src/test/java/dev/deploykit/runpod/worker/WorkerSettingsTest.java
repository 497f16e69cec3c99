package dev.deploykit.runpod.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerSettingsTest {
  @Test
  void theTemplatesAreSubstitutedAsRunpodPythonDoes() {
    WorkerSettings s = WorkerSettings.fromEnvironment(Map.of(
        "RUNPOD_WEBHOOK_GET_JOB", "http://h/v2/ep/job-take/$ID?gpu=SIM",
        "RUNPOD_WEBHOOK_POST_OUTPUT", "http://h/v2/ep/job-done/$RUNPOD_POD_ID/$ID?gpu=SIM",
        "RUNPOD_WEBHOOK_POST_STREAM", "http://h/v2/ep/job-stream/$RUNPOD_POD_ID/$ID?gpu=SIM",
        "RUNPOD_WEBHOOK_PING", "http://h/v2/ep/ping/$RUNPOD_POD_ID?gpu=SIM",
        "RUNPOD_POD_ID", "w1", "RUNPOD_AI_API_KEY", "k", "RUNPOD_PING_INTERVAL", "500",
        "DEPLOYKIT_MODEL", "tiny"));
    assertThat(s.take(false)).isEqualTo("http://h/v2/ep/job-take/w1?gpu=SIM&job_in_progress=0");
    assertThat(s.stopUrl()).isEqualTo("http://h/v2/ep/job-stop/w1?gpu=SIM");
    assertThat(s.result("j1", true)).isEqualTo("http://h/v2/ep/job-done/w1/j1?gpu=SIM&isStream=true");
    assertThat(s.stream("j1")).isEqualTo("http://h/v2/ep/job-stream/w1/j1?gpu=SIM&isStream=false");
    assertThat(s.ping("j1")).isEqualTo("http://h/v2/ep/ping/w1?gpu=SIM&job_id=j1&runpod_version="
        + WorkerSettings.VERSION);
    // Below a second runpod-python would spin: one second is the floor.
    assertThat(s.pingInterval().toMillis()).isEqualTo(1000);
    assertThat(s.toString()).doesNotContain("=k");
  }
}
