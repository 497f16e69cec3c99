package dev.deploykit.llm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class KeepAliveTest {
  @Test
  void parsesOllamasForms() {
    assertThat(KeepAlive.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(KeepAlive.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(KeepAlive.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(KeepAlive.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(KeepAlive.parse("0")).isZero();
    assertThat(KeepAlive.parse("0s")).isZero();
    assertThat(KeepAlive.parse("300")).isEqualTo(Duration.ofMinutes(5));
    assertThat(KeepAlive.parse("-1")).isEqualTo(KeepAlive.FOREVER);
    assertThat(KeepAlive.parse("-1m")).isEqualTo(KeepAlive.FOREVER);
    assertThat(KeepAlive.ofSeconds(-1)).isEqualTo(KeepAlive.FOREVER);
    assertThat(KeepAlive.ofSeconds(0)).isZero();
  }

  @Test
  void rejectsWhatGoRejectsWithGosWording() {
    assertThatThrownBy(() -> KeepAlive.parse("soon"))
        .hasMessage("time: invalid duration \"soon\"");
    assertThatThrownBy(() -> KeepAlive.parse("5 m")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeepAlive.parse("-")).isInstanceOf(IllegalArgumentException.class);
  }
}
