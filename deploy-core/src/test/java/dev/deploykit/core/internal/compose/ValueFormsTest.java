package dev.deploykit.core.internal.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

class ValueFormsTest {

  @Test
  void durationsInGosForm() {
    assertThat(ComposeDurations.parse(node("10s"))).isEqualTo(Duration.ofSeconds(10));
    assertThat(ComposeDurations.parse(node("1m30s"))).isEqualTo(Duration.ofSeconds(90));
    assertThat(ComposeDurations.parse(node("1.5s"))).isEqualTo(Duration.ofMillis(1500));
    assertThat(ComposeDurations.parse(node("2h45m250ms"))).isEqualTo(Duration.ofMillis(9_900_250));
    assertThat(ComposeDurations.parse(node("300us"))).isEqualTo(Duration.ofNanos(300_000));
    assertThat(ComposeDurations.parse(node("0"))).isZero();
    assertThatThrownBy(() -> ComposeDurations.parse(node("10"))).hasMessageContaining("expected a duration");
    assertThatThrownBy(() -> ComposeDurations.parse(node("10 s"))).hasMessageContaining("expected a duration");
    assertThatThrownBy(() -> ComposeDurations.parse(node("s"))).hasMessageContaining("expected a duration");
  }

  @Test
  void commandStringsSplitLikeAShell() {
    assertThat(ShellWords.split("java -jar app.jar", node("x"))).containsExactly("java", "-jar", "app.jar");
    assertThat(ShellWords.split("sh -c 'echo $HOME && exit 1'", node("x")))
        .containsExactly("sh", "-c", "echo $HOME && exit 1");
    assertThat(ShellWords.split("echo \"a \\\"quoted\\\" word\" b\\ c", node("x")))
        .containsExactly("echo", "a \"quoted\" word", "b c");
    assertThatThrownBy(() -> ShellWords.split("echo 'open", node("x"))).hasMessageContaining("unclosed ' quote");
  }

  @Test
  void suggestionsFindCloseKeysOnly() {
    assertThat(Suggestions.closest("helth_path", java.util.Set.of("health_path", "role"))).contains("health_path");
    assertThat(Suggestions.closest("zzz", java.util.Set.of("health_path", "role"))).isEmpty();
  }

  private static Node node(String text) {
    return new Node(new ScalarNode(Tag.STR, text, ScalarStyle.PLAIN), "key",
        new Node.Context(Path.of("compose.yaml"), new Interpolation(Map.of())));
  }
}
