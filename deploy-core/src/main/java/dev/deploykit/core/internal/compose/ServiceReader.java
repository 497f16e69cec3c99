package dev.deploykit.core.internal.compose;

import dev.deploykit.core.Dependency;
import dev.deploykit.core.engine.ContainerHealthcheck;
import dev.deploykit.core.engine.PortMapping;
import dev.deploykit.core.Role;
import dev.deploykit.core.Service;
import dev.deploykit.core.ServiceDeploy;
import dev.deploykit.core.engine.VolumeMount;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads one entry of a Compose file's {@code services} into a {@link Service}. */
final class ServiceReader {
  static final Set<String> KEYS = Set.of("image", "command", "entrypoint", "environment",
      "env_file", "ports", "volumes", "networks", "healthcheck", "depends_on", "labels",
      "stop_grace_period", "stop_signal", "deploy", "restart", "x-deploykit");
  static final Set<String> DEPLOYKIT_KEYS = Set.of("role", "health_path", "health_port",
      "deploy_timeout", "drain_timeout", "watch_window");
  private static final Set<String> HEALTHCHECK_KEYS = Set.of("test", "interval", "timeout",
      "retries", "start_period", "start_interval", "disable");

  private final Path directory;
  private final Map<String, String> shell;

  /**
   * @param directory the Compose file's folder, against which relative paths resolve
   * @param shell the variables a bare {@code KEY} in {@code environment} takes its value from
   */
  ServiceReader(Path directory, Map<String, String> shell) {
    this.directory = directory;
    this.shell = shell;
  }

  Service read(String name, Node node) {
    Map<String, Node> keys = node.mapping();
    for (Map.Entry<String, Node> e : keys.entrySet()) {
      if (e.getKey().equals("build")) {
        throw e.getValue().error("not supported: deploykit deploys images and does not build"
            + " them; build and push the image, then name it under image");
      }
      if (!KEYS.contains(e.getKey()) && !e.getKey().startsWith("x-")) {
        throw e.getValue().error("unknown or unsupported key" + Suggestions.hint(e.getKey(), KEYS));
      }
    }
    Node image = keys.get("image");
    if (image == null || image.isNull()) {
      throw node.error("image is required: deploykit runs images and does not build them");
    }
    Service.Builder b;
    try {
      b = Service.builder(name).image(image.string());
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
    Node deploykit = keys.get("x-deploykit");
    b.deploy(deploykit == null ? ServiceDeploy.of(Role.ACCESSORY) : deploy(deploykit));
    guard(keys.get("command"), n -> b.command(words(n)));
    guard(keys.get("entrypoint"), n -> b.entrypoint(words(n)));
    Map<String, String> environment = new LinkedHashMap<>();
    if (keys.containsKey("env_file")) {
      for (Node file : list(keys.get("env_file"))) {
        environment.putAll(envFile(file));
      }
    }
    if (keys.containsKey("environment")) {
      environment.putAll(keyValues(keys.get("environment"), true));
    }
    b.environment(environment);
    for (Node port : sequence(keys.get("ports"))) {
      guard(port, n -> b.port(port(n)));
    }
    for (Node volume : sequence(keys.get("volumes"))) {
      guard(volume, n -> b.volume(volume(n)));
    }
    Node networks = keys.get("networks");
    if (networks != null && !networks.isNull()) {
      if (networks.isMapping()) {
        networks.mapping().keySet().forEach(b::network);
      } else {
        networks.sequence().forEach(n -> b.network(n.string()));
      }
    }
    guard(keys.get("healthcheck"), n -> b.healthcheck(healthcheck(n)));
    for (Dependency d : dependencies(keys.get("depends_on"))) {
      b.dependsOn(d);
    }
    if (keys.containsKey("labels")) {
      b.labels(keyValues(keys.get("labels"), false));
    }
    guard(keys.get("stop_grace_period"), n -> b.stopGracePeriod(ComposeDurations.parse(n)));
    guard(keys.get("stop_signal"), n -> b.stopSignal(n.string()));
    guard(keys.get("restart"), n -> b.restart(n.string()));
    guard(keys.get("deploy"), n -> {
      for (Map.Entry<String, Node> e : n.mapping().entrySet()) {
        if (!e.getKey().equals("replicas")) {
          throw e.getValue().error("not supported: under deploy, deploykit reads replicas only");
        }
        b.replicas(e.getValue().integer());
      }
    });
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw (deploykit != null ? deploykit : node).error(e.getMessage());
    }
  }

  private ServiceDeploy deploy(Node node) {
    Map<String, Node> keys = node.mapping();
    for (Map.Entry<String, Node> e : keys.entrySet()) {
      if (!DEPLOYKIT_KEYS.contains(e.getKey())) {
        throw e.getValue().error("unknown key" + Suggestions.hint(e.getKey(), DEPLOYKIT_KEYS)
            + "; x-deploykit of a service takes " + String.join(", ", sorted(DEPLOYKIT_KEYS)));
      }
    }
    Node roleNode = keys.get("role");
    Role role = Role.ACCESSORY;
    if (roleNode != null) {
      String text = roleNode.string().strip();
      try {
        role = Role.valueOf(text.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw roleNode.error("expected web, worker or accessory, found \"" + text + "\"");
      }
    }
    Node path = keys.get("health_path");
    Node port = keys.get("health_port");
    try {
      return new ServiceDeploy(role,
          path == null ? null : path.string(),
          port == null ? null : port.integer(),
          duration(keys.get("deploy_timeout"), ServiceDeploy.DEFAULT_DEPLOY_TIMEOUT),
          duration(keys.get("drain_timeout"), ServiceDeploy.DEFAULT_DRAIN_TIMEOUT),
          duration(keys.get("watch_window"), ServiceDeploy.DEFAULT_WATCH_WINDOW));
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
  }

  private static Duration duration(Node node, Duration fallback) {
    return node == null || node.isNull() ? fallback : ComposeDurations.parse(node);
  }

  private static List<String> words(Node node) {
    return node.isSequence() ? node.strings() : ShellWords.split(node.string(), node);
  }

  private Map<String, String> envFile(Node node) {
    String path;
    boolean required = true;
    if (node.isMapping()) {
      Map<String, Node> keys = node.mapping();
      Node p = keys.get("path");
      if (p == null) {
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
    if (!required && !java.nio.file.Files.exists(file)) {
      return Map.of();
    }
    return EnvFile.read(file, node);
  }

  /** {@code environment} or {@code labels}, in their mapping or their list form. */
  private Map<String, String> keyValues(Node node, boolean fromShell) {
    Map<String, String> values = new LinkedHashMap<>();
    if (node.isNull()) {
      return values;
    }
    if (node.isMapping()) {
      for (Map.Entry<String, Node> e : node.mapping().entrySet()) {
        String value = e.getValue().stringOrNull();
        if (value == null && fromShell) {
          value = shell.get(e.getKey());
        }
        if (value != null) {
          values.put(e.getKey(), value);
        } else if (!fromShell) {
          values.put(e.getKey(), "");
        }
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
        String value = fromShell ? shell.get(text) : "";
        if (value != null) {
          values.put(text, value);
        }
      } else {
        values.put(text.substring(0, eq), text.substring(eq + 1));
      }
    }
    return values;
  }

  private static PortMapping port(Node node) {
    if (node.isMapping()) {
      Map<String, Node> keys = node.mapping();
      for (Map.Entry<String, Node> e : keys.entrySet()) {
        if (!Set.of("target", "published", "host_ip", "protocol", "mode", "name").contains(e.getKey())) {
          throw e.getValue().error("unknown key" + Suggestions.hint(e.getKey(),
              Set.of("target", "published", "host_ip", "protocol")));
        }
      }
      Node target = keys.get("target");
      if (target == null) {
        throw node.error("a port needs a target (the container port)");
      }
      Node published = keys.get("published");
      return new PortMapping(
          keys.containsKey("host_ip") ? keys.get("host_ip").string() : null,
          published == null || published.isNull() ? null : portNumber(published, published.string()),
          target.integer(),
          keys.containsKey("protocol") ? keys.get("protocol").string() : "tcp");
    }
    String text = node.string().strip();
    String protocol = "tcp";
    int slash = text.lastIndexOf('/');
    if (slash >= 0) {
      protocol = text.substring(slash + 1);
      text = text.substring(0, slash);
    }
    String hostIp = null;
    if (text.startsWith("[")) {
      int close = text.indexOf("]:");
      if (close < 0) {
        throw node.error("expected [IPv6]:HOST:CONTAINER, found \"" + node.string() + "\"");
      }
      hostIp = text.substring(1, close);
      text = text.substring(close + 2);
    }
    String[] parts = text.split(":", -1);
    if (text.contains("-")) {
      throw node.error("port ranges are not supported: list each port");
    }
    return switch (parts.length) {
      case 1 -> new PortMapping(hostIp, null, portNumber(node, parts[0]), protocol);
      case 2 -> new PortMapping(hostIp, parts[0].isEmpty() ? null : portNumber(node, parts[0]),
          portNumber(node, parts[1]), protocol);
      case 3 -> new PortMapping(parts[0], parts[1].isEmpty() ? null : portNumber(node, parts[1]),
          portNumber(node, parts[2]), protocol);
      default -> throw node.error("expected [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL], found \""
          + node.string() + "\"");
    };
  }

  private static int portNumber(Node node, String text) {
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw node.error("expected a port number, found \"" + text + "\"");
    }
  }

  private VolumeMount volume(Node node) {
    if (node.isMapping()) {
      Map<String, Node> keys = node.mapping();
      for (Map.Entry<String, Node> e : keys.entrySet()) {
        if (!Set.of("type", "source", "target", "read_only").contains(e.getKey())) {
          throw e.getValue().error("unknown or unsupported key" + Suggestions.hint(e.getKey(),
              Set.of("type", "source", "target", "read_only")));
        }
      }
      String type = keys.containsKey("type") ? keys.get("type").string() : "volume";
      if (!keys.containsKey("source") || !keys.containsKey("target")) {
        throw node.error("a volume needs a source and a target; anonymous volumes are lost"
            + " when a release replaces the container");
      }
      String source = keys.get("source").string();
      return new VolumeMount(type, type.equals("bind") ? hostPath(source) : source,
          keys.get("target").string(),
          keys.containsKey("read_only") && keys.get("read_only").bool());
    }
    String[] parts = node.string().split(":", -1);
    if (parts.length == 1) {
      throw node.error("anonymous volumes are lost when a release replaces the container:"
          + " name it (NAME:" + parts[0] + ")");
    }
    if (parts.length > 3) {
      throw node.error("expected SOURCE:TARGET[:ro|rw], found \"" + node.string() + "\"");
    }
    boolean readOnly = false;
    if (parts.length == 3) {
      for (String option : parts[2].split(",")) {
        switch (option) {
          case "ro" -> readOnly = true;
          case "rw", "z", "Z" -> { }
          default -> throw node.error("unknown volume option \"" + option + "\" (use ro or rw)");
        }
      }
    }
    String source = parts[0];
    boolean bind = source.startsWith(".") || source.startsWith("/") || source.startsWith("~");
    return new VolumeMount(bind ? "bind" : "volume", bind ? hostPath(source) : source, parts[1], readOnly);
  }

  private String hostPath(String source) {
    if (source.startsWith("~")) {
      return Path.of(System.getProperty("user.home") + source.substring(1)).normalize().toString();
    }
    return directory.resolve(source).toAbsolutePath().normalize().toString();
  }

  private static ContainerHealthcheck healthcheck(Node node) {
    Map<String, Node> keys = node.mapping();
    for (Map.Entry<String, Node> e : keys.entrySet()) {
      if (!HEALTHCHECK_KEYS.contains(e.getKey())) {
        throw e.getValue().error("unknown key" + Suggestions.hint(e.getKey(), HEALTHCHECK_KEYS));
      }
    }
    List<String> test;
    if (keys.containsKey("disable") && keys.get("disable").bool()) {
      test = List.of("NONE");
    } else if (!keys.containsKey("test")) {
      throw node.error("a healthcheck needs a test (or disable: true)");
    } else if (keys.get("test").isSequence()) {
      test = keys.get("test").strings();
      if (test.isEmpty() || !Set.of("CMD", "CMD-SHELL", "NONE").contains(test.getFirst())) {
        throw keys.get("test").error("a test list starts with CMD, CMD-SHELL or NONE");
      }
    } else {
      test = List.of("CMD-SHELL", keys.get("test").string());
    }
    return new ContainerHealthcheck(test,
        duration(keys.get("interval"), Duration.ofSeconds(30)),
        duration(keys.get("timeout"), Duration.ofSeconds(30)),
        keys.containsKey("retries") ? keys.get("retries").integer() : 3,
        duration(keys.get("start_period"), Duration.ZERO));
  }

  private static List<Dependency> dependencies(Node node) {
    List<Dependency> result = new ArrayList<>();
    if (node == null || node.isNull()) {
      return result;
    }
    if (node.isSequence()) {
      for (Node item : node.sequence()) {
        result.add(new Dependency(item.string(), Dependency.Condition.SERVICE_STARTED));
      }
      return result;
    }
    for (Map.Entry<String, Node> e : node.mapping().entrySet()) {
      Dependency.Condition condition = Dependency.Condition.SERVICE_STARTED;
      if (!e.getValue().isNull()) {
        Map<String, Node> keys = e.getValue().mapping();
        for (Map.Entry<String, Node> k : keys.entrySet()) {
          if (!Set.of("condition", "restart", "required").contains(k.getKey())) {
            throw k.getValue().error("unknown key" + Suggestions.hint(k.getKey(),
                Set.of("condition", "restart", "required")));
          }
        }
        Node c = keys.get("condition");
        if (c != null) {
          String text = c.string().strip();
          try {
            condition = Dependency.Condition.valueOf(text.toUpperCase(Locale.ROOT));
          } catch (IllegalArgumentException ex) {
            throw c.error("expected service_started, service_healthy or"
                + " service_completed_successfully, found \"" + text + "\"");
          }
        }
      }
      result.add(new Dependency(e.getKey(), condition));
    }
    return result;
  }

  private static List<Node> list(Node node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    return node.isSequence() ? node.sequence() : List.of(node);
  }

  private static List<Node> sequence(Node node) {
    return node == null || node.isNull() ? List.of() : node.sequence();
  }

  /** Runs a setter, turning a validation failure into an error at that node. */
  private static void guard(Node node, java.util.function.Consumer<Node> setter) {
    if (node == null || node.isNull()) {
      return;
    }
    try {
      setter.accept(node);
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
  }

  private static List<String> sorted(Set<String> keys) {
    return keys.stream().sorted().toList();
  }
}
