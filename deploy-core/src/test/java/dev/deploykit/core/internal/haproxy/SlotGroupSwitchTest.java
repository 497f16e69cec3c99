package dev.deploykit.core.internal.haproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.core.DeployException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Switching a backend between slot groups, against a Runtime API that behaves as HAProxy 3.0's. */
class SlotGroupSwitchTest {
  private static final Duration UP = Duration.ofSeconds(30);
  private static final Duration DRAIN = Duration.ofSeconds(10);

  @Test
  void aFirstReleaseFillsGroupAWithOneServerPerTask() throws IOException {
    try (FakeSlotProxy proxy = new FakeSlotProxy("app", 3)) {
      proxy.dns.put("tasks.shop-app-r1", List.of("10.0.1.5", "10.0.1.6"));
      proxy.healthy.addAll(List.of("10.0.1.5", "10.0.1.6"));

      SlotGroupSwitch.Result r = new SlotGroupSwitch(proxy.api(), proxy).switchTo("app", "tasks.shop-app-r1", 2, UP, DRAIN);

      assertThat(r.liveGroup()).isEqualTo("a");
      assertThat(r.drainedGroup()).isEmpty();
      assertThat(r.unchanged()).isFalse();
      assertThat(proxy.status("a1")).isEqualTo("UP");
      assertThat(proxy.status("a2")).isEqualTo("UP");
      // The third server finds no address of its own: HAProxy keeps it out until a task appears.
      assertThat(proxy.status("a3")).isEqualTo("MAINT (resolution)");
      assertThat(proxy.slots.get("a1").address).isNotEqualTo(proxy.slots.get("a2").address);
      assertThat(proxy.status("b1")).isEqualTo("MAINT");
    }
  }

  @Test
  void theNextReleaseTakesTheIdleGroupAndTheLiveOneDrainsIntoMaintenance() throws IOException {
    try (FakeSlotProxy proxy = new FakeSlotProxy("app", 2)) {
      proxy.dns.put("tasks.shop-app-r1", List.of("10.0.1.5", "10.0.1.6"));
      proxy.dns.put("tasks.shop-app-r2", List.of("10.0.1.7", "10.0.1.8"));
      proxy.healthy.addAll(List.of("10.0.1.5", "10.0.1.6", "10.0.1.7", "10.0.1.8"));
      proxy.serve("a", "tasks.shop-app-r1");
      proxy.slots.get("a1").sessions = 3;

      SlotGroupSwitch.Result r = new SlotGroupSwitch(proxy.api(), proxy).switchTo("app", "tasks.shop-app-r2", 2, UP, DRAIN);

      assertThat(r.liveGroup()).isEqualTo("b");
      assertThat(r.drainedGroup()).contains("a");
      assertThat(r.leftSessions()).isZero();
      assertThat(r.drainTime()).isPositive();
      assertThat(List.of(proxy.status("a1"), proxy.status("a2"), proxy.status("b1"), proxy.status("b2")))
          .containsExactly("MAINT", "MAINT", "UP", "UP");
      // The old group drains only after the new one serves: no moment without a server.
      List<String> cmds = proxy.commands;
      assertThat(cmds.indexOf("set server app/a1 state drain")).isGreaterThan(cmds.indexOf("set server app/b2 state ready"));
      // Each new server is forced down before it is made ready: only a passing check brings it UP.
      assertThat(cmds.subList(cmds.indexOf("set server app/b1 fqdn tasks.shop-app-r2"), cmds.indexOf("set server app/b1 fqdn tasks.shop-app-r2") + 3))
          .containsExactly("set server app/b1 fqdn tasks.shop-app-r2", "set server app/b1 health down", "set server app/b1 state ready");
    }
  }

  /** Release r1 served by group a; release r2's two tasks healthy, not yet switched to. */
  private static FakeSlotProxy r1OnAAndR2Healthy() throws IOException {
    FakeSlotProxy proxy = new FakeSlotProxy("app", 2);
    proxy.dns.put("tasks.shop-app-r1", List.of("10.0.1.5", "10.0.1.6"));
    proxy.dns.put("tasks.shop-app-r2", List.of("10.0.1.7", "10.0.1.8"));
    proxy.healthy.addAll(List.of("10.0.1.5", "10.0.1.6", "10.0.1.7", "10.0.1.8"));
    proxy.serve("a", "tasks.shop-app-r1");
    return proxy;
  }

  @Test
  void aSwitchThatKeepsTheOldGroupLeavesItDrainedAndCheckedAndAFallBackGivesItTheTrafficAsItIs()
      throws IOException {
    try (FakeSlotProxy proxy = r1OnAAndR2Healthy()) {
      SlotGroupSwitch swap = new SlotGroupSwitch(proxy.api(), proxy);

      SlotGroupSwitch.Result r = swap.switchKeepingOld("app", "tasks.shop-app-r2", 2, UP, DRAIN);

      assertThat(r.drainedGroup()).contains("a");
      assertThat(List.of(proxy.status("a1"), proxy.status("a2"), proxy.status("b1"), proxy.status("b2")))
          .containsExactly("DRAIN", "DRAIN", "UP", "UP");
      assertThat(swap.liveGroup("app")).contains("b");

      proxy.commands.clear();
      SlotGroupSwitch.Result back = swap.fallBack("app", "a", "b", 2, UP, DRAIN);

      assertThat(back.liveGroup()).isEqualTo("a");
      assertThat(back.drainedGroup()).contains("b");
      assertThat(List.of(proxy.status("a1"), proxy.status("a2"), proxy.status("b1"), proxy.status("b2")))
          .containsExactly("UP", "UP", "MAINT", "MAINT");
      // Nothing re-resolved or forced down: the old release's servers serve as they were checked.
      assertThat(proxy.commands).noneMatch(c -> c.contains(" fqdn ") || c.contains(" health "));
      assertThat(proxy.commands.indexOf("set server app/b1 state drain"))
          .isGreaterThan(proxy.commands.indexOf("set server app/a2 state ready"));
      assertThat(proxy.slots.get("a1").fqdn).isEqualTo("tasks.shop-app-r1");
    }
  }

  @Test
  void aHedgedGroupServesBesideTheLiveOneUntilItIsDrainedAgain() throws IOException {
    try (FakeSlotProxy proxy = r1OnAAndR2Healthy()) {
      SlotGroupSwitch swap = new SlotGroupSwitch(proxy.api(), proxy);
      swap.switchKeepingOld("app", "tasks.shop-app-r2", 2, UP, DRAIN);

      assertThat(swap.hedge("app", "a")).isEqualTo(2);
      assertThat(swap.serving("app")).filteredOn(ServerStat::live).extracting(ServerStat::server)
          .containsExactlyInAnyOrder("a1", "a2", "b1", "b2");

      swap.unhedge("app", "a");
      assertThat(List.of(proxy.status("a1"), proxy.status("a2"))).containsExactly("DRAIN", "DRAIN");
      assertThat(swap.serving("app", "b")).extracting(ServerStat::server).containsExactly("b1", "b2");
    }
  }

  @Test
  void aFallBackToAGroupWhoseServersAreDownIsRefusedAndTheReleaseServesOn() throws IOException {
    try (FakeSlotProxy proxy = r1OnAAndR2Healthy()) {
      SlotGroupSwitch swap = new SlotGroupSwitch(proxy.api(), proxy);
      swap.switchKeepingOld("app", "tasks.shop-app-r2", 2, UP, DRAIN);
      proxy.healthy.removeAll(List.of("10.0.1.5", "10.0.1.6"));

      assertThatThrownBy(() -> swap.fallBack("app", "a", "b", 2, UP, DRAIN))
          .isInstanceOf(DeployException.class)
          .hasMessage("HAProxy found 0 of 2 servers of app group a UP within 30000 ms: the release before cannot"
              + " take the traffic back; the new release still serves");
      assertThat(List.of(proxy.status("b1"), proxy.status("b2"))).containsExactly("UP", "UP");
      assertThat(proxy.slots.get("a1").state).isEqualTo("drain");
    }
  }

  @Test
  void switchingToTheServedReleaseAgainChangesNothing() throws IOException {
    try (FakeSlotProxy proxy = new FakeSlotProxy("app", 2)) {
      proxy.dns.put("tasks.shop-app-r1", List.of("10.0.1.5", "10.0.1.6"));
      proxy.healthy.addAll(List.of("10.0.1.5", "10.0.1.6"));
      proxy.serve("a", "tasks.shop-app-r1");

      SlotGroupSwitch.Result r = new SlotGroupSwitch(proxy.api(), proxy).switchTo("app", "tasks.shop-app-r1", 2, UP, DRAIN);

      assertThat(r.unchanged()).isTrue();
      assertThat(proxy.commands).isEmpty();
    }
  }

  @Test
  void aReleaseWhoseTasksFailHaproxysCheckIsNotSwitchedTo() throws IOException {
    try (FakeSlotProxy proxy = new FakeSlotProxy("app", 2)) {
      proxy.dns.put("tasks.shop-app-r1", List.of("10.0.1.5", "10.0.1.6"));
      proxy.dns.put("tasks.shop-app-r2", List.of("10.0.1.7", "10.0.1.8"));
      proxy.healthy.addAll(List.of("10.0.1.5", "10.0.1.6", "10.0.1.7"));
      proxy.serve("a", "tasks.shop-app-r1");
      SlotGroupSwitch swap = new SlotGroupSwitch(proxy.api(), proxy);

      assertThatThrownBy(() -> swap.switchTo("app", "tasks.shop-app-r2", 2, UP, DRAIN))
          .isInstanceOf(DeployException.class)
          .hasMessage("HAProxy found 1 of 2 servers of app UP at tasks.shop-app-r2 within 30000 ms: the new"
              + " release's tasks do not pass HAProxy's check; nothing was switched");
      assertThat(List.of(proxy.status("a1"), proxy.status("a2"), proxy.status("b1"), proxy.status("b2")))
          .containsExactly("UP", "UP", "MAINT", "MAINT");
      assertThat(swap.liveGroup("app")).contains("a");
    }
  }

  @Test
  void aServerOfTheOldGroupWithoutAnAddressStaysOutWhenTheOldReleaseGainsATask() throws IOException {
    try (FakeSlotProxy proxy = new FakeSlotProxy("app", 3)) {
      proxy.dns.put("tasks.shop-app-r1", List.of("10.0.1.5", "10.0.1.6"));
      proxy.dns.put("tasks.shop-app-r2", List.of("10.0.1.7", "10.0.1.8"));
      proxy.healthy.addAll(List.of("10.0.1.5", "10.0.1.6", "10.0.1.7", "10.0.1.8", "10.0.1.9"));
      SlotGroupSwitch proxySwitch = new SlotGroupSwitch(proxy.api(), proxy);
      proxySwitch.switchTo("app", "tasks.shop-app-r1", 2, UP, DRAIN);
      assertThat(proxy.status("a3")).isEqualTo("MAINT (resolution)");

      proxySwitch.switchTo("app", "tasks.shop-app-r2", 2, UP, DRAIN);
      // Swarm starts a task of the old release (a drain's replacement): its address must not serve.
      proxy.dns.put("tasks.shop-app-r1", List.of("10.0.1.5", "10.0.1.6", "10.0.1.9"));

      assertThat(List.of(proxy.status("a1"), proxy.status("a2"), proxy.status("a3")))
          .containsExactly("MAINT", "MAINT", "MAINT");
      assertThat(proxySwitch.serving("app")).extracting(ServerStat::server).containsExactlyInAnyOrder("b1", "b2");
    }
  }

  @Test
  void theResolverFollowsTasksThatSwarmReschedules() throws IOException {
    try (FakeSlotProxy proxy = new FakeSlotProxy("app", 3)) {
      proxy.dns.put("tasks.shop-app-r1", List.of("10.0.1.5", "10.0.1.6"));
      proxy.healthy.addAll(List.of("10.0.1.5", "10.0.1.6", "10.0.1.9"));
      new SlotGroupSwitch(proxy.api(), proxy).switchTo("app", "tasks.shop-app-r1", 2, UP, DRAIN);

      // A node is lost: its task 10.0.1.6 goes, Swarm starts 10.0.1.9 elsewhere.
      proxy.dns.put("tasks.shop-app-r1", List.of("10.0.1.5", "10.0.1.9"));

      assertThat(List.of(proxy.status("a1"), proxy.status("a2"), proxy.status("a3")))
          .containsExactly("UP", "UP", "MAINT (resolution)");
      assertThat(proxy.slots.get("a1").address).isEqualTo("10.0.1.5");
      assertThat(proxy.slots.get("a2").address).isEqualTo("10.0.1.9");
    }
  }

  @Test
  void moreReplicasThanTheGroupHoldsAreRefused() throws IOException {
    try (FakeSlotProxy proxy = new FakeSlotProxy("app", 2)) {
      assertThatThrownBy(() -> new SlotGroupSwitch(proxy.api(), proxy).switchTo("app", "tasks.x", 3, UP, DRAIN))
          .isInstanceOf(DeployException.class)
          .hasMessageStartingWith("HAProxy backend app has 2 servers in group a but the release has 3 replicas");
    }
  }
}
