package dev.deploykit.core.internal.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WatchdogTest {
  private final AtomicLong clock = new AtomicLong(1_000);

  @Test
  void aDeadlineActsOnceWhenItPasses() {
    AtomicInteger fired = new AtomicInteger();
    try (Watchdog watchdog = Watchdog.manual(clock::get)) {
      Watchdog.Deadline deadline = watchdog.deadline(Duration.ofSeconds(10), fired::incrementAndGet);
      clock.addAndGet(Duration.ofMillis(9_999).toNanos());
      watchdog.sweep();
      assertThat(fired).hasValue(0);
      clock.addAndGet(Duration.ofMillis(1).toNanos());
      watchdog.sweep();
      watchdog.sweep();
      assertThat(fired).hasValue(1);
      assertThat(deadline.expired()).isTrue();
    }
  }

  @Test
  void aDeadlineThatIsDoneNeverActs() {
    AtomicInteger fired = new AtomicInteger();
    try (Watchdog watchdog = Watchdog.manual(clock::get)) {
      Watchdog.Deadline deadline = watchdog.deadline(Duration.ofSeconds(1), fired::incrementAndGet);
      deadline.done();
      clock.addAndGet(Duration.ofHours(1).toNanos());
      watchdog.sweep();
      assertThat(fired).hasValue(0);
      assertThat(deadline.expired()).isFalse();
    }
  }

  @Test
  void aFailingGuardIsDroppedAndTheOthersStillRun() {
    AtomicInteger checks = new AtomicInteger();
    try (Watchdog watchdog = Watchdog.manual(clock::get)) {
      watchdog.watch(now -> {
        throw new IllegalStateException("broken");
      });
      watchdog.watch(now -> checks.incrementAndGet() > 1);
      watchdog.sweep();
      watchdog.sweep();
      watchdog.sweep();
      assertThat(checks).hasValue(2);
    }
  }
}
