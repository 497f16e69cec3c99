package dev.deploykit.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The vocabulary deploykit writes on a host: the labels it puts on everything it creates for a
 * stack, and the names of its containers, network and volumes. Tools that look at a host
 * deploykit deployed to (a dashboard, a cleanup job, the {@code deploykit} command) read these
 * instead of re-typing them.
 *
 * <pre>{@code
 * List<ContainerState> all = host.list(Map.of(StackNames.LABEL_STACK, "shop"), StackNames.network("shop"));
 * }</pre>
 *
 * <p>Names follow Compose's where Compose has one ({@code <stack>_default}, {@code <stack>_<volume>}),
 * so a stack moved from {@code docker compose} keeps its volumes. Thread safety: stateless.
 */
public final class StackNames {
  /** The stack a container, network or volume belongs to. */
  public static final String LABEL_STACK = "dev.deploykit.stack";
  /** The service a container runs. */
  public static final String LABEL_SERVICE = "dev.deploykit.service";
  /** The release a service container belongs to. */
  public static final String LABEL_RELEASE = "dev.deploykit.release";
  /** The role of a service container: {@code web}, {@code worker} or {@code accessory}. */
  public static final String LABEL_ROLE = "dev.deploykit.role";
  /** What deploykit made it for: one of the {@code KIND_} values. */
  public static final String LABEL_KIND = "dev.deploykit.kind";

  /** A container of a web or worker service, made for one release. */
  public static final String KIND_APP = "app";
  /** An accessory's container, kept across releases. */
  public static final String KIND_ACCESSORY = "accessory";
  /** The stack's proxy container. */
  public static final String KIND_PROXY = "proxy";
  /** The state volume and the container that holds it (history, snapshots, audit log). */
  public static final String KIND_STATE = "state";
  /** The deploy lock's container. */
  public static final String KIND_LOCK = "lock";
  /** The stack's network. */
  public static final String KIND_NETWORK = "network";
  /** A named volume of the stack's services. */
  public static final String KIND_VOLUME = "volume";

  private StackNames() {}

  /** Compose's name for the stack's default network: {@code <stack>_default}. */
  public static String network(String stack) {
    return stack + "_default";
  }

  /** Compose's name for a stack's named volume: {@code <stack>_<volume>}. */
  public static String volume(String stack, String volume) {
    return stack + "_" + volume;
  }

  /**
   * The container of one replica of a web or worker service in one release:
   * {@code <stack>-<service>-<release>}, then {@code -2}, {@code -3} for further replicas.
   */
  public static String releaseContainer(String stack, String service, String release, int replica) {
    return stack + "-" + service + "-" + release + (replica == 0 ? "" : "-" + (replica + 1));
  }

  /** An accessory's container: {@code <stack>-<service>}. */
  public static String accessoryContainer(String stack, String service) {
    return stack + "-" + service;
  }

  /** The stack's proxy container: {@code <stack>-proxy}. */
  public static String proxyContainer(String stack) {
    return stack + "-proxy";
  }

  /** The container that holds the state volume (it never runs). */
  public static String stateContainer(String stack) {
    return stack + "-deploykit-state";
  }

  /** The volume holding the release history, the snapshots and the audit log. */
  public static String stateVolume(String stack) {
    return stack + "-deploykit-state";
  }

  /** The deploy lock's container (it never runs). */
  public static String lockContainer(String stack) {
    return stack + "-deploykit-lock";
  }

  /** The labels of everything deploykit creates for a stack: stack and kind (a new, mutable map). */
  public static Map<String, String> labels(String stack, String kind) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LABEL_STACK, stack);
    labels.put(LABEL_KIND, kind);
    return labels;
  }
}
