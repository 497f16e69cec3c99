package dev.deploykit.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.health.wait.FakeTimeSource;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HealthRunnerTest {
  private final FakeTimeSource time = new FakeTimeSource();

  private static HealthCheck fixed(HealthResult r) {
    return context -> r;
  }

  @Test
  void overallIsTheWorstCriticalCheckAndNonCriticalOnlyDegrades() throws Exception {
    try (HealthRunner runner = HealthRunner.builder().timeSource(time)
        .add("a", fixed(HealthResult.up("fine")))
        .add(CheckSpec.of("b", fixed(HealthResult.down("broken"))).critical(false))
        .build()) {
      HealthReport report = runner.run();
      assertThat(report.status()).isEqualTo(HealthStatus.DEGRADED);
      assertThat(report.checks()).extracting(ComponentHealth::name).containsExactly("a", "b");
    }
    try (HealthRunner runner = HealthRunner.builder().timeSource(time)
        .add("a", fixed(HealthResult.degraded("slow")))
        .add("b", fixed(HealthResult.down("broken")))
        .build()) {
      assertThat(runner.run().status()).isEqualTo(HealthStatus.DOWN);
    }
    try (HealthRunner runner = HealthRunner.builder().build()) {
      assertThat(runner.run().status()).isEqualTo(HealthStatus.UP);
    }
  }

  @Test
  void checksRunConcurrently() throws Exception {
    // Each check waits until all three have started: only a concurrent runner gets them all UP.
    CountDownLatch started = new CountDownLatch(3);
    HealthCheck meet = context -> {
      started.countDown();
      return started.await(5, TimeUnit.SECONDS) ? HealthResult.up("met") : HealthResult.down("alone");
    };
    try (HealthRunner runner = HealthRunner.builder()
        .add("a", meet).add("b", meet).add("c", meet).deadline(Duration.ofSeconds(10)).build()) {
      HealthReport report = runner.run();
      assertThat(report.checks()).allSatisfy(c -> assertThat(c.status()).isEqualTo(HealthStatus.UP));
    }
  }

  @Test
  void aHungCheckIsCancelledReportedDownAndTheOthersStillAnswer() throws Exception {
    AtomicBoolean interrupted = new AtomicBoolean();
    AtomicBoolean closed = new AtomicBoolean();
    CountDownLatch cleanedUp = new CountDownLatch(2);
    HealthCheck hang = context -> {
      context.onCancel(() -> {
        closed.set(true);
        cleanedUp.countDown();
      });
      try {
        Thread.sleep(Duration.ofMinutes(10));
        return HealthResult.up("woke up");
      } catch (InterruptedException e) {
        interrupted.set(true);
        cleanedUp.countDown();
        throw e;
      }
    };
    try (HealthRunner runner = HealthRunner.builder()
        .add(CheckSpec.of("hung", hang).timeout(Duration.ofMillis(100)))
        .add("fast", fixed(HealthResult.up("ok")))
        .deadline(Duration.ofSeconds(5))
        .build()) {
      HealthReport report = runner.run();
      ComponentHealth hung = report.check("hung").orElseThrow();
      assertThat(hung.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(hung.result().detail()).isEqualTo("timed out after 100ms");
      assertThat(report.check("fast").orElseThrow().status()).isEqualTo(HealthStatus.UP);
      assertThat(report.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(cleanedUp.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(interrupted).isTrue();
      assertThat(closed).isTrue();
    }
  }

  @Test
  void theOverallDeadlineBoundsEveryCheck() throws Exception {
    HealthCheck ignoresInterrupts = context -> {
      long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      while (System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      return HealthResult.up("late");
    };
    try (HealthRunner runner = HealthRunner.builder()
        .add(CheckSpec.of("stubborn", ignoresInterrupts).timeout(Duration.ofSeconds(30)))
        .deadline(Duration.ofMillis(150))
        .build()) {
      ComponentHealth line = runner.run().checks().getFirst();
      assertThat(line.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(line.result().detail()).isEqualTo("timed out after 150ms (the run's deadline)");
    }
  }

  @Test
  void aCheckThatThrowsOrReturnsNullIsDownNotAnException() throws Exception {
    try (HealthRunner runner = HealthRunner.builder().timeSource(time)
        .add("throws", context -> {
          throw new IllegalStateException("boom\nsecond line");
        })
        .add("null", context -> null)
        .build()) {
      HealthReport report = runner.run();
      assertThat(report.check("throws").orElseThrow().result().detail())
          .isEqualTo("check failed: IllegalStateException: boom");
      assertThat(report.check("null").orElseThrow().result().detail())
          .isEqualTo("the check returned no result");
    }
  }

  @Test
  void latencyIsMeasuredWithTheTimeSource() throws Exception {
    try (HealthRunner runner = HealthRunner.builder().timeSource(time)
        .add("slow", context -> {
          time.advance(Duration.ofMillis(42));
          return HealthResult.up("ok");
        })
        .build()) {
      assertThat(runner.run().checks().getFirst().result().latency())
          .isEqualTo(Duration.ofMillis(42));
    }
  }

  @Test
  void groupsSelectChecks() throws Exception {
    try (HealthRunner runner = HealthRunner.builder().timeSource(time)
        .add(CheckSpec.of("db", fixed(HealthResult.up("ok"))).groups("readiness", "startup"))
        .add(CheckSpec.of("app", fixed(HealthResult.down("no"))).groups("liveness"))
        .add("other", fixed(HealthResult.up("ok")))
        .build()) {
      HealthReport ready = runner.run("readiness");
      assertThat(ready.checks()).extracting(ComponentHealth::name).containsExactly("db");
      assertThat(ready.status()).isEqualTo(HealthStatus.UP);
      assertThat(runner.run("liveness").status()).isEqualTo(HealthStatus.DOWN);
      assertThat(runner.run().checks()).hasSize(3);
      assertThatThrownBy(() -> runner.run("nope")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("nope");
    }
  }

  @Test
  void backgroundChecksServeTheirLastResultWithItsAgeAndRefreshWhenStale() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    HealthCheck expensive = context -> HealthResult.up("run #" + runs.incrementAndGet());
    try (HealthRunner runner = HealthRunner.builder().timeSource(time)
        .add(CheckSpec.of("gen", expensive).background(Duration.ofSeconds(60)))
        .build()) {
      assertThat(runner.run().checks().getFirst().result().detail()).isEqualTo("run #1");
      time.advance(Duration.ofSeconds(20));
      ComponentHealth served = runner.run().checks().getFirst();
      assertThat(served.result().detail()).isEqualTo("run #1");
      assertThat(served.age()).isEqualTo(Duration.ofSeconds(20));
      time.advance(Duration.ofSeconds(40));
      ComponentHealth fresh = runner.run().checks().getFirst();
      assertThat(fresh.result().detail()).isEqualTo("run #2");
      assertThat(fresh.age()).isZero();
      runner.refresh();
      assertThat(runner.run().checks().getFirst().result().detail()).isEqualTo("run #3");
    }
  }

  @Test
  void aSchedulerRefreshesBackgroundChecks() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch twice = new CountDownLatch(2);
    HealthCheck expensive = context -> {
      twice.countDown();
      return HealthResult.up("run #" + runs.incrementAndGet());
    };
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try (HealthRunner runner = HealthRunner.builder().backgroundScheduler(scheduler)
        .add(CheckSpec.of("gen", expensive).background(Duration.ofMillis(20)))
        .build()) {
      assertThat(twice.await(5, TimeUnit.SECONDS)).isTrue();
      ComponentHealth served = runner.run().checks().getFirst();
      assertThat(served.result().detail()).startsWith("run #");
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void anInterruptedRunCancelsItsChecksAndRethrows() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch cancelled = new CountDownLatch(1);
    HealthCheck hang = context -> {
      context.onCancel(cancelled::countDown);
      started.countDown();
      Thread.sleep(Duration.ofMinutes(10));
      return HealthResult.up("never");
    };
    try (HealthRunner runner = HealthRunner.builder()
        .add(CheckSpec.of("hang", hang).timeout(Duration.ofMinutes(5)))
        .deadline(Duration.ofMinutes(5)).build()) {
      Thread caller = Thread.currentThread();
      Thread.ofVirtual().start(() -> {
        try {
          started.await();
        } catch (InterruptedException e) {
          return;
        }
        caller.interrupt();
      });
      assertThatThrownBy(runner::run).isInstanceOf(InterruptedException.class);
      assertThat(cancelled.await(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void checksRunOnVirtualThreadsUnlessTheirSpecAsksForAPlatformThread() throws Exception {
    HealthCheck whereAmI = context -> HealthResult.up(Thread.currentThread().isVirtual()
        ? "virtual" : "platform");
    try (HealthRunner runner = HealthRunner.builder()
        .add("v", whereAmI)
        .add(CheckSpec.of("p", whereAmI).platformThread(true))
        .build()) {
      HealthReport report = runner.run();
      assertThat(report.check("v").orElseThrow().result().detail()).isEqualTo("virtual");
      assertThat(report.check("p").orElseThrow().result().detail()).isEqualTo("platform");
    }
  }

  @Test
  void namesAreUniqueAndValid() {
    assertThatThrownBy(() -> HealthRunner.builder().add("a", c -> HealthResult.up("x"))
        .add("a", c -> HealthResult.up("y"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a'");
    assertThatThrownBy(() -> CheckSpec.of("has space", c -> HealthResult.up("x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CheckSpec.of("a", c -> HealthResult.up("x")).timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
    assertThatThrownBy(() -> HealthRunner.builder().deadline(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deadline");
  }

  @Test
  void aCutPlatformCheckLeavesNoInterruptForTheNextRunOnItsThread() throws Exception {
    AtomicInteger run = new AtomicInteger();
    Set<Thread> seen = ConcurrentHashMap.newKeySet();
    HealthCheck firstHangsThenSleepsBriefly = context -> {
      seen.add(Thread.currentThread());
      if (run.incrementAndGet() == 1) {
        Thread.sleep(Duration.ofMinutes(10));
      }
      if (Thread.currentThread().isInterrupted()) {
        return HealthResult.down("a stale interrupt reached run " + run.get());
      }
      Thread.sleep(20); // throws if an interrupt meant for an earlier run arrives now
      return HealthResult.up("run " + run.get());
    };
    try (HealthRunner runner = HealthRunner.builder()
        .add(CheckSpec.of("p", firstHangsThenSleepsBriefly).platformThread(true)
            .timeout(Duration.ofMillis(100)))
        .build()) {
      assertThat(runner.run().checks().getFirst().result().detail())
          .isEqualTo("timed out after 100ms");
      Thread.sleep(200); // lets the cut check's thread go back to waiting for the next run
      for (int i = 0; i < 5; i++) {
        assertThat(runner.run().checks().getFirst().status()).isEqualTo(HealthStatus.UP);
      }
    }
    // Kept platform threads served every run: the cut run's and the one that closed its
    // resources, no new one per run.
    assertThat(seen).hasSizeLessThanOrEqualTo(2)
        .allSatisfy(t -> assertThat(t.isVirtual()).isFalse());
  }

  @Test
  void platformThreadsAreKeptForTheNextRunAndCloseEndsThem() throws Exception {
    Set<Thread> seen = ConcurrentHashMap.newKeySet();
    HealthCheck where = context -> {
      seen.add(Thread.currentThread());
      return HealthResult.up(Thread.currentThread().getName());
    };
    HealthRunner runner = HealthRunner.builder()
        .add(CheckSpec.of("p", where).platformThread(true)).build();
    for (int i = 0; i < 5; i++) {
      assertThat(runner.run().status()).isEqualTo(HealthStatus.UP);
      Thread.sleep(50); // lets the thread go back to waiting for the next run
    }
    assertThat(seen).hasSize(1);
    assertThat(runner.platformThreadCount()).isEqualTo(1);

    runner.close();
    for (int i = 0; i < 500 && runner.platformThreadCount() > 0; i++) {
      Thread.sleep(10);
    }
    assertThat(runner.platformThreadCount()).isZero();
    ComponentHealth afterClose = runner.run().checks().getFirst();
    assertThat(afterClose.status()).isEqualTo(HealthStatus.UP);
    assertThat(afterClose.result().detail()).startsWith("deploykit-health-p");
  }

  @Test
  void aHungCheckIsCutOnTheRealClockEvenWhenTheTimeSourceStandsStill() throws Exception {
    HealthCheck hang = context -> {
      Thread.sleep(Duration.ofMinutes(10));
      return HealthResult.up("never");
    };
    try (HealthRunner runner = HealthRunner.builder().timeSource(time)
        .add(CheckSpec.of("hung", hang).timeout(Duration.ofMillis(100)))
        .add("fast", fixed(HealthResult.up("ok")))
        .build()) {
      HealthReport report = runner.run();
      assertThat(report.check("hung").orElseThrow().result().detail())
          .isEqualTo("timed out after 100ms");
      assertThat(report.check("fast").orElseThrow().status()).isEqualTo(HealthStatus.UP);
    }
  }
}
