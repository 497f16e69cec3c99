package dev.deploykit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.core.internal.state.StackLock;
import dev.deploykit.core.testing.LockContainers;
import dev.deploykit.core.testing.SimulatedCrash;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stack's lock: a live owner is never overridden; an owner that is provably gone (its lease
 * expired, or its process on this machine no longer exists) is taken over, said and audited.
 */
class LockTest {
  private static final Duration PAST_THE_LEASE = StackLock.LEASE.multipliedBy(2).plusSeconds(1);
  private final Harness h = new Harness().images("app:v1", "app:v2");
  private final Stack stack = Stacks.of(Stacks.web("app:v1"));

  @AfterEach
  void close() {
    h.close();
  }

  /** A run of alice's that died holding the lock (its process is gone after recover). */
  private void deadRunHoldsTheLock() {
    h.fake.crashAfter(DeployEvent.LockTaken.class);
    assertThatThrownBy(() -> h.deploy(stack, "dead")).isInstanceOf(SimulatedCrash.class);
    h.fake.recover();
  }

  @Test
  void aDeployTakesTheLockForItsRunAndFreesIt() throws Exception {
    h.deployed(stack, "v1");

    DeployEvent.LockTaken taken = h.fake.events(DeployEvent.LockTaken.class).getFirst();
    assertThat(taken.lock().owner()).isEqualTo(Harness.OWNER);
    assertThat(taken.lock().operation()).isEqualTo("deploy");
    assertThat(taken.lock().pid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(h.fake.events()).last().isInstanceOf(DeployEvent.LockReleased.class);
    assertThat(h.deployer().lock(Stacks.NAME)).isEmpty();
  }

  @Test
  void aLockHeldByALiveRunIsReportedNamingItsOwnerAndNothingChanges() throws Exception {
    try (HeldLock bob = h.deployer("bob@ci-7").acquireLock(Stacks.NAME, "maintenance")) {
      assertThatThrownBy(() -> h.deploy(stack, "v1")).isInstanceOfSatisfying(LockHeldException.class, e -> {
        assertThat(e.holder().owner()).isEqualTo("bob@ci-7");
        assertThat(e.holder().operation()).isEqualTo("maintenance");
        assertThat(e.ownerGone()).isFalse();
        assertThat(e.getMessage()).contains("bob@ci-7").contains("Wait for it to finish");
      });
      assertThat(h.fake.journal()).noneMatch(call -> call.startsWith("create shop-web"));
      assertThat(h.deployer().lock(Stacks.NAME)).contains(bob.info());
    }
  }

  @Test
  void aLiveOwnerOnThisMachineIsNeverOverriddenHoweverLongItHolds() {
    try (HeldLock bob = h.deployer("bob@ci-7").acquireLock(Stacks.NAME, "maintenance")) {
      h.time.advance(Duration.ofMinutes(10));
      assertThatThrownBy(() -> h.deploy(stack, "v1")).isInstanceOf(LockHeldException.class);
      assertThat(h.deployer().lock(Stacks.NAME)).contains(bob.info());
    }
  }

  @Test
  void aLiveOwnerOnThisMachineIsHeldWhenTheWallClockWasSteppedSinceItStarted() {
    try (HeldLock bob = h.deployer("bob@ci-7").acquireLock(Stacks.NAME, "maintenance")) {
      LockContainers.startSeenAfterAClockStep(h.fake, Stacks.NAME, Duration.ofSeconds(7));

      assertThatThrownBy(() -> h.deploy(stack, "v1")).isInstanceOfSatisfying(LockHeldException.class,
          e -> assertThat(e.ownerGone()).isFalse());
      assertThat(h.deployer().lock(Stacks.NAME)).contains(bob.info());
    }
  }

  @Test
  void aLockNamingALivePidThatStartedAtAnotherTickIsTakenOver() throws Exception {
    HeldLock bob = h.deployer("bob@ci-7").acquireLock(Stacks.NAME, "maintenance");
    LockContainers.pidReusedSince(h.fake, Stacks.NAME);
    h.fake.forgetEvents();

    h.deployed(stack, "v1");

    assertThat(h.fake.events(DeployEvent.LockTakenOver.class)).singleElement().satisfies(t -> {
      assertThat(t.previous().owner()).isEqualTo("bob@ci-7");
      assertThat(t.why()).contains("no longer exists");
    });
    bob.close();
    assertThat(h.deployer().lock(Stacks.NAME)).isEmpty();
  }

  @Test
  void aLockWhoseLeaseExpiredOnAnotherMachineIsTakenOverSaidAndAudited() throws Exception {
    deadRunHoldsTheLock();
    LockContainers.heldOnAnotherMachine(h.fake, Stacks.NAME, "ci-7");
    h.time.advance(PAST_THE_LEASE);
    h.fake.forgetEvents();

    h.deployed(stack, "v1");

    assertThat(h.fake.events(DeployEvent.LockTakenOver.class)).singleElement().satisfies(t -> {
      assertThat(t.previous().host()).isEqualTo("ci-7");
      assertThat(t.why()).contains("has not renewed its 30 s lease");
    });
    assertThat(h.deployer().auditLog(Stacks.NAME)).anySatisfy(line ->
        assertThat(line).contains("lock taken over by " + Harness.OWNER).contains("lease"));
  }

  @Test
  void aLockOfAnotherMachineWithinItsLeaseIsHeld() {
    deadRunHoldsTheLock();
    LockContainers.heldOnAnotherMachine(h.fake, Stacks.NAME, "ci-7");
    h.time.advance(StackLock.LEASE.multipliedBy(2).minusSeconds(1));

    assertThatThrownBy(() -> h.deploy(stack, "v1")).isInstanceOfSatisfying(LockHeldException.class,
        e -> assertThat(e.holder().host()).isEqualTo("ci-7"));
  }

  @Test
  void aLockOfADeadProcessOnThisMachineIsTakenOverAtOnce() throws Exception {
    deadRunHoldsTheLock();
    h.fake.forgetEvents();

    h.deployed(stack, "v1");

    assertThat(h.fake.events(DeployEvent.LockTakenOver.class)).singleElement()
        .satisfies(t -> assertThat(t.why()).contains("no longer exists"));
    assertThat(h.fake.events()).extracting(e -> e.getClass().getSimpleName())
        .startsWith("LockTaken", "LockTakenOver");
  }

  @Test
  void aHolderWhoseLockWasBrokenCannotFreeTheLockOfTheRunThatTookIt() {
    HeldLock bob = h.deployer("bob@ci-7").acquireLock(Stacks.NAME, "maintenance");
    h.deployer().forceUnlock(Stacks.NAME);
    try (HeldLock alice = h.deployer().acquireLock(Stacks.NAME, "migration")) {
      bob.close();
      assertThat(h.deployer().lock(Stacks.NAME)).contains(alice.info());
    }
    assertThat(h.deployer().lock(Stacks.NAME)).isEmpty();
  }

  @Test
  void downRefusesWhileALiveRunHoldsTheLockAndTearsTheStackDownOnceItIsFree() throws Exception {
    h.deployed(stack, "v1");
    try (HeldLock bob = h.deployer("bob@ci-7").acquireLock(Stacks.NAME, "deploy")) {
      assertThatThrownBy(() -> h.deployer().down(Stacks.NAME, true)).isInstanceOfSatisfying(
          LockHeldException.class, e -> assertThat(e.holder()).isEqualTo(bob.info()));
      assertThat(h.served()).isPresent();
    }
    h.deployer().down(Stacks.NAME, true);

    assertThat(h.fake.containers()).isEmpty();
    assertThat(h.fake.volumes()).isEmpty();
    assertThat(h.deployer().history(Stacks.NAME).isEmpty()).isTrue();
  }

  @Test
  void downOfAStackTheHostNeverSawDoesNothing() {
    h.deployer().down("blog", true);

    assertThat(h.fake.containers()).isEmpty();
  }

  @Test
  void aLockTakenOverForWorkOfTheCallersOwnIsAudited() throws Exception {
    h.deployed(stack, "v1");
    deadRunHoldsTheLock();

    try (HeldLock mine = h.deployer().acquireLock(Stacks.NAME, "migration")) {
      assertThat(mine.info().operation()).isEqualTo("migration");
    }
    assertThat(h.deployer().auditLog(Stacks.NAME)).last().asString()
        .contains("lock taken over by " + Harness.OWNER + " for migration").contains("no longer exists");
  }

  @Test
  void aRollbackTakesTheLockToo() throws Exception {
    h.deployed(stack, "v1");
    h.deployed(Stacks.of(Stacks.web("app:v2")), "v2");
    try (HeldLock bob = h.deployer("bob@ci-7").acquireLock(Stacks.NAME, "maintenance")) {
      assertThatThrownBy(() -> h.deployer().rollback(Stacks.NAME)).isInstanceOfSatisfying(LockHeldException.class,
          e -> assertThat(e.holder()).isEqualTo(bob.info()));
    }
    assertThat(h.deployer().rollback(Stacks.NAME).release().rollbackOf())
        .isEqualTo(h.history().releases().getFirst().id());
  }
}
