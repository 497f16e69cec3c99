package dev.deploykit.core.internal.compose;

import dev.deploykit.core.Service;
import dev.deploykit.core.Stack;
import dev.deploykit.core.StackFileException;
import dev.deploykit.core.StackSettings;
import dev.deploykit.core.engine.VolumeMount;
import dev.deploykit.core.internal.model.DependencyCycle;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads a Compose file into a {@link Stack}; every error names the file, line and key. The
 * model's own rules are checked here first, so that no error reaches the user in the Java API's
 * terms.
 */
public final class StackReader {
  private static final Set<String> TOP_KEYS = Set.of("name", "services", "networks", "volumes",
      "version", "x-deploykit");
  private static final Set<String> UNSUPPORTED_TOP_KEYS = Set.of("configs", "secrets", "include", "models");
  private static final String STACK_NAME = "[a-z0-9][a-z0-9_-]*";

  private StackReader() {}

  /**
   * @param file the Compose file
   * @param environment the shell's variables; they win over the {@code .env} file beside it
   * @param projectName the stack name to use, or null for the file's {@code name} or its folder
   */
  public static Stack read(Path file, Map<String, String> environment, @Nullable String projectName) {
    String text = text(file);
    Path directory = file.toAbsolutePath().getParent();
    Map<String, String> variables = variables(directory, environment);
    Node root = new Node(yaml(file, text), "", new Node.Context(file, new Interpolation(variables)));
    Map<String, Node> top = topLevel(root);
    Node services = top.get("services");
    if (services == null || services.isNull() || services.mapping().isEmpty()) {
      throw new StackFileException(file, root.line(), "services", "the stack has no services");
    }
    ServiceReader reader = new ServiceReader(directory, variables);
    List<Service> list = new ArrayList<>();
    for (Map.Entry<String, Node> e : services.mapping().entrySet()) {
      Service service = reader.read(e.getKey(), e.getValue());
      checkDeclared(service, e.getValue(), declared(top.get("volumes")), declared(top.get("networks")));
      list.add(service);
    }
    checkDependencies(services.mapping());
    StackSettings settings = StackSettingsReader.read(top.get("x-deploykit"), directory, list);
    String name = name(file, top.get("name"), directory, projectName);
    try {
      return new Stack(name, list, settings);
    } catch (IllegalArgumentException e) {
      // Every rule is checked above; should the model grow one, it still names the file.
      throw new StackFileException(file, 0, null, e.getMessage());
    }
  }

  private static String text(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new StackFileException(file, 0, null, "the stack file does not exist;"
          + " name one with -f FILE or create compose.yaml");
    } catch (IOException e) {
      throw new StackFileException(file, 0, null, "the stack file cannot be read: " + e.getMessage());
    }
  }

  /** The shell's variables, then those of the {@code .env} file beside the Compose file. */
  private static Map<String, String> variables(Path directory, Map<String, String> environment) {
    Map<String, String> variables = new HashMap<>();
    Path dotEnv = directory.resolve(".env");
    if (Files.isRegularFile(dotEnv)) {
      variables.putAll(EnvFile.read(dotEnv, null, environment::get));
    }
    variables.putAll(environment);
    return variables;
  }

  private static org.snakeyaml.engine.v2.nodes.Node yaml(Path file, String text) {
    Optional<org.snakeyaml.engine.v2.nodes.Node> yaml;
    try {
      yaml = new Compose(LoadSettings.builder().setLabel(file.toString()).build())
          .composeReader(new StringReader(text));
    } catch (MarkedYamlEngineException e) {
      int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
      String context = e.getContext() == null ? "" : " (" + e.getContext()
          + e.getContextMark().map(m -> " that starts on line " + (m.getLine() + 1)).orElse("") + ")";
      throw new StackFileException(file, line, null, "YAML syntax error: " + e.getProblem() + context);
    } catch (YamlEngineException e) {
      throw new StackFileException(file, 0, null, "YAML syntax error: " + e.getMessage());
    }
    return yaml.orElseThrow(() -> new StackFileException(file, 0, null, "the stack file is empty"));
  }

  private static Map<String, Node> topLevel(Node root) {
    Map<String, Node> top = root.mapping();
    for (Map.Entry<String, Node> e : top.entrySet()) {
      if (UNSUPPORTED_TOP_KEYS.contains(e.getKey())) {
        throw e.getValue().error("not supported by deploykit yet");
      }
      if (!TOP_KEYS.contains(e.getKey()) && !e.getKey().startsWith("x-")) {
        throw e.getValue().error("unknown top-level key" + Suggestions.hint(e.getKey(), TOP_KEYS));
      }
    }
    return top;
  }

  private static void checkDeclared(Service service, Node node, Set<String> volumes, Set<String> networks) {
    for (VolumeMount v : service.volumes()) {
      if (v.type().equals("volume") && !volumes.contains(v.source())) {
        throw node.error("volume " + v.source() + " is not declared under the top-level volumes key");
      }
    }
    for (String n : service.networks()) {
      if (!n.equals("default") && !networks.contains(n)) {
        throw node.error("network " + n + " is not declared under the top-level networks key");
      }
    }
  }

  /** Every {@code depends_on} names a service of the stack, and no services depend in a circle. */
  private static void checkDependencies(Map<String, Node> services) {
    Map<String, List<String>> dependsOn = new LinkedHashMap<>();
    for (Map.Entry<String, Node> service : services.entrySet()) {
      Map<String, Node> entries = ServiceReader.dependencyEntries(service.getValue().mapping().get("depends_on"));
      for (Map.Entry<String, Node> entry : entries.entrySet()) {
        if (!services.containsKey(entry.getKey())) {
          throw entry.getValue().error("depends on " + entry.getKey() + ", which is not a service of"
              + " this stack" + Suggestions.hint(entry.getKey(), services.keySet()));
        }
      }
      dependsOn.put(service.getKey(), List.copyOf(entries.keySet()));
    }
    List<String> cycle = DependencyCycle.find(dependsOn);
    if (cycle.isEmpty()) {
      return;
    }
    Node where = services.get(cycle.getFirst()).mapping().get("depends_on");
    if (cycle.size() == 2) {
      throw where.error(cycle.getFirst() + " depends on itself; remove it from its depends_on");
    }
    throw where.error(String.join(" -> ", cycle) + " depend on each other in a circle; break the cycle");
  }

  private static String name(Path file, @Nullable Node nameNode, Path directory, @Nullable String projectName) {
    if (projectName != null) {
      if (!projectName.matches(STACK_NAME)) {
        throw new StackFileException(file, 0, null, "project name " + projectName
            + " must be lower-case letters, digits, _ and -, starting with a letter or digit");
      }
      return projectName;
    }
    if (nameNode != null) {
      String name = nameNode.string();
      if (!name.matches(STACK_NAME)) {
        throw nameNode.error("must be lower-case letters, digits, _ and -, starting with a letter"
            + " or digit, found \"" + name + "\"");
      }
      return name;
    }
    return normalizeName(directory.getFileName() == null ? "stack" : directory.getFileName().toString());
  }

  private static Set<String> declared(@Nullable Node node) {
    return node == null || node.isNull() ? Set.of() : node.mapping().keySet();
  }

  /** Compose's project name rules: lower case, letters, digits, dashes and underscores. */
  static String normalizeName(String folder) {
    String name = folder.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "");
    name = name.replaceFirst("^[_-]+", "");
    return name.isEmpty() ? "stack" : name;
  }
}
