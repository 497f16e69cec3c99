package dev.deploykit.sample.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {

  @Test
  void blankCountsAsUnsetAndValuesAreStripped() {
    Map<String, String> env = Map.of("A", " a ", "BLANK", "  ", "N", " 42 ");
    assertThat(Env.text(env, "A", "x")).isEqualTo("a");
    assertThat(Env.text(env, "BLANK", "x")).isEqualTo("x");
    assertThat(Env.text(env, "UNSET", "x")).isEqualTo("x");
    assertThat(Env.textOrNull(env, "A")).isEqualTo("a");
    assertThat(Env.textOrNull(env, "BLANK")).isNull();
    assertThat(Env.integer(env, "N", 1)).isEqualTo(42);
    assertThat(Env.integer(env, "BLANK", 1)).isEqualTo(1);
  }

  @Test
  void aWrongNumberNamesTheVariable() {
    assertThatThrownBy(() -> Env.integer(Map.of("PORT", "80x"), "PORT", 8080))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("PORT=80x is not a whole number");
  }
}
