package dev.deploykit.core.internal.compose;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A service's resolved environment as Compose builds it: the {@code env_file} entries in order,
 * overridden by {@code environment}. Values in an env file interpolate from the stack's variables
 * first (the shell, then {@code .env}), then the service's {@code environment}, then the env file
 * entries above them.
 */
final class ServiceEnvironment {
  private static final Set<String> ENV_FILE_KEYS = Set.of("path", "required");

  private final Path directory;
  private final Map<String, String> variables;

  /**
   * @param directory the Compose file's folder, against which env file paths resolve
   * @param variables the stack's variables (the shell's, then {@code .env}'s)
   */
  ServiceEnvironment(Path directory, Map<String, String> variables) {
    this.directory = directory;
    this.variables = variables;
  }

  Map<String, String> read(@Nullable Node environmentNode, @Nullable Node envFileNode) {
    Map<String, String> declared = environmentNode == null ? Map.of()
        : KeyValues.read(environmentNode, variables::get);
    Map<String, String> fromFiles = new LinkedHashMap<>();
    Function<String, @Nullable String> lookup = name -> {
      String value = variables.get(name);
      value = value != null ? value : declared.get(name);
      return value != null ? value : fromFiles.get(name);
    };
    for (Node file : entries(envFileNode)) {
      fromFiles.putAll(envFile(file, lookup));
    }
    Map<String, String> environment = new LinkedHashMap<>(fromFiles);
    environment.putAll(declared);
    return environment;
  }

  private Map<String, String> envFile(Node node, Function<String, @Nullable String> lookup) {
    String path;
    boolean required = true;
    if (node.isMapping()) {
      Map<String, Node> keys = node.mapping();
      for (Map.Entry<String, Node> e : keys.entrySet()) {
        if (!ENV_FILE_KEYS.contains(e.getKey())) {
          throw e.getValue().error("unknown or unsupported key" + Suggestions.hint(e.getKey(), ENV_FILE_KEYS)
              + "; an env_file entry takes path and required");
        }
      }
      Node p = keys.get("path");
      if (p == null || p.isNull()) {
        throw node.error("an env_file entry needs a path");
      }
      path = p.string();
      if (keys.containsKey("required")) {
        required = keys.get("required").bool();
      }
    } else {
      path = node.string();
    }
    Path file = directory.resolve(path).normalize();
    if (!required && !Files.exists(file)) {
      return Map.of();
    }
    return EnvFile.read(file, node, lookup);
  }

  private static List<Node> entries(@Nullable Node node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    return node.isSequence() ? node.sequence() : List.of(node);
  }
}
