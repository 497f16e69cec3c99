package dev.deploykit.core.internal.state;

import java.util.LinkedHashMap;
import java.util.Map;

/** The names and labels deploykit gives what it creates on a host. */
public final class Names {
  public static final String STACK = "dev.deploykit.stack";
  public static final String SERVICE = "dev.deploykit.service";
  public static final String RELEASE = "dev.deploykit.release";
  public static final String ROLE = "dev.deploykit.role";
  public static final String KIND = "dev.deploykit.kind";

  private Names() {}

  /** Compose's name for the stack's default network. */
  public static String network(String stack) {
    return stack + "_default";
  }

  /** Compose's name for a stack's named volume. */
  public static String volume(String stack, String volume) {
    return stack + "_" + volume;
  }

  public static String releaseContainer(String stack, String service, String release, int replica) {
    return stack + "-" + service + "-" + release + (replica == 0 ? "" : "-" + (replica + 1));
  }

  public static String accessoryContainer(String stack, String service) {
    return stack + "-" + service;
  }

  public static String proxyContainer(String stack) {
    return stack + "-proxy";
  }

  public static String stateContainer(String stack) {
    return stack + "-deploykit-state";
  }

  public static String stateVolume(String stack) {
    return stack + "-deploykit-state";
  }

  public static String lockContainer(String stack) {
    return stack + "-deploykit-lock";
  }

  /** The labels of everything deploykit creates for a stack. */
  public static Map<String, String> labels(String stack, String kind) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(STACK, stack);
    labels.put(KIND, kind);
    return labels;
  }
}
