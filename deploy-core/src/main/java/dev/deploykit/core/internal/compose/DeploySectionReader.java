package dev.deploykit.core.internal.compose;

import dev.deploykit.core.Placement;
import dev.deploykit.core.engine.Resources;
import dev.deploykit.core.Service;
import dev.deploykit.core.ServiceDeploy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads a Compose service's {@code deploy} section: {@code replicas}, {@code resources} (limits
 * and reservations of {@code cpus} and {@code memory}), {@code placement} ({@code constraints},
 * {@code max_replicas_per_node}), and of {@code update_config} and {@code rollback_config} what
 * deploykit's release does: {@code order: start-first}, {@code failure_action: rollback}, and
 * {@code monitor}, which becomes the watch window unless {@code x-deploykit.watch_window} is set.
 * The keys and values it does not run are refused, each with why: its release replaces every
 * replica at once behind its proxy once they are all healthy, so {@code parallelism}, {@code
 * delay} or {@code order: stop-first} would say something it does not do.
 */
final class DeploySectionReader {
  static final Set<String> KEYS = Set.of("replicas", "resources", "placement", "update_config", "rollback_config");
  private static final Set<String> UPDATE_KEYS = Set.of("order", "failure_action", "monitor");
  private static final String WHOLE_RELEASE = "deploykit's release starts every new replica, waits until all are"
      + " healthy, then switches its proxy to them at once and rolls back by switching back";
  private static final Set<String> RESOURCE_KEYS = Set.of("limits", "reservations");
  private static final Set<String> AMOUNT_KEYS = Set.of("cpus", "memory");
  private static final Set<String> PLACEMENT_KEYS = Set.of("constraints", "max_replicas_per_node");
  private static final Map<String, String> NOT_RUN = Map.of(
      "restart_policy", "use the service's restart: key on one host; on a cluster deploykit restarts a task"
          + " that exits",
      "mode", "services are replicated (deploy.replicas)",
      "endpoint_mode", "deploykit uses dnsrr on a cluster: its proxy reaches the tasks itself",
      "labels", "use the service's labels: key");
  private static final Pattern BYTES = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)b?");

  private DeploySectionReader() {}

  /**
   * Reads the section into {@code b}.
   *
   * @param settings the service's deploykit settings so far
   * @param watchWindowSet whether {@code x-deploykit.watch_window} is given (it wins over {@code monitor})
   * @return the settings with what {@code update_config} says
   */
  static ServiceDeploy read(Node deploy, Service.Builder b, ServiceDeploy settings, boolean watchWindowSet) {
    ServiceDeploy result = settings;
    for (Map.Entry<String, Node> e : deploy.mapping().entrySet()) {
      String key = e.getKey();
      Node value = e.getValue();
      switch (key) {
        case "replicas" -> {
          int replicas = value.integer();
          if (replicas < 1) {
            throw value.error("replicas must be at least 1, found " + replicas);
          }
          b.replicas(replicas);
        }
        case "resources" -> b.resources(resources(value));
        case "placement" -> b.placement(placement(value));
        case "update_config" -> {
          Duration monitor = releaseConfig(value, key);
          if (monitor != null && !watchWindowSet) {
            try {
              result = result.withWatchWindow(monitor);
            } catch (IllegalArgumentException bad) {
              throw value.mapping().get("monitor").error(bad.getMessage());
            }
          }
        }
        case "rollback_config" -> {
          if (value.mapping().containsKey("monitor")) {
            throw value.mapping().get("monitor").error("rollback_config.monitor is not run by deploykit: a rollback"
                + " switches the proxy back to the release that served before, which needs no watch. Remove it.");
          }
          releaseConfig(value, key);
        }
        default -> {
          String why = NOT_RUN.get(key);
          throw value.error("deploy." + key + " is not run by deploykit" + (why == null
              ? "; under deploy it reads replicas, resources, placement, update_config and rollback_config"
                  + Suggestions.hint(key, KEYS)
              : ": " + why + ". Remove it."));
        }
      }
    }
    return result;
  }

  /** {@code order}, {@code failure_action} and {@code monitor} of an update or rollback config; returns the monitor. */
  private static @Nullable Duration releaseConfig(Node node, String section) {
    Duration monitor = null;
    for (Map.Entry<String, Node> e : node.mapping().entrySet()) {
      Node value = e.getValue();
      switch (e.getKey()) {
        case "order" -> {
          if (!value.string().strip().equals("start-first")) {
            throw value.error(section + ".order: " + value.string().strip() + " is not run by deploykit: "
                + WHOLE_RELEASE + ", so the old release serves until the new one is proven; use start-first or"
                + " remove it");
          }
        }
        case "failure_action" -> {
          if (!value.string().strip().equals("rollback")) {
            throw value.error(section + ".failure_action: " + value.string().strip() + " is not run by deploykit:"
                + " a release that fails its gate or its watch window is rolled back; use rollback or remove it");
          }
        }
        case "monitor" -> monitor = ComposeDurations.parse(value);
        case "parallelism", "delay", "max_failure_ratio" -> throw value.error(section + "." + e.getKey()
            + " is not run by deploykit: " + WHOLE_RELEASE + ". Remove it.");
        default -> throw value.error("under deploy." + section + " deploykit reads order, failure_action and monitor"
            + Suggestions.hint(e.getKey(), UPDATE_KEYS));
      }
    }
    return monitor;
  }

  private static Resources resources(Node node) {
    long[] limits = {0, 0};
    long[] reservations = {0, 0};
    for (Map.Entry<String, Node> e : node.mapping().entrySet()) {
      if (!RESOURCE_KEYS.contains(e.getKey())) {
        throw e.getValue().error("under deploy.resources deploykit reads limits and reservations"
            + Suggestions.hint(e.getKey(), RESOURCE_KEYS));
      }
      amounts(e.getValue(), e.getKey().equals("limits") ? limits : reservations, e.getKey());
    }
    try {
      return new Resources(limits[0], limits[1], reservations[0], reservations[1]);
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
  }

  /** {@code cpus} into [0] (billionths), {@code memory} into [1] (bytes). */
  private static void amounts(Node node, long[] into, String section) {
    for (Map.Entry<String, Node> e : node.mapping().entrySet()) {
      Node value = e.getValue();
      switch (e.getKey()) {
        case "cpus" -> into[0] = cpus(value);
        case "memory" -> into[1] = bytes(value);
        default -> throw value.error("under deploy.resources." + section + " deploykit reads cpus and memory"
            + Suggestions.hint(e.getKey(), AMOUNT_KEYS));
      }
    }
  }

  private static long cpus(Node node) {
    String text = node.string().strip();
    try {
      BigDecimal cpus = new BigDecimal(text);
      if (cpus.signum() <= 0) {
        throw node.error("cpus must be above 0, found \"" + text + "\"");
      }
      return cpus.movePointRight(9).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw node.error("expected a number of CPUs such as 0.5 or 2, found \"" + text + "\"");
    }
  }

  /** Compose's byte values: {@code 512m}, {@code 1gb}, {@code 2G}, {@code 1024k}, or bytes. */
  static long bytes(Node node) {
    String text = node.string().strip();
    Matcher m = BYTES.matcher(text.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw node.error("expected an amount of memory such as 512m, 1g or 1073741824, found \"" + text + "\"");
    }
    int shift = switch (m.group(2)) {
      case "k" -> 10;
      case "m" -> 20;
      case "g" -> 30;
      case "t" -> 40;
      default -> 0;
    };
    BigDecimal amount = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1L << shift));
    if (amount.signum() <= 0) {
      throw node.error("memory must be above 0, found \"" + text + "\"");
    }
    return amount.longValue();
  }

  private static Placement placement(Node node) {
    List<String> constraints = new ArrayList<>();
    int max = 0;
    for (Map.Entry<String, Node> e : node.mapping().entrySet()) {
      Node value = e.getValue();
      switch (e.getKey()) {
        case "constraints" -> {
          for (Node c : value.sequence()) {
            try {
              new Placement(List.of(c.string()), 0);
            } catch (IllegalArgumentException bad) {
              throw c.error(bad.getMessage());
            }
            constraints.add(c.string().strip());
          }
        }
        case "max_replicas_per_node" -> {
          max = value.integer();
          if (max < 1) {
            throw value.error("max_replicas_per_node must be at least 1, found " + max);
          }
        }
        case "preferences" -> throw value.error("deploy.placement.preferences is not run by deploykit: Swarm"
            + " spreads a service's tasks over the nodes that run fewest of them by itself; use constraints"
            + " or max_replicas_per_node to say more. Remove it.");
        default -> throw value.error("under deploy.placement deploykit reads constraints and max_replicas_per_node"
            + Suggestions.hint(e.getKey(), PLACEMENT_KEYS));
      }
    }
    return new Placement(constraints, max);
  }
}
