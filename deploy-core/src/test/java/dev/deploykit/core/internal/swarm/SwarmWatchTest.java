package dev.deploykit.core.internal.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.core.internal.haproxy.ServerStat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the Swarm watch window counts as UP, and how it reports a release that turned unhealthy. */
class SwarmWatchTest {
  private static ServerStat server(String name, String status, String address) {
    return new ServerStat("app", name, status, 0, 0, address);
  }

  @Test
  void aServerOnItsWayDownIsNotUpThoughHaproxyStillRoutesToIt() {
    assertThat(SwarmWatch.fullyUp(server("a1", "UP", "10.0.1.5:8080"))).isTrue();
    assertThat(SwarmWatch.fullyUp(server("a1", "no check", "10.0.1.5:8080"))).isTrue();
    ServerStat goingDown = server("a1", "UP 1/2", "10.0.1.5:8080");
    assertThat(goingDown.live()).as("HAProxy still sends it requests").isTrue();
    assertThat(SwarmWatch.fullyUp(goingDown)).isFalse();
    assertThat(SwarmWatch.fullyUp(server("a1", "DOWN", "10.0.1.5:8080"))).isFalse();
    assertThat(SwarmWatch.fullyUp(server("a1", "DOWN 1/1", "10.0.1.5:8080"))).as("on its way up").isFalse();
  }

  @Test
  void theReportNamesEachServerThatIsNotUpWithItsAddress() {
    String report = SwarmWatch.unhealthy(List.of(server("a1", "UP", "10.0.1.5:8080"),
        server("a2", "UP 1/2", "10.0.1.6:8080"), server("a3", "DOWN", "")), 3);

    assertThat(report).startsWith("1 of 3 servers UP in the proxy")
        .contains("4 reads in a row")
        .contains("a2 UP 1/2 at 10.0.1.6:8080", "a3 DOWN)")
        .doesNotContain("a1");
  }
}
