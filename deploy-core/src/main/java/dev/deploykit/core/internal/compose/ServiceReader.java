package dev.deploykit.core.internal.compose;

import dev.deploykit.core.Dependency;
import dev.deploykit.core.Probe;
import dev.deploykit.core.Service;
import dev.deploykit.core.ServiceDeploy;
import dev.deploykit.core.engine.ContainerHealthcheck;
import dev.deploykit.core.engine.PortMapping;
import dev.deploykit.core.engine.VolumeMount;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Reads one entry of a Compose file's {@code services} into a {@link Service}. The model's rules
 * are checked here first, so that an error names the YAML key, the file and the line.
 */
final class ServiceReader {
  static final Set<String> KEYS = Set.of("image", "command", "entrypoint", "environment",
      "env_file", "ports", "volumes", "networks", "healthcheck", "depends_on", "labels",
      "stop_grace_period", "stop_signal", "deploy", "restart", "x-deploykit");
  private static final Set<String> HEALTHCHECK_KEYS = Set.of("test", "interval", "timeout",
      "retries", "start_period", "start_interval", "disable");
  private static final Set<String> DEPENDENCY_KEYS = Set.of("condition", "restart", "required");

  private final Path directory;
  private final ServiceEnvironment environment;

  /**
   * @param directory the Compose file's folder, against which relative paths resolve
   * @param variables the stack's variables (the shell's, then {@code .env}'s): a bare {@code KEY}
   *     in {@code environment} takes its value from them
   */
  ServiceReader(Path directory, Map<String, String> variables) {
    this.directory = directory;
    this.environment = new ServiceEnvironment(directory, variables);
  }

  Service read(String name, Node node) {
    Map<String, Node> keys = node.mapping();
    checkKeys(keys);
    Service.Builder b = builder(name, node, keys);
    Node deploykit = keys.get("x-deploykit");
    ServiceDeploy deploy = deploykit == null ? ServiceDeployReader.accessory() : ServiceDeployReader.read(deploykit);
    b.deploy(deploy);
    guard(keys.get("command"), n -> b.command(words(n)));
    guard(keys.get("entrypoint"), n -> b.entrypoint(words(n)));
    b.environment(environment.read(keys.get("environment"), keys.get("env_file")));
    for (Node port : sequence(keys.get("ports"))) {
      guard(port, n -> b.port(port(n)));
    }
    for (Node volume : sequence(keys.get("volumes"))) {
      guard(volume, n -> b.volume(volume(n)));
    }
    networks(keys.get("networks")).forEach(b::network);
    guard(keys.get("healthcheck"), n -> b.healthcheck(healthcheck(n)));
    dependencies(keys.get("depends_on")).forEach(b::dependsOn);
    guard(keys.get("labels"), n -> b.labels(KeyValues.read(n, null)));
    containerSettings(b, keys);
    boolean watchWindowSet = deploykit != null && deploykit.isMapping() && deploykit.mapping().containsKey("watch_window");
    guard(keys.get("deploy"), n -> b.deploy(DeploySectionReader.read(n, b, deploy, watchWindowSet)));
    Service service;
    try {
      service = b.build();
    } catch (IllegalArgumentException e) {
      // Every rule is checked before; should the model grow one, it still gets a file and line.
      throw (deploykit != null ? deploykit : node).error(e.getMessage());
    }
    requireProbePort(service, deploykit);
    return service;
  }

  private static void checkKeys(Map<String, Node> keys) {
    for (Map.Entry<String, Node> e : keys.entrySet()) {
      if (e.getKey().equals("build")) {
        throw e.getValue().error("not supported: deploykit deploys images and does not build"
            + " them; build and push the image, then name it under image");
      }
      if (!KEYS.contains(e.getKey()) && !e.getKey().startsWith("x-")) {
        throw e.getValue().error("unknown or unsupported key" + Suggestions.hint(e.getKey(), KEYS));
      }
    }
  }

  private static Service.Builder builder(String name, Node node, Map<String, Node> keys) {
    if (!name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
      throw node.error("a service name must start with a letter or digit and hold only letters,"
          + " digits, _ . and -");
    }
    Node image = keys.get("image");
    if (image == null || image.isNull()) {
      throw node.error("image is required: deploykit runs images and does not build them");
    }
    String reference = image.string();
    if (reference.isBlank()) {
      throw image.error("image must not be empty");
    }
    return Service.builder(name).image(reference);
  }

  /** {@code stop_grace_period}, {@code stop_signal} and {@code restart}. */
  private static void containerSettings(Service.Builder b, Map<String, Node> keys) {
    guard(keys.get("stop_grace_period"), n -> b.stopGracePeriod(ComposeDurations.parse(n)));
    guard(keys.get("stop_signal"), n -> b.stopSignal(n.string()));
    guard(keys.get("restart"), n -> {
      String restart = n.string().strip();
      if (!restart.matches("no|always|unless-stopped|on-failure(:\\d+)?")) {
        throw n.error("expected no, always, unless-stopped or on-failure[:N], found \"" + restart + "\"");
      }
      b.restart(restart);
    });
  }

  /** A probe the file names must have a port to reach: its default, health_port, or a port. */
  private static void requireProbePort(Service service, @Nullable Node deploykit) {
    Node probe = deploykit == null ? null : deploykit.mapping().get("probe");
    if (probe == null || probe.isNull() || service.deploy().probe() == Probe.CONTAINER) {
      return;
    }
    if (service.probePort().isEmpty()) {
      throw probe.error("probe " + service.deploy().probe().name().toLowerCase(Locale.ROOT)
          + " needs a port: set x-deploykit.health_port, or list the container port under ports");
    }
  }

  private static List<String> words(Node node) {
    return node.isSequence() ? node.strings() : ShellWords.split(node.string(), node);
  }

  private static List<String> networks(@Nullable Node node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (node.isMapping()) {
      return List.copyOf(node.mapping().keySet());
    }
    return node.sequence().stream().map(Node::string).toList();
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

  /**
   * The entries of a {@code depends_on} (list or mapping form) by the service they name, each
   * with the node to report a problem at.
   */
  static Map<String, Node> dependencyEntries(@Nullable Node node) {
    Map<String, Node> entries = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return entries;
    }
    if (node.isSequence()) {
      for (Node item : node.sequence()) {
        if (entries.put(item.string(), item) != null) {
          throw item.error("duplicate entry " + item.string());
        }
      }
      return entries;
    }
    entries.putAll(node.mapping());
    return entries;
  }

  private static List<Dependency> dependencies(@Nullable Node node) {
    List<Dependency> result = new ArrayList<>();
    boolean longForm = node != null && node.isMapping();
    for (Map.Entry<String, Node> e : dependencyEntries(node).entrySet()) {
      Dependency.Condition condition = Dependency.Condition.SERVICE_STARTED;
      if (longForm && !e.getValue().isNull()) {
        Map<String, Node> keys = e.getValue().mapping();
        for (Map.Entry<String, Node> k : keys.entrySet()) {
          if (!DEPENDENCY_KEYS.contains(k.getKey())) {
            throw k.getValue().error("unknown key" + Suggestions.hint(k.getKey(), DEPENDENCY_KEYS));
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

  private static Duration duration(@Nullable Node node, Duration fallback) {
    return node == null || node.isNull() ? fallback : ComposeDurations.parse(node);
  }

  private static List<Node> sequence(@Nullable Node node) {
    return node == null || node.isNull() ? List.of() : node.sequence();
  }

  /** Runs a setter, turning a validation failure into an error at that node. */
  private static void guard(@Nullable Node node, Consumer<Node> setter) {
    if (node == null || node.isNull()) {
      return;
    }
    try {
      setter.accept(node);
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
  }
}
