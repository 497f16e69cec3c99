package dev.deploykit.core.internal.compose;

import dev.deploykit.core.StackFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * A YAML node of a stack file with its dotted key path and line, so that every error can say
 * where it is. Scalars are interpolated (Compose's {@code ${VAR}} rules) when read.
 */
public final class Node {
  private final org.snakeyaml.engine.v2.nodes.Node yaml;
  private final String path;
  private final Context context;

  Node(org.snakeyaml.engine.v2.nodes.Node yaml, String path, Context context) {
    this.yaml = yaml;
    this.path = path;
    this.context = context;
  }

  /** What every node of one file shares: the file and the variables for interpolation. */
  record Context(Path file, Interpolation interpolation) {}

  public String path() {
    return path;
  }

  /** The 1-based line where the node starts. */
  public int line() {
    return yaml.getStartMark().map(m -> m.getLine() + 1).orElse(0);
  }

  public StackFileException error(String problem) {
    return new StackFileException(context.file(), line(), path, problem);
  }

  public boolean isNull() {
    return yaml instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
  }

  public boolean isMapping() {
    return yaml instanceof MappingNode;
  }

  public boolean isSequence() {
    return yaml instanceof SequenceNode;
  }

  public boolean isScalar() {
    return yaml instanceof ScalarNode && !isNull();
  }

  /** The entries of a mapping in file order, {@code <<} merge keys applied. */
  public Map<String, Node> mapping() {
    if (!(yaml instanceof MappingNode m)) {
      throw error("expected a mapping (key: value lines), found " + kind());
    }
    Map<String, Node> entries = new LinkedHashMap<>();
    Map<String, Node> merged = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode keyNode)) {
        throw error("keys must be plain strings");
      }
      String key = keyNode.getValue();
      Node value = new Node(t.getValueNode(), path.isEmpty() ? key : path + "." + key, context);
      if (key.equals("<<")) {
        for (Node source : value.isSequence() ? value.sequence() : List.of(value)) {
          source.mapping().forEach(merged::putIfAbsent);
        }
        continue;
      }
      if (entries.put(key, value) != null) {
        throw value.error("duplicate key");
      }
    }
    merged.forEach(entries::putIfAbsent);
    return entries;
  }

  public List<Node> sequence() {
    if (!(yaml instanceof SequenceNode s)) {
      throw error("expected a list (- item lines), found " + kind());
    }
    List<Node> items = new ArrayList<>();
    List<org.snakeyaml.engine.v2.nodes.Node> values = s.getValue();
    for (int i = 0; i < values.size(); i++) {
      items.add(new Node(values.get(i), path + "[" + i + "]", context));
    }
    return items;
  }

  /** The scalar's text with variables interpolated. */
  public String string() {
    if (!(yaml instanceof ScalarNode s) || isNull()) {
      throw error("expected a value, found " + kind());
    }
    return context.interpolation().apply(s.getValue(), this);
  }

  /** The scalar's text, or null for an empty value ({@code key:} or {@code key: null}). */
  public @Nullable String stringOrNull() {
    return isNull() ? null : string();
  }

  public int integer() {
    String text = string().strip();
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw error("expected a whole number, found \"" + text + "\"");
    }
  }

  public boolean bool() {
    String text = string().strip().toLowerCase(java.util.Locale.ROOT);
    return switch (text) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw error("expected true or false, found \"" + text + "\"");
    };
  }

  /** A string, or a list of strings. */
  public List<String> strings() {
    if (isSequence()) {
      return sequence().stream().map(Node::string).toList();
    }
    return List.of(string());
  }

  private String kind() {
    if (isNull()) {
      return "nothing";
    }
    return switch (yaml) {
      case MappingNode ignored -> "a mapping";
      case SequenceNode ignored -> "a list";
      case ScalarNode sc -> "\"" + sc.getValue() + "\"";
      default -> "a " + yaml.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
