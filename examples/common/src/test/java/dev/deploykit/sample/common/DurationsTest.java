package dev.deploykit.sample.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void parsesEveryWrittenForm() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("10S")).isEqualTo(Duration.ofSeconds(10));
    assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("pt2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("0s")).isEqualTo(Duration.ZERO);
    assertThat(Durations.parse("-1s")).isEqualTo(Duration.ofSeconds(-1));
  }

  @Test
  void hoursAreNoUnitWithoutHours() {
    assertThat(Durations.parseWithoutHours("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parseWithoutHours("PT1H")).isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(() -> Durations.parseWithoutHours("1h"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("no unit");
  }

  @Test
  void aWrongDurationThrows() {
    assertThatThrownBy(() -> Durations.parse("10")).hasMessage("no unit");
    assertThatThrownBy(() -> Durations.parse("soon")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Durations.parse("PTx")).isInstanceOf(DateTimeParseException.class);
  }
}
