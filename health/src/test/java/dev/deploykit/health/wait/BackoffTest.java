package dev.deploykit.health.wait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final SplittableRandom random = new SplittableRandom(42);

  @Test
  void exponentialDoublesUpToTheCap() {
    Backoff b = Backoff.exponential(Duration.ofMillis(100), Duration.ofMillis(500));
    assertThat(b.delay(1, random)).isEqualTo(Duration.ofMillis(100));
    assertThat(b.delay(2, random)).isEqualTo(Duration.ofMillis(200));
    assertThat(b.delay(3, random)).isEqualTo(Duration.ofMillis(400));
    assertThat(b.delay(4, random)).isEqualTo(Duration.ofMillis(500));
    assertThat(b.delay(1_000_000, random)).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void fixedNeverChanges() {
    Backoff b = Backoff.fixed(Duration.ofMillis(70));
    assertThat(b.delay(1, random)).isEqualTo(b.delay(50, random)).isEqualTo(Duration.ofMillis(70));
  }

  @Test
  void jitterOnlyShortensAndStaysWithinItsFraction() {
    Backoff b = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1)).withJitter(0.5);
    for (int i = 0; i < 1000; i++) {
      Duration d = b.delay(2, random);
      assertThat(d).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    }
    for (int i = 0; i < 1000; i++) {
      assertThat(b.delay(30, random)).isLessThanOrEqualTo(Duration.ofSeconds(1));
    }
  }

  @Test
  void customFactor() {
    Backoff b = new Backoff(Duration.ofMillis(10), 3.0, Duration.ofSeconds(1), 0.0);
    assertThat(b.delay(3, random)).isEqualTo(Duration.ofMillis(90));
    assertThat(b.withFactor(1.5).delay(3, random)).isEqualTo(Duration.ofNanos(22_500_000));
  }

  @Test
  void hugeDurationsDoNotOverflow() {
    Backoff b = Backoff.exponential(Duration.ofDays(1), Duration.ofDays(365 * 1000L));
    assertThat(b.delay(Integer.MAX_VALUE, random)).isPositive();
  }

  @Test
  void invalidValuesAreRejectedNamingTheField() {
    assertThatThrownBy(() -> Backoff.fixed(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initial");
    assertThatThrownBy(() -> new Backoff(Duration.ofMillis(1), 0.5, Duration.ofMillis(1), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("factor");
    assertThatThrownBy(() -> new Backoff(Duration.ofMillis(1), Double.NaN, Duration.ofMillis(1), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("factor");
    assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cap");
    assertThatThrownBy(() -> Backoff.fixed(Duration.ofMillis(1)).withJitter(1.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jitter");
    assertThatThrownBy(() -> Backoff.fixed(Duration.ofMillis(1)).delay(0, random))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attempt");
  }
}
