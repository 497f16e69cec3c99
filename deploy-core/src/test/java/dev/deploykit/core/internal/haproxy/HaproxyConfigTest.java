package dev.deploykit.core.internal.haproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The proxy's configuration: two slots per backend on one host, two slot groups on a cluster. */
class HaproxyConfigTest {
  @Test
  void oneHostBackendsHaveTwoDisabledSlots() {
    String cfg = HaproxyConfig.render(List.of(new HaproxyConfig.Frontend("app", 8080)), Duration.ofSeconds(30));
    assertThat(cfg).contains("stats socket ipv4@0.0.0.0:9999 level admin", "timeout server 30000ms",
        "frontend app\n  bind :8080\n  default_backend app",
        "  server a 127.0.0.1:1 disabled\n  server b 127.0.0.1:1 disabled\n").doesNotContain("resolvers");
  }

  @Test
  void swarmBackendsHaveTwoGroupsOfCheckedServersResolvedByDockersDns() {
    String cfg = HaproxyConfig.renderSlotGroups(List.of(
        new HaproxyConfig.SlotGroups(new HaproxyConfig.Frontend("app", 8080), "/up", 8080, 3)), Duration.ofSeconds(30));

    assertThat(cfg).contains("stats socket ipv4@0.0.0.0:9999 level admin", "timeout server 30000ms",
        "resolvers docker\n  nameserver dns 127.0.0.11:53\n", "hold valid 1s",
        "backend app\n  balance roundrobin\n  option httpchk GET /up\n"
            + "  default-server check inter 1s fall 2 rise 1 resolvers docker init-addr none resolve-prefer ipv4 disabled\n"
            + "  server a1 127.0.0.1:8080\n  server a2 127.0.0.1:8080\n  server a3 127.0.0.1:8080\n"
            + "  server b1 127.0.0.1:8080\n  server b2 127.0.0.1:8080\n  server b3 127.0.0.1:8080\n\n");
  }

  @Test
  void slotGroupsAreValidated() {
    HaproxyConfig.Frontend app = new HaproxyConfig.Frontend("app", 8080);
    assertThatThrownBy(() -> new HaproxyConfig.SlotGroups(app, "up", 8080, 2))
        .hasMessage("health path must start with / and hold no space, was up");
    assertThatThrownBy(() -> new HaproxyConfig.SlotGroups(app, "/up", 8080, 33)).hasMessage("slots must be 1-32, was 33");
    assertThat(new HaproxyConfig.SlotGroups(app, "/up", 8080, 2).servers("b")).containsExactly("b1", "b2");
  }
}
