package dev.deploykit.core;

import dev.deploykit.core.internal.model.DependencyCycle;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A stack: named services deployed together to one host, with deploykit's stack settings.
 * Read one from a Compose file with {@link ComposeFile#load(java.nio.file.Path)}, or build it:
 *
 * <pre>{@code
 * Service db = Service.builder("db").image("postgres:18.1")
 *     .deploy(ServiceDeploy.of(Role.ACCESSORY).withProbe(Probe.POSTGRES)).build();
 * Service app = Service.builder("app").image("registry.example.com/shop/app:1.4.2")
 *     .port(new PortMapping(null, null, 8080, "tcp"))
 *     .deploy(ServiceDeploy.of(Role.WEB).withHealth("/up", 8080))
 *     .dependsOn(new Dependency("db", Dependency.Condition.SERVICE_HEALTHY)).build();
 * Stack stack = new Stack("shop", List.of(db, app), StackSettings.defaults().withProxyPort(8080));
 * stack.requireReleasable();
 * Stack next = stack.withImages(Map.of("app", "registry.example.com/shop/app:1.4.3"));
 * }</pre>
 *
 * <p>Thread safety: immutable (its services and settings are too), and so safe to share between
 * threads.
 *
 * @param name the stack's name (Compose's project name), used in container names and labels
 * @param services the services, in file order
 * @param settings retain count, proxy port, notification webhook, database step
 */
public record Stack(String name, List<Service> services, StackSettings settings) {
  /**
   * Validates the stack.
   *
   * @throws IllegalArgumentException when the name is not a valid Compose project name, a
   *     service appears twice, a service depends on one the stack does not have, or services
   *     depend on each other in a circle (the message names it: {@code a -> b -> a})
   */
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
    Map<String, List<String>> dependsOn = new LinkedHashMap<>();
    byName.forEach((n, s) -> dependsOn.put(n, s.dependsOn().stream().map(Dependency::service).toList()));
    List<String> cycle = DependencyCycle.find(dependsOn);
    if (!cycle.isEmpty()) {
      throw new IllegalArgumentException("services depend on each other in a circle: "
          + String.join(" -> ", cycle) + "; break the cycle in their dependsOn");
    }
  }

  /**
   * The services of one role in start order: each after the services of that role it depends on
   * (dependencies on other roles are met by the release protocol's own order).
   */
  public List<Service> inStartOrder(Role role) {
    List<Service> ordered = new ArrayList<>();
    Set<String> placed = new HashSet<>();
    for (Service s : services(role)) {
      place(s, role, placed, ordered);
    }
    return ordered;
  }

  private void place(Service s, Role role, Set<String> placed, List<Service> ordered) {
    if (!placed.add(s.name())) {
      return;
    }
    for (Dependency d : s.dependsOn()) {
      service(d.service()).filter(x -> x.role() == role).ifPresent(x -> place(x, role, placed, ordered));
    }
    ordered.add(s);
  }

  /**
   * Checks the rules of the release protocol that the model alone does not: one web service per
   * stack, with a port to probe, and on one host ({@link Engine#HOST}) one replica (the proxy
   * switches one container; on a Swarm cluster a release's tasks fill a slot group).
   *
   * @throws DeployException with {@link DeployException.Reason#INVALID_STACK} naming the service
   *     and what to change
   */
  public void requireReleasable() {
    List<Service> web = services(Role.WEB);
    if (web.size() > 1) {
      throw new DeployException(DeployException.Reason.INVALID_STACK, "Stack " + name + " has "
          + web.size() + " web services (" + web.stream().map(Service::name).toList() + "): the proxy"
          + " routes one web service per stack; make the others workers or accessories");
    }
    for (Service w : web) {
      if (settings.engine() == Engine.HOST && w.replicas() != 1) {
        throw new DeployException(DeployException.Reason.INVALID_STACK, "Web service " + w.name()
            + " asks for " + w.replicas() + " replicas: the proxy switches one container per web"
            + " service; set deploy.replicas to 1");
      }
      if (w.probePort().isEmpty()) {
        throw new DeployException(DeployException.Reason.INVALID_STACK, "Web service " + w.name()
            + " has no port to check: add its container port under ports or x-deploykit.health_port");
      }
    }
  }

  /** The service of that name, if the stack has one. */
  public Optional<Service> service(String name) {
    return services.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /**
   * A copy whose services run other images: {@code images} maps a service's name to its image
   * reference; services it does not name keep theirs.
   *
   * @throws IllegalArgumentException when it names a service the stack does not have
   */
  public Stack withImages(Map<String, String> images) {
    for (String name : images.keySet()) {
      if (service(name).isEmpty()) {
        throw new IllegalArgumentException("withImages names service " + name + ", which stack "
            + this.name + " does not have; it has " + services.stream().map(Service::name).toList());
      }
    }
    return withServices(services.stream()
        .map(s -> images.containsKey(s.name()) ? s.newBuilder().image(images.get(s.name())).build() : s)
        .toList());
  }

  /**
   * A copy with other services.
   *
   * @throws IllegalArgumentException as the constructor
   */
  public Stack withServices(List<Service> services) {
    return new Stack(name, services, settings);
  }

  /** A copy with other settings. */
  public Stack withSettings(StackSettings settings) {
    return new Stack(name, services, settings);
  }

  /** The services of one role, in file order. */
  public List<Service> services(Role role) {
    return services.stream().filter(s -> s.role() == role).toList();
  }
}
