package dev.deploykit.core.internal.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds a circle in services' {@code depends_on}: the one rule both {@link dev.deploykit.core.Stack}
 * and the Compose reader check, written once. The reader reports it with the file and line, the
 * model for stacks built in Java.
 */
public final class DependencyCycle {
  private DependencyCycle() {}

  /**
   * The first cycle met when walking the services in the map's order, as the names along it with
   * the first name repeated at the end ({@code [a, b, a]}), or an empty list when there is none.
   *
   * @param dependsOn each service's name and the names it depends on; names that are not keys
   *     are ignored
   */
  public static List<String> find(Map<String, List<String>> dependsOn) {
    Map<String, Boolean> done = new HashMap<>(); // false: on the current path, true: finished
    for (String start : dependsOn.keySet()) {
      List<String> found = visit(start, dependsOn, done, new ArrayList<>());
      if (!found.isEmpty()) {
        return found;
      }
    }
    return List.of();
  }

  private static List<String> visit(String name, Map<String, List<String>> dependsOn,
      Map<String, Boolean> done, List<String> path) {
    Boolean seen = done.get(name);
    if (Boolean.TRUE.equals(seen) || !dependsOn.containsKey(name)) {
      return List.of();
    }
    if (seen != null) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
      cycle.add(name);
      return cycle;
    }
    done.put(name, false);
    path.add(name);
    for (String next : dependsOn.get(name)) {
      List<String> found = visit(next, dependsOn, done, path);
      if (!found.isEmpty()) {
        return found;
      }
    }
    path.removeLast();
    done.put(name, true);
    return List.of();
  }
}
