package dev.deploykit.health.wait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeadlineTest {
  private final FakeTimeSource time = new FakeTimeSource();

  @Test
  void remainingShrinksAndNeverGoesNegative() {
    Deadline d = Deadline.after(Duration.ofSeconds(2), time);
    assertThat(d.remaining()).isEqualTo(Duration.ofSeconds(2));
    assertThat(d.isExpired()).isFalse();
    time.advance(Duration.ofMillis(1500));
    assertThat(d.remaining()).isEqualTo(Duration.ofMillis(500));
    assertThat(d.elapsed()).isEqualTo(Duration.ofMillis(1500));
    time.advance(Duration.ofSeconds(1));
    assertThat(d.remaining()).isZero();
    assertThat(d.isExpired()).isTrue();
    assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void zeroTimeoutIsExpiredAtOnce() {
    assertThat(Deadline.after(Duration.ZERO, time).isExpired()).isTrue();
  }

  @Test
  void millisRoundUpAndAreNeverZero() {
    Deadline d = Deadline.after(Duration.ofNanos(1_000_001), time);
    assertThat(d.remainingMillisAtLeastOne()).isEqualTo(2);
    time.advance(Duration.ofSeconds(1));
    assertThat(d.remainingMillisAtLeastOne()).isEqualTo(1);
  }

  @Test
  void capAndNarrowTakeTheEarlier() {
    Deadline d = Deadline.after(Duration.ofSeconds(1), time);
    assertThat(d.cap(Duration.ofMillis(300))).isEqualTo(Duration.ofMillis(300));
    assertThat(d.cap(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(1));
    assertThat(d.narrow(Duration.ofMillis(300)).remaining()).isEqualTo(Duration.ofMillis(300));
    assertThat(d.narrow(Duration.ofSeconds(5)).remaining()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void hugeTimeoutsDoNotOverflow() {
    Deadline d = Deadline.after(Duration.ofSeconds(Long.MAX_VALUE), time);
    assertThat(d.isExpired()).isFalse();
    assertThat(d.remaining()).isPositive();
  }

  @Test
  void negativeTimeoutIsMisuse() {
    assertThatThrownBy(() -> Deadline.after(Duration.ofMillis(-1), time))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
  }
}
