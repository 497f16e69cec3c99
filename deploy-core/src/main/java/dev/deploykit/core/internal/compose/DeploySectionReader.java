package dev.deploykit.core.internal.compose;

import dev.deploykit.core.Placement;
import dev.deploykit.core.engine.Resources;
import dev.deploykit.core.Service;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Compose service's {@code deploy} section: {@code replicas}, {@code resources} (limits
 * and reservations of {@code cpus} and {@code memory}) and {@code placement} ({@code constraints},
 * {@code max_replicas_per_node}). The keys deploykit does not run are refused, each with why: its
 * release is always start-first and health-gated, so {@code update_config}, {@code
 * rollback_config} and {@code restart_policy} would say something it does not do.
 */
final class DeploySectionReader {
  static final Set<String> KEYS = Set.of("replicas", "resources", "placement");
  private static final Set<String> RESOURCE_KEYS = Set.of("limits", "reservations");
  private static final Set<String> AMOUNT_KEYS = Set.of("cpus", "memory");
  private static final Set<String> PLACEMENT_KEYS = Set.of("constraints", "max_replicas_per_node");
  private static final Map<String, String> NOT_RUN = Map.of(
      "update_config", "deploykit's release is start-first and health-gated, switched in its proxy once every"
          + " new replica is healthy, and rolled back by itself on failure; the watch window is"
          + " x-deploykit.watch_window, the gate's deadline x-deploykit.deploy_timeout",
      "rollback_config", "deploykit rolls back by switching its proxy back to the previous release, kept"
          + " running until the new one is proven",
      "restart_policy", "use the service's restart: key on one host; on a cluster deploykit restarts a task"
          + " that exits",
      "mode", "services are replicated (deploy.replicas)",
      "endpoint_mode", "deploykit uses dnsrr on a cluster: its proxy reaches the tasks itself",
      "labels", "use the service's labels: key");
  private static final Pattern BYTES = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)b?");

  private DeploySectionReader() {}

  static void read(Node deploy, Service.Builder b) {
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
        default -> {
          String why = NOT_RUN.get(key);
          throw value.error("deploy." + key + " is not run by deploykit" + (why == null
              ? "; under deploy it reads replicas, resources and placement"
                  + Suggestions.hint(key, KEYS)
              : ": " + why + ". Remove it."));
        }
      }
    }
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
