package dev.deploykit.core.internal.compose;

import dev.deploykit.core.StackFileException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The variables a Compose file refers to, with what each needs, judged against a set of
 * variables as {@link Interpolation} would use them: a {@code ${VAR:-default}} needs nothing, and
 * its default is looked at only when it would be used; a {@code ${VAR}}, {@code $VAR} or
 * {@code ${VAR:?message}} needs a value; a bare key under a service's {@code environment}
 * ({@code KEY:} or {@code - KEY}) passes the variable through and needs nothing.
 */
public final class VariableReferences {
  /** What a reference asks of its variable. */
  public enum Need {
    /** Nothing: there is a default, or the key passes an unset variable through. */
    NONE,
    /** A value: unset interpolates to an empty string ({@code ${VAR}}, {@code $VAR}). */
    SET,
    /** A non-empty value: an empty or unset one fails the read ({@code ${VAR:?}}). */
    NON_EMPTY
  }

  /**
   * One variable's strongest need over all its references, and the first line that has it.
   *
   * @param line 1-based line in the Compose file
   */
  public record Reference(String name, Need need, int line) {}

  private final Map<String, String> variables;
  private final Map<String, Reference> references = new LinkedHashMap<>();
  private int line;

  private VariableReferences(Map<String, String> variables) {
    this.variables = variables;
  }

  /**
   * The variables {@code file} refers to, in the order of their first reference.
   *
   * @param variables the values the file would be read with, deciding which defaults are used
   * @throws StackFileException for an unreadable file, a YAML syntax error or a malformed
   *     expression, naming the file and line
   */
  public static List<Reference> of(Path file, Map<String, String> variables) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StackFileException(file, 0, null, "the stack file cannot be read: " + e.getMessage());
    }
    Node root;
    try {
      root = new Compose(LoadSettings.builder().setLabel(file.toString()).build())
          .composeReader(new StringReader(text))
          .orElseThrow(() -> new StackFileException(file, 0, null, "the stack file is empty"));
    } catch (YamlEngineException e) {
      throw new StackFileException(file, 0, null, "YAML syntax error: " + e.getMessage());
    }
    VariableReferences scan = new VariableReferences(variables);
    scan.walk(file, root, false);
    return List.copyOf(scan.references.values());
  }

  private void walk(Path file, Node node, boolean environment) {
    line = node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    switch (node) {
      case ScalarNode s -> scan(file, s.getValue());
      case SequenceNode q -> {
        for (Node item : q.getValue()) {
          if (environment && item instanceof ScalarNode s && s.getValue().indexOf('=') < 0) {
            note(s.getValue().strip(), Need.NONE);
          } else {
            walk(file, item, false);
          }
        }
      }
      case MappingNode m -> {
        for (NodeTuple t : m.getValue()) {
          String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : "";
          Node value = t.getValueNode();
          if (environment && value instanceof ScalarNode v && v.getValue().isEmpty()
              && v.getTag().getValue().endsWith(":null")) {
            line = value.getStartMark().map(mk -> mk.getLine() + 1).orElse(0);
            note(key, Need.NONE);
          } else {
            walk(file, value, key.equals("environment"));
          }
        }
      }
      default -> { }
    }
  }

  /** Notes every variable of an interpolated text, descending into defaults only where used. */
  private void scan(Path file, String text) {
    int i = 0;
    while ((i = text.indexOf('$', i)) >= 0 && i + 1 < text.length()) {
      char next = text.charAt(i + 1);
      if (next == '$') {
        i += 2;
      } else if (next == '{') {
        int end = Interpolation.closingBrace(text, i + 2);
        if (end < 0) {
          throw new StackFileException(file, line, null, "unclosed ${ in \"" + text + "\"");
        }
        expression(file, text.substring(i + 2, end));
        i = end + 1;
      } else if (Interpolation.isNameStart(next)) {
        int end = i + 1;
        while (end < text.length() && Interpolation.isNamePart(text.charAt(end))) {
          end++;
        }
        note(text.substring(i + 1, end), Need.SET);
        i = end;
      } else {
        i++;
      }
    }
  }

  private void expression(Path file, String expression) {
    int n = 0;
    while (n < expression.length() && Interpolation.isNamePart(expression.charAt(n))) {
      n++;
    }
    String name = expression.substring(0, n);
    if (name.isEmpty()) {
      return; // Interpolation reports the malformed expression when the stack is read.
    }
    String rest = expression.substring(n);
    if (rest.isEmpty()) {
      note(name, Need.SET);
      return;
    }
    boolean colon = rest.startsWith(":");
    String op = colon ? rest.substring(1, Math.min(2, rest.length())) : rest.substring(0, 1);
    String argument = rest.substring(Math.min(rest.length(), colon ? 2 : 1));
    @Nullable String value = variables.get(name);
    boolean unset = value == null || (colon && value.isEmpty());
    switch (op) {
      case "-" -> {
        note(name, Need.NONE);
        if (unset) {
          scan(file, argument);
        }
      }
      case "+" -> {
        note(name, Need.NONE);
        if (!unset) {
          scan(file, argument);
        }
      }
      case "?" -> note(name, colon ? Need.NON_EMPTY : Need.SET);
      default -> note(name, Need.SET);
    }
  }

  private void note(String name, Need need) {
    Reference old = references.get(name);
    if (old == null || old.need().compareTo(need) < 0) {
      references.put(name, new Reference(name, need, old == null || need != Need.NONE ? line : old.line()));
    }
  }
}
