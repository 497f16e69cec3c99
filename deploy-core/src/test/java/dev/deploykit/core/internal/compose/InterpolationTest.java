package dev.deploykit.core.internal.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.core.StackFileException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.common.ScalarStyle;

class InterpolationTest {
  private final Map<String, String> vars = Map.of("SET", "value", "EMPTY", "");

  @Test
  void followsComposesRules() {
    assertThat(expand("plain")).isEqualTo("plain");
    assertThat(expand("$SET/${SET}")).isEqualTo("value/value");
    assertThat(expand("${UNSET}|$UNSET")).isEqualTo("|");
    assertThat(expand("${UNSET:-fallback} ${EMPTY:-fallback} ${EMPTY-kept}")).isEqualTo("fallback fallback ");
    assertThat(expand("${SET:+alt}|${UNSET:+alt}|${EMPTY+alt}|${EMPTY:+alt}")).isEqualTo("alt||alt|");
    assertThat(expand("$$SET costs $$5")).isEqualTo("$SET costs $5");
    assertThat(expand("${UNSET:-${SET}}")).as("nested default").isEqualTo("value");
    assertThat(expand("${EMPTY?msg}")).as("without colon, empty is set").isEmpty();
  }

  @Test
  void requiredVariablesFailWithTheirMessage() {
    assertThatThrownBy(() -> expand("${UNSET:?give it a value}"))
        .isInstanceOf(StackFileException.class)
        .hasMessageContaining("required variable UNSET is not set: give it a value");
    assertThatThrownBy(() -> expand("${EMPTY:?}"))
        .hasMessageContaining("required variable EMPTY is empty");
  }

  @Test
  void malformedExpressionsAreErrors() {
    assertThatThrownBy(() -> expand("${SET")).hasMessageContaining("unclosed ${");
    assertThatThrownBy(() -> expand("${1X}")).hasMessageContaining("invalid variable name");
    assertThatThrownBy(() -> expand("cost: $5")).hasMessageContaining("write $$ for a literal $");
  }

  private String expand(String text) {
    Interpolation interpolation = new Interpolation(vars);
    Node node = new Node(new ScalarNode(Tag.STR, text, ScalarStyle.PLAIN), "key",
        new Node.Context(Path.of("compose.yaml"), interpolation));
    return node.string();
  }
}
