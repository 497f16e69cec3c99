package dev.deploykit.core.internal.haproxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import dev.deploykit.core.internal.swarm.SwarmServices;
import dev.deploykit.core.internal.swarm.SwarmWatch;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The Swarm watch window against a Runtime API that behaves as HAProxy 3.0's: from a release's
 * first short read, the release before serves beside it (hedged), so that HAProxy taking the bad
 * release's servers out never leaves the backend without a server.
 */
class SwarmWatchHedgeTest {
  private static final Duration UP = Duration.ofSeconds(30);
  private static final Duration DRAIN = Duration.ofSeconds(10);
  private static final Duration WINDOW = Duration.ofSeconds(20);
  private static final List<String> OLD = List.of("10.0.1.5", "10.0.1.6");
  private static final List<String> NEW = List.of("10.0.1.7", "10.0.1.8");

  /** Swarm's side is not asked here but for the newest task error, which the watch may go without. */
  private static SwarmServices noSwarm(FakeSlotProxy proxy) {
    DockerClient none = (DockerClient) Proxy.newProxyInstance(DockerClient.class.getClassLoader(),
        new Class<?>[] {DockerClient.class}, (p, method, args) -> {
          throw new UnsupportedOperationException(method.getName());
        });
    return new SwarmServices(none, "no engine", proxy);
  }

  private static FakeSlotProxy releasedOnB() throws IOException {
    FakeSlotProxy proxy = new FakeSlotProxy("app", 2);
    proxy.dns.put("tasks.shop-app-r1", OLD);
    proxy.dns.put("tasks.shop-app-r2", NEW);
    proxy.healthy.addAll(OLD);
    proxy.healthy.addAll(NEW);
    proxy.serve("a", "tasks.shop-app-r1");
    new SlotGroupSwitch(proxy.api(), proxy).switchKeepingOld("app", "tasks.shop-app-r2", 2, UP, DRAIN);
    proxy.commands.clear();
    return proxy;
  }

  @Test
  void aReleaseThatTurnsUnhealthyHasTheReleaseBeforeServingBesideItFromTheFirstShortRead() throws Exception {
    try (FakeSlotProxy proxy = releasedOnB()) {
      SlotGroupSwitch swap = new SlotGroupSwitch(proxy.api(), proxy);
      proxy.eachSleep = n -> {
        if (n == 3) {
          proxy.healthy.removeAll(NEW);
        }
      };

      Optional<String> unhealthy = new SwarmWatch(swap, noSwarm(proxy), proxy)
          .watch("app", "b", Optional.of("a"), "shop-app-r2", 2, WINDOW);

      assertThat(unhealthy).hasValueSatisfying(why -> assertThat(why)
          .startsWith("0 of 2 servers UP in the proxy").contains("b1 DOWN at 10.0.1.7:8080"));
      // The first short read hedged the old group: it served from then on, while the watch
      // confirmed the release bad.
      assertThat(proxy.commands).containsSubsequence("set server app/a1 state ready", "set server app/a2 state ready");
      assertThat(proxy.commands).noneMatch(c -> c.endsWith("state drain"));
      assertThat(List.of(proxy.status("a1"), proxy.status("a2"))).containsExactly("UP", "UP");

      swap.fallBack("app", "a", "b", 2, UP, DRAIN);
      assertThat(swap.liveGroup("app")).contains("a");
      assertThat(List.of(proxy.status("b1"), proxy.status("b2"))).containsExactly("MAINT", "MAINT");
    }
  }

  @Test
  void aReleaseThatRecoversWithinTheReadsIsKeptAndTheReleaseBeforeIsDrainedAgain() throws Exception {
    try (FakeSlotProxy proxy = releasedOnB()) {
      SlotGroupSwitch swap = new SlotGroupSwitch(proxy.api(), proxy);
      proxy.eachSleep = n -> {
        if (n == 3) {
          proxy.healthy.remove("10.0.1.8");
        } else if (n == 5) {
          proxy.healthy.add("10.0.1.8");
        }
      };

      Optional<String> unhealthy = new SwarmWatch(swap, noSwarm(proxy), proxy)
          .watch("app", "b", Optional.of("a"), "shop-app-r2", 2, WINDOW);

      assertThat(unhealthy).isEmpty();
      assertThat(proxy.commands).containsSubsequence("set server app/a1 state ready", "set server app/a1 state drain");
      assertThat(List.of(proxy.status("a1"), proxy.status("a2"), proxy.status("b1"), proxy.status("b2")))
          .containsExactly("DRAIN", "DRAIN", "UP", "UP");
    }
  }

  @Test
  void aHealthyReleaseNeverGivesTheReleaseBeforeATraffic() throws Exception {
    try (FakeSlotProxy proxy = releasedOnB()) {
      SlotGroupSwitch swap = new SlotGroupSwitch(proxy.api(), proxy);

      Optional<String> unhealthy = new SwarmWatch(swap, noSwarm(proxy), proxy)
          .watch("app", "b", Optional.of("a"), "shop-app-r2", 2, WINDOW);

      assertThat(unhealthy).isEmpty();
      assertThat(proxy.commands).isEmpty();
    }
  }
}
