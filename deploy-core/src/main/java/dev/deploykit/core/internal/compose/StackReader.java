package dev.deploykit.core.internal.compose;

import dev.deploykit.core.DatabaseSettings;
import dev.deploykit.core.Service;
import dev.deploykit.core.Stack;
import dev.deploykit.core.StackFileException;
import dev.deploykit.core.StackSettings;
import dev.deploykit.core.engine.VolumeMount;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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

/** Reads a Compose file into a {@link Stack}; every error names the file, line and key. */
public final class StackReader {
  private static final Set<String> TOP_KEYS = Set.of("name", "services", "networks", "volumes",
      "version", "x-deploykit");
  private static final Set<String> STACK_KEYS = Set.of("retain", "proxy_port", "notify_webhook", "db_init");
  private static final Set<String> DB_KEYS = Set.of("service", "port", "database", "user", "password",
      "migrations", "readonly_user", "readonly_password", "timeout");

  private StackReader() {}

  /**
   * @param file the Compose file
   * @param environment the shell's variables; they win over the {@code .env} file beside it
   * @param projectName the stack name to use, or null for the file's {@code name} or its folder
   */
  public static Stack read(Path file, Map<String, String> environment, @Nullable String projectName) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new StackFileException(file, 0, null, "the stack file does not exist;"
          + " name one with -f FILE or create compose.yaml");
    } catch (IOException e) {
      throw new StackFileException(file, 0, null, "the stack file cannot be read: " + e.getMessage());
    }
    Path directory = file.toAbsolutePath().getParent();
    Map<String, String> variables = new HashMap<>();
    Path dotEnv = directory.resolve(".env");
    if (Files.isRegularFile(dotEnv)) {
      variables.putAll(EnvFile.read(dotEnv, null));
    }
    variables.putAll(environment);

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
    if (yaml.isEmpty()) {
      throw new StackFileException(file, 0, null, "the stack file is empty");
    }
    Node root = new Node(yaml.get(), "", new Node.Context(file, new Interpolation(variables)));
    Map<String, Node> top = root.mapping();
    for (Map.Entry<String, Node> e : top.entrySet()) {
      if (Set.of("configs", "secrets", "include", "models").contains(e.getKey())) {
        throw e.getValue().error("not supported by deploykit yet");
      }
      if (!TOP_KEYS.contains(e.getKey()) && !e.getKey().startsWith("x-")) {
        throw e.getValue().error("unknown top-level key" + Suggestions.hint(e.getKey(), TOP_KEYS));
      }
    }
    Node services = top.get("services");
    if (services == null || services.isNull() || services.mapping().isEmpty()) {
      throw new StackFileException(file, root.line(), "services", "the stack has no services");
    }
    Set<String> declaredVolumes = declared(top.get("volumes"));
    Set<String> declaredNetworks = declared(top.get("networks"));

    ServiceReader reader = new ServiceReader(directory, variables);
    List<Service> list = new ArrayList<>();
    for (Map.Entry<String, Node> e : services.mapping().entrySet()) {
      Service service = reader.read(e.getKey(), e.getValue());
      for (VolumeMount v : service.volumes()) {
        if (v.type().equals("volume") && !declaredVolumes.contains(v.source())) {
          throw e.getValue().error("volume " + v.source()
              + " is not declared under the top-level volumes key");
        }
      }
      for (String n : service.networks()) {
        if (!n.equals("default") && !declaredNetworks.contains(n)) {
          throw e.getValue().error("network " + n
              + " is not declared under the top-level networks key");
        }
      }
      list.add(service);
    }

    String name = projectName != null ? projectName
        : top.containsKey("name") ? top.get("name").string()
        : normalizeName(directory.getFileName() == null ? "stack" : directory.getFileName().toString());
    try {
      StackSettings settings = settings(top.get("x-deploykit"), directory);
      Node dbNode = top.get("x-deploykit") == null ? null : top.get("x-deploykit").mapping().get("db_init");
      Optional.ofNullable(settings.database()).ifPresent(db -> {
        Service service = list.stream().filter(s -> s.name().equals(db.service())).findFirst()
            .orElseThrow(() -> dbNode.error("service " + db.service() + " is not in the stack"));
        if (service.role() != dev.deploykit.core.Role.ACCESSORY) {
          throw dbNode.error("service " + db.service() + " must be an accessory to hold the database");
        }
      });
      return new Stack(name, list, settings);
    } catch (IllegalArgumentException e) {
      throw new StackFileException(file, top.containsKey("name") ? top.get("name").line() : 0,
          "name", e.getMessage());
    }
  }

  private static StackSettings settings(@Nullable Node node, Path directory) {
    if (node == null || node.isNull()) {
      return StackSettings.defaults();
    }
    Map<String, Node> keys = node.mapping();
    for (Map.Entry<String, Node> e : keys.entrySet()) {
      if (!STACK_KEYS.contains(e.getKey())) {
        throw e.getValue().error("unknown key" + Suggestions.hint(e.getKey(), STACK_KEYS)
            + "; the stack's x-deploykit takes db_init, notify_webhook, proxy_port, retain");
      }
    }
    URI webhook = null;
    Node hook = keys.get("notify_webhook");
    if (hook != null && !hook.isNull()) {
      String text = hook.string();
      try {
        webhook = new URI(text);
      } catch (URISyntaxException e) {
        // The URL holds a secret: say where, not what.
        throw hook.error("not a valid URL");
      }
    }
    try {
      return new StackSettings(
          keys.containsKey("retain") ? keys.get("retain").integer() : StackSettings.DEFAULT_RETAIN,
          keys.containsKey("proxy_port") ? keys.get("proxy_port").integer() : StackSettings.DEFAULT_PROXY_PORT,
          webhook,
          keys.containsKey("db_init") ? database(keys.get("db_init"), directory) : null);
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
  }

  private static DatabaseSettings database(Node node, Path directory) {
    Map<String, Node> keys = node.mapping();
    for (Map.Entry<String, Node> e : keys.entrySet()) {
      if (!DB_KEYS.contains(e.getKey())) {
        throw e.getValue().error("unknown key" + Suggestions.hint(e.getKey(), DB_KEYS));
      }
    }
    for (String required : List.of("service", "database", "user", "password")) {
      if (!keys.containsKey(required) || keys.get(required).isNull()) {
        throw node.error(required + " is required in db_init");
      }
    }
    List<String> migrations = new ArrayList<>();
    if (keys.containsKey("migrations")) {
      for (String location : keys.get("migrations").strings()) {
        if (location.startsWith("classpath:") || location.startsWith("filesystem:")) {
          migrations.add(location);
        } else {
          Path folder = directory.resolve(location).toAbsolutePath().normalize();
          if (!Files.isDirectory(folder)) {
            throw keys.get("migrations").error("migrations folder " + folder + " does not exist");
          }
          migrations.add("filesystem:" + folder);
        }
      }
    }
    Node ro = keys.get("readonly_user");
    Node roPassword = keys.get("readonly_password");
    try {
      return new DatabaseSettings(keys.get("service").string(),
          keys.containsKey("port") ? keys.get("port").integer() : 5432,
          keys.get("database").string(), keys.get("user").string(), keys.get("password").string(),
          migrations,
          ro == null ? null : ro.string(), roPassword == null ? null : roPassword.string(),
          keys.containsKey("timeout") ? ComposeDurations.parse(keys.get("timeout")) : Duration.ofSeconds(60));
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
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
