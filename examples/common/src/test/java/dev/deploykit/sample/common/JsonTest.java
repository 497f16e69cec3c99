package dev.deploykit.sample.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void parsesAnOllamaAnswer() {
    Object v = Json.parse("{\"model\":\"tiny\",\"response\":\"h\\u00e9 \\\"x\\\"\\n\",\"done\":true,"
        + "\"context\":[1,2,3],\"total_duration\":1.5e3,\"x\":null}");
    assertThat(v).isInstanceOf(Map.class);
    Map<?, ?> m = (Map<?, ?>) v;
    assertThat(m.get("response")).isEqualTo("hé \"x\"\n");
    assertThat(m.get("done")).isEqualTo(true);
    assertThat(m.get("context")).isEqualTo(List.of(1L, 2L, 3L));
    assertThat(Json.parse(Json.quote("a\"\\\tb"))).isEqualTo("a\"\\\tb");
    assertThatThrownBy(() -> Json.parse("{\"a\":}")).hasMessageContaining("offset");
  }

  @Test
  void jsonQuotesWhatNeedsIt() {
    assertThat(Json.quote("a \"b\"\\\n\u0001é")).isEqualTo("\"a \\\"b\\\"\\\\\\n\\u0001é\"");
  }
}
