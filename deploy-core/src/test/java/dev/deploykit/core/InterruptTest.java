package dev.deploykit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An interrupt (Ctrl-C) at any wait ends the run as interrupted, never as failed: the lock is
 * freed, the release is recorded as interrupted, and the next run converges.
 */
class InterruptTest {
  private final Harness h = new Harness().images("app:v1", "app:v2", "worker:v1", "worker:v2", "postgres:18.1");
  private String v1;

  @BeforeEach
  void firstRelease() throws Exception {
    v1 = h.deployed(Stacks.full("v1"), "v1").release().id();
  }

  @AfterEach
  void close() {
    h.close();
  }

  private Release interruptedRelease() {
    Release last = h.history().releases().getLast();
    assertThat(last.outcome()).isEqualTo(Release.Outcome.INTERRUPTED);
    assertThat(last.message()).startsWith("interrupted");
    return last;
  }

  private void rerunConverges() throws InterruptedException {
    String rerun = h.deployed(Stacks.full("v2"), "rerun").release().id();
    assertThat(h.served()).contains(h.webOf(rerun));
    assertThat(h.running("web")).extracting(c -> c.name()).containsExactly(h.webOf(rerun));
    assertThat(h.running("worker")).hasSize(2).allSatisfy(w -> assertThat(w.isOfRelease(rerun)).isTrue());
  }

  @Test
  void anInterruptDuringTheWebGateEndsTheRunAsInterruptedWithTheOldReleaseServing() throws Exception {
    h.fake.whenCreated("app:v2").probe("/up").failsUntil(Duration.ofSeconds(3));
    h.fake.interruptDuringGate();

    assertThatThrownBy(() -> h.deploy(Stacks.full("v2"), "v2")).isInstanceOf(InterruptedException.class);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
    assertThat(h.deployer().lock(Stacks.NAME)).isEmpty();
    interruptedRelease();
    assertThat(h.served()).contains(h.webOf(v1));
    assertThat(h.fake.events()).last().isInstanceOf(DeployEvent.LockReleased.class);
    rerunConverges();
  }

  @Test
  void anInterruptDuringTheDrainEndsTheRunAsInterruptedAndTheRerunConverges() throws Exception {
    h.fake.drainTakes(Duration.ofSeconds(10), 3);
    h.fake.interruptDuringDrain();

    assertThatThrownBy(() -> h.deploy(Stacks.full("v2"), "v2")).isInstanceOf(InterruptedException.class);
    assertThat(h.deployer().lock(Stacks.NAME)).isEmpty();
    interruptedRelease();
    assertThat(h.fake.proxy(Stacks.NAME).servedAddresses("web")).hasSize(1);
    rerunConverges();
  }

  @Test
  void anInterruptDuringAWorkerGateEndsTheRunAsInterruptedAndTheRerunConverges() throws Exception {
    h.fake.interruptWhenSleeping(() -> h.fake.events().getLast() instanceof DeployEvent.ContainerStarted s
        && s.service().equals("worker"));

    assertThatThrownBy(() -> h.deploy(Stacks.full("v2"), "v2")).isInstanceOf(InterruptedException.class);
    assertThat(h.deployer().lock(Stacks.NAME)).isEmpty();
    Release cut = interruptedRelease();
    assertThat(h.deployer().auditLog(Stacks.NAME)).last().asString().contains(cut.id()).contains("INTERRUPTED");
    rerunConverges();
  }

  @Test
  void anInterruptDuringTheWatchWindowEndsTheRunAsInterruptedAndTheRerunConverges() throws Exception {
    h.fake.interruptWhenSleeping(() -> h.fake.events().getLast() instanceof DeployEvent.OldStopped s
        && s.service().equals("worker"));

    assertThatThrownBy(() -> h.deploy(Stacks.full("v2"), "v2")).isInstanceOf(InterruptedException.class);
    interruptedRelease();
    rerunConverges();
  }
}
