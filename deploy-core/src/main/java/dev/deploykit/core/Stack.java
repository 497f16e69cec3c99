package dev.deploykit.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A stack: named services deployed together to one host, with deploykit's stack settings.
 * Read one from a Compose file with {@link ComposeFile#load(java.nio.file.Path)}, or build it:
 *
 * <pre>{@code
 * Stack stack = new Stack("shop", List.of(db, app, worker), StackSettings.defaults());
 * }</pre>
 *
 * @param name the stack's name (Compose's project name), used in container names and labels
 * @param services the services, in file order
 * @param settings retain count, proxy port, notification webhook
 */
public record Stack(String name, List<Service> services, StackSettings settings) {
  public Stack {
    Objects.requireNonNull(settings, "settings");
    if (!name.matches("[a-z0-9][a-z0-9_-]*")) {
      throw new IllegalArgumentException("stack name " + name
          + " must be lower-case letters, digits, _ and -, starting with a letter or digit");
    }
    services = List.copyOf(services);
    Map<String, Service> byName = new LinkedHashMap<>();
    for (Service s : services) {
      if (byName.put(s.name(), s) != null) {
        throw new IllegalArgumentException("service " + s.name() + " appears twice");
      }
    }
    for (Service s : services) {
      for (Dependency d : s.dependsOn()) {
        if (!byName.containsKey(d.service())) {
          throw new IllegalArgumentException("service " + s.name() + " depends on " + d.service()
              + ", which the stack does not have");
        }
      }
    }
  }

  /** The service of that name, if the stack has one. */
  public Optional<Service> service(String name) {
    return services.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** The services of one role, in file order. */
  public List<Service> services(Role role) {
    return services.stream().filter(s -> s.role() == role).toList();
  }
}
