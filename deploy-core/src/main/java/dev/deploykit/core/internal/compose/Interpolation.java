package dev.deploykit.core.internal.compose;

import dev.deploykit.core.StackFileException;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Compose's variable interpolation: {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}},
 * {@code ${VAR-default}}, {@code ${VAR:?message}}, {@code ${VAR?message}},
 * {@code ${VAR:+replacement}}, {@code ${VAR+replacement}}, and {@code $$} for a literal dollar.
 * With a colon, an empty value counts as unset; an unset variable without a default is empty.
 */
public final class Interpolation {
  private final Function<String, @Nullable String> variables;

  /** Interpolates from a fixed set of variables (copied). */
  public Interpolation(Map<String, String> variables) {
    Map<String, String> copy = Map.copyOf(variables);
    this.variables = copy::get;
  }

  /** Interpolates from a lookup that answers null for an unset variable (read at each use). */
  public Interpolation(Function<String, @Nullable String> variables) {
    this.variables = variables;
  }

  /** Interpolates a YAML scalar; an error names the node's file, line and key. */
  public String apply(String text, Node where) {
    return apply(text, where::error);
  }

  /**
   * Interpolates {@code text}.
   *
   * @param problem turns the description of a malformed expression or a missing required
   *     variable into the exception to throw, naming where the text is
   */
  public String apply(String text, Function<String, StackFileException> problem) {
    if (text.indexOf('$') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c != '$') {
        out.append(c);
        i++;
        continue;
      }
      if (i + 1 >= text.length()) {
        out.append('$');
        i++;
      } else if (text.charAt(i + 1) == '$') {
        out.append('$');
        i += 2;
      } else if (text.charAt(i + 1) == '{') {
        int end = closingBrace(text, i + 2);
        if (end < 0) {
          throw problem.apply("unclosed ${ in \"" + text + "\"");
        }
        out.append(expand(text.substring(i + 2, end), problem));
        i = end + 1;
      } else if (isNameStart(text.charAt(i + 1))) {
        int end = i + 1;
        while (end < text.length() && isNamePart(text.charAt(end))) {
          end++;
        }
        String value = variables.apply(text.substring(i + 1, end));
        out.append(value == null ? "" : value);
        i = end;
      } else {
        throw problem.apply("invalid interpolation \"" + text.substring(i)
            + "\": write $$ for a literal $");
      }
    }
    return out.toString();
  }

  private String expand(String expression, Function<String, StackFileException> problem) {
    int n = 0;
    while (n < expression.length() && isNamePart(expression.charAt(n))) {
      n++;
    }
    String name = expression.substring(0, n);
    if (name.isEmpty() || !isNameStart(name.charAt(0))) {
      throw problem.apply("invalid variable name in ${" + expression + "}");
    }
    String rest = expression.substring(n);
    String value = variables.apply(name);
    if (rest.isEmpty()) {
      return value == null ? "" : value;
    }
    boolean colon = rest.startsWith(":");
    String op = colon ? rest.substring(1, Math.min(2, rest.length())) : rest.substring(0, 1);
    String argument = apply(rest.substring(colon ? 2 : 1), problem);
    boolean unset = value == null || (colon && value.isEmpty());
    return switch (op) {
      case "-" -> unset ? argument : value;
      case "+" -> unset ? "" : argument;
      case "?" -> {
        if (unset) {
          throw problem.apply("required variable " + name + " is "
              + (value == null ? "not set" : "empty")
              + (argument.isEmpty() ? "" : ": " + argument));
        }
        yield value;
      }
      default -> throw problem.apply("invalid interpolation ${" + expression + "}");
    };
  }

  static int closingBrace(String text, int from) {
    int depth = 1;
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  static boolean isNameStart(char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  static boolean isNamePart(char c) {
    return isNameStart(c) || (c >= '0' && c <= '9');
  }
}
