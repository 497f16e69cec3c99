package dev.deploykit.health.wait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FakeTimeSourceTest {

  @Test
  void sleepAdvancesAtOnceAndIsRecorded() throws InterruptedException {
    FakeTimeSource time = new FakeTimeSource(Instant.parse("2030-01-01T00:00:00Z"));
    time.sleep(Duration.ofMinutes(10));
    time.advance(Duration.ofSeconds(1));
    assertThat(time.sleeps()).containsExactly(Duration.ofMinutes(10));
    assertThat(time.nanoTime()).isEqualTo(Duration.ofSeconds(601).toNanos());
    assertThat(time.now()).isEqualTo(Instant.parse("2030-01-01T00:10:01Z"));
  }

  @Test
  void sleepHonoursInterrupts() {
    FakeTimeSource time = new FakeTimeSource();
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> time.sleep(Duration.ofSeconds(1)))
        .isInstanceOf(InterruptedException.class);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
    assertThat(time.elapsed()).isZero();
  }

  @Test
  void timeNeverGoesBack() {
    assertThatThrownBy(() -> new FakeTimeSource().advance(Duration.ofNanos(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void systemSourceSleepsForZeroWithoutBlockingButHonoursInterrupts() throws Exception {
    TimeSource.system().sleep(Duration.ZERO);
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> TimeSource.system().sleep(Duration.ZERO))
        .isInstanceOf(InterruptedException.class);
  }
}
