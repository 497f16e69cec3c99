package dev.deploykit.core.internal.compose;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** {@code environment} or {@code labels} of a service, in their mapping or their list form. */
final class KeyValues {
  private KeyValues() {}

  /**
   * The entries in file order.
   *
   * @param shell where a key without a value takes its value from (an {@code environment}
   *     entry; unset there, the key is left out), or null for labels, where it is empty
   */
  static Map<String, String> read(Node node, @Nullable Function<String, @Nullable String> shell) {
    Map<String, String> values = new LinkedHashMap<>();
    if (node.isNull()) {
      return values;
    }
    if (node.isMapping()) {
      for (Map.Entry<String, Node> e : node.mapping().entrySet()) {
        put(values, e.getKey(), e.getValue().stringOrNull(), shell);
      }
      return values;
    }
    for (Node item : node.sequence()) {
      String text = item.string();
      int eq = text.indexOf('=');
      if (eq == 0) {
        throw item.error("expected KEY=value, found \"" + text + "\"");
      }
      if (eq < 0) {
        put(values, text, null, shell);
      } else {
        values.put(text.substring(0, eq), text.substring(eq + 1));
      }
    }
    return values;
  }

  private static void put(Map<String, String> values, String key, @Nullable String value,
      @Nullable Function<String, @Nullable String> shell) {
    if (value != null) {
      values.put(key, value);
    } else if (shell == null) {
      values.put(key, "");
    } else {
      String inherited = shell.apply(key);
      if (inherited != null) {
        values.put(key, inherited);
      }
    }
  }
}
