package dev.deploykit.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.it.support.DockerRequired;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.DockerClientFactory;

/**
 * The README's main job, end to end: {@code deploykit demo} builds or reuses the images, deploys
 * the sample stack, updates it under load with zero failed requests, rolls a broken release back,
 * and {@code demo --down} removes everything it made.
 */
@ExtendWith(DockerRequired.class)
@Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
class CliDemoIT {

  @AfterEach
  void down() throws Exception {
    Cli.run(Duration.ofMinutes(2), "demo", "--down");
  }

  @Test
  void demoUpdatesUnderLoadWithZeroFailuresRollsBackTheBrokenReleaseAndTearsDown() throws Exception {
    int port = Cli.freePort();
    Cli.Result demo = Cli.run(Duration.ofMinutes(12), Map.of(), "demo", "--port", Integer.toString(port));
    assertThat(demo.exitCode()).as(demo.toString()).isZero();
    Matcher counts = Pattern.compile("requests: (\\d+) served, (\\d+) failed").matcher(demo.out());
    assertThat(counts.find()).as(demo.toString()).isTrue();
    assertThat(Long.parseLong(counts.group(1))).isPositive();
    assertThat(counts.group(2)).isEqualTo("0");
    assertThat(demo.out()).contains("v1 deployed", "v2 deployed with zero downtime", "v3 rolled back",
        "unhealthy in the watch window", "traffic back on release", "overall: UP",
        "demo --down", "demo wall time");
    assertThat(demo.out()).doesNotContain("sample-secret");

    Cli.Result down = Cli.run(Duration.ofMinutes(2), "demo", "--down");
    assertThat(down.exitCode()).as(down.toString()).isZero();
    assertThat(DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of("dev.deploykit.stack", "deploykit-sample")).exec()).isEmpty();
  }
}
