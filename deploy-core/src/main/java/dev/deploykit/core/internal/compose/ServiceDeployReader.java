package dev.deploykit.core.internal.compose;

import dev.deploykit.core.Probe;
import dev.deploykit.core.Role;
import dev.deploykit.core.ServiceDeploy;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads a service's {@code x-deploykit} block into a {@link ServiceDeploy}. Every rule of the
 * model is checked here first, so that its errors name the YAML key, file and line rather than
 * the Java setting.
 */
final class ServiceDeployReader {
  static final Set<String> KEYS = Set.of("role", "health_path", "health_port", "probe",
      "deploy_timeout", "drain_timeout", "watch_window");
  private static final List<String> PROBES =
      Arrays.stream(Probe.values()).map(p -> p.name().toLowerCase(Locale.ROOT)).toList();

  private ServiceDeployReader() {}

  /** The settings of a service without {@code x-deploykit}: an accessory, started once and kept. */
  static ServiceDeploy accessory() {
    return ServiceDeploy.of(Role.ACCESSORY);
  }

  static ServiceDeploy read(Node node) {
    Map<String, Node> keys = node.mapping();
    for (Map.Entry<String, Node> e : keys.entrySet()) {
      if (!KEYS.contains(e.getKey())) {
        throw e.getValue().error("unknown key" + Suggestions.hint(e.getKey(), KEYS)
            + "; x-deploykit of a service takes " + String.join(", ", KEYS.stream().sorted().toList()));
      }
    }
    Role role = role(keys.get("role"));
    String path = healthPath(keys.get("health_path"));
    Node probeNode = keys.get("probe");
    Probe probe = probeNode == null || probeNode.isNull()
        ? ServiceDeploy.defaultProbe(role, path) : probe(probeNode);
    if (role == Role.WEB && path == null) {
      throw node.error("health_path is required for a web service: traffic switches to a new"
          + " release only after that path answers 2xx");
    }
    if (role == Role.WEB && probe != Probe.HTTP) {
      throw probeNode.error("a web service is probed over HTTP at its health_path, not "
          + probe.name().toLowerCase(Locale.ROOT) + "; remove probe or set it to http");
    }
    if (probe == Probe.HTTP && path == null) {
      throw node.error("health_path is required with probe: http");
    }
    try {
      return new ServiceDeploy(role, path, healthPort(keys.get("health_port")),
          duration(keys.get("deploy_timeout"), ServiceDeploy.DEFAULT_DEPLOY_TIMEOUT, true),
          duration(keys.get("drain_timeout"), ServiceDeploy.DEFAULT_DRAIN_TIMEOUT, false),
          duration(keys.get("watch_window"), ServiceDeploy.DEFAULT_WATCH_WINDOW, false),
          probe);
    } catch (IllegalArgumentException e) {
      // Every rule is checked above; should the model grow one, it still gets a file and line.
      throw node.error(e.getMessage());
    }
  }

  private static Role role(@Nullable Node node) {
    if (node == null || node.isNull()) {
      return Role.ACCESSORY;
    }
    String text = node.string().strip();
    try {
      return Role.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw node.error("expected web, worker or accessory, found \"" + text + "\"");
    }
  }

  private static Probe probe(Node node) {
    String text = node.string().strip().toLowerCase(Locale.ROOT);
    if (!PROBES.contains(text)) {
      throw node.error("expected " + String.join(", ", PROBES.subList(0, PROBES.size() - 1))
          + " or " + PROBES.getLast() + ", found \"" + node.string().strip() + "\""
          + Suggestions.hint(text, PROBES));
    }
    return Probe.valueOf(text.toUpperCase(Locale.ROOT));
  }

  private static @Nullable String healthPath(@Nullable Node node) {
    if (node == null || node.isNull()) {
      return null;
    }
    String path = node.string();
    if (!path.startsWith("/")) {
      throw node.error("health_path must start with /, found \"" + path + "\"");
    }
    return path;
  }

  private static @Nullable Integer healthPort(@Nullable Node node) {
    if (node == null || node.isNull()) {
      return null;
    }
    int port = node.integer();
    if (port < 1 || port > 65535) {
      throw node.error("health_port must be 1-65535, found " + port);
    }
    return port;
  }

  private static Duration duration(@Nullable Node node, Duration fallback, boolean positive) {
    if (node == null || node.isNull()) {
      return fallback;
    }
    Duration d = ComposeDurations.parse(node);
    if (positive && d.isZero()) {
      throw node.error("must be more than 0, found \"" + node.string().strip() + "\"");
    }
    return d;
  }
}
