package dev.deploykit.core;

import dev.deploykit.core.engine.PortMapping;
import dev.deploykit.core.engine.VolumeMount;
import dev.deploykit.core.engine.ContainerHealthcheck;
import dev.deploykit.core.engine.Resources;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * One service of a {@link Stack}: the Compose keys deploykit understands plus its own settings
 * ({@link ServiceDeploy}, the {@code x-deploykit} block of a Compose service). Build one with
 * {@link #builder(String)}, or read it from a Compose file with {@link ComposeFile}; both default
 * alike: a service that declares no {@link ServiceDeploy} is an {@link Role#ACCESSORY}, started
 * once and kept, whose probe is its container's state.
 *
 * <pre>{@code
 * Service db = Service.builder("db")
 *     .image("postgres:18.1")
 *     .environment(Map.of("POSTGRES_DB", "app"))
 *     .volume(new VolumeMount("volume", "pgdata", "/var/lib/postgresql", false))
 *     .deploy(ServiceDeploy.of(Role.ACCESSORY).withProbe(Probe.POSTGRES))
 *     .build();
 * Service app = Service.builder("app")
 *     .image("registry.example.com/app:1.4.2")
 *     .port(new PortMapping(null, null, 8080, "tcp"))
 *     .deploy(ServiceDeploy.of(Role.WEB).withHealth("/up", 8080))
 *     .dependsOn(new Dependency("db", Dependency.Condition.SERVICE_HEALTHY))
 *     .build();
 * Service changed = app.newBuilder().image("registry.example.com/app:1.4.3").build();
 * }</pre>
 *
 * <p>{@link #toString()} names the environment's keys but never its values, which often hold
 * secrets.
 *
 * <p>Thread safety: immutable, and so safe to share between threads; its {@link Builder} is not.
 */
public final class Service {
  private final String name;
  private final String image;
  private final ServiceDeploy deploy;
  private final @Nullable List<String> command;
  private final @Nullable List<String> entrypoint;
  private final Map<String, String> environment;
  private final List<PortMapping> ports;
  private final List<VolumeMount> volumes;
  private final List<String> networks;
  private final @Nullable ContainerHealthcheck healthcheck;
  private final List<Dependency> dependsOn;
  private final Map<String, String> labels;
  private final Duration stopGracePeriod;
  private final @Nullable String stopSignal;
  private final int replicas;
  private final String restart;
  private final Resources resources;
  private final Placement placement;

  private Service(Builder b) {
    this.name = b.name;
    this.image = Objects.requireNonNull(b.image, "image");
    this.deploy = b.deploy;
    this.command = b.command == null ? null : List.copyOf(b.command);
    this.entrypoint = b.entrypoint == null ? null : List.copyOf(b.entrypoint);
    this.environment = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.environment));
    this.ports = List.copyOf(b.ports);
    this.volumes = List.copyOf(b.volumes);
    this.networks = List.copyOf(b.networks);
    this.healthcheck = b.healthcheck;
    this.dependsOn = List.copyOf(b.dependsOn);
    this.labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.labels));
    this.stopGracePeriod = b.stopGracePeriod;
    this.stopSignal = b.stopSignal;
    this.replicas = b.replicas;
    this.restart = b.restart;
    this.resources = b.resources;
    this.placement = b.placement;
  }

  /**
   * A builder for a service of the given name (Compose's service name, used in container names
   * and DNS on the stack network). Every other value has a default except the image.
   *
   * @throws IllegalArgumentException when the name does not start with a letter or digit or
   *     holds anything but letters, digits, {@code _ . -}
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** A builder holding this service's values, for a modified copy. */
  public Builder newBuilder() {
    Builder b = new Builder(name).image(image).deploy(deploy)
        .environment(environment).labels(labels).stopGracePeriod(stopGracePeriod)
        .replicas(replicas).restart(restart).resources(resources).placement(placement);
    b.command = command;
    b.entrypoint = entrypoint;
    b.ports.addAll(ports);
    b.volumes.addAll(volumes);
    b.networks.addAll(networks);
    b.healthcheck = healthcheck;
    b.dependsOn.addAll(dependsOn);
    b.stopSignal = stopSignal;
    return b;
  }

  /** The service's name, unique in its stack. */
  public String name() {
    return name;
  }

  /** The image reference, as written (a tag or a digest). */
  public String image() {
    return image;
  }

  /** deploykit's settings of the service: role, health path and port, probe, timeouts. */
  public ServiceDeploy deploy() {
    return deploy;
  }

  /** How releases replace the service: {@code deploy().role()}. */
  public Role role() {
    return deploy.role();
  }

  /** The command that replaces the image's CMD, if any. */
  public Optional<List<String>> command() {
    return Optional.ofNullable(command);
  }

  /** The entrypoint that replaces the image's ENTRYPOINT, if any. */
  public Optional<List<String>> entrypoint() {
    return Optional.ofNullable(entrypoint);
  }

  /** The resolved environment: {@code env_file} entries overridden by {@code environment}. */
  public Map<String, String> environment() {
    return environment;
  }

  /** The container ports, and the host ports some of them are published on ({@code ports}). */
  public List<PortMapping> ports() {
    return ports;
  }

  /** The named volumes and host paths mounted into the container ({@code volumes}). */
  public List<VolumeMount> volumes() {
    return volumes;
  }

  /**
   * The networks the container joins besides the stack's own ({@code networks}); empty for the
   * stack network only.
   */
  public List<String> networks() {
    return networks;
  }

  /** The container-level check Docker runs ({@code healthcheck}), if the service declares one. */
  public Optional<ContainerHealthcheck> healthcheck() {
    return Optional.ofNullable(healthcheck);
  }

  /** The services this one starts after ({@code depends_on}), in declaration order. */
  public List<Dependency> dependsOn() {
    return dependsOn;
  }

  /** The labels put on the service's containers ({@code labels}), besides deploykit's own. */
  public Map<String, String> labels() {
    return labels;
  }

  /** How long the container may take to stop before it is killed (Compose default 10 s). */
  public Duration stopGracePeriod() {
    return stopGracePeriod;
  }

  /** The stop signal, if it is not the image's. */
  public Optional<String> stopSignal() {
    return Optional.ofNullable(stopSignal);
  }

  /** How many containers of the service run at once ({@code deploy.replicas}; default 1). */
  public int replicas() {
    return replicas;
  }

  /** Docker's restart policy: {@code no}, {@code always}, {@code on-failure[:N]}, {@code unless-stopped}. */
  public String restart() {
    return restart;
  }

  /**
   * The container port the service's probe uses: {@link ServiceDeploy#healthPort()}, else the
   * probe's default port ({@link Probe#defaultPort()}), else the service's first port.
   */
  public Optional<Integer> probePort() {
    if (deploy.healthPort() != null) {
      return Optional.of(deploy.healthPort());
    }
    if (deploy.probe().defaultPort() != 0) {
      return Optional.of(deploy.probe().defaultPort());
    }
    return ports.stream().map(PortMapping::target).findFirst();
  }

  /** What each container may use and what a Swarm node must have free ({@code deploy.resources}). */
  public Resources resources() {
    return resources;
  }

  /** Where a Swarm cluster may run the service's tasks ({@code deploy.placement}). */
  public Placement placement() {
    return placement;
  }

  /** Equal when every value is equal: a service built in Java equals the same one read from a file. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Service s && name.equals(s.name) && image.equals(s.image)
        && deploy.equals(s.deploy) && Objects.equals(command, s.command)
        && Objects.equals(entrypoint, s.entrypoint) && environment.equals(s.environment)
        && ports.equals(s.ports) && volumes.equals(s.volumes) && networks.equals(s.networks)
        && Objects.equals(healthcheck, s.healthcheck) && dependsOn.equals(s.dependsOn)
        && labels.equals(s.labels) && stopGracePeriod.equals(s.stopGracePeriod)
        && Objects.equals(stopSignal, s.stopSignal) && replicas == s.replicas
        && restart.equals(s.restart) && resources.equals(s.resources) && placement.equals(s.placement);
  }

  /** A hash consistent with {@link #equals(Object)}. */
  @Override
  public int hashCode() {
    return Objects.hash(name, image, deploy, environment, ports, volumes);
  }

  /** Names the environment's keys, never its values. */
  @Override
  public String toString() {
    return "Service[" + name + ", image=" + image + ", role=" + deploy.role()
        + ", environment=" + new TreeSet<>(environment.keySet()) + ", ports=" + ports
        + ", replicas=" + replicas + "]";
  }

  /** Collects a service's values; {@link #build()} validates them. Not thread safe. */
  public static final class Builder {
    private final String name;
    private @Nullable String image;
    private ServiceDeploy deploy = ServiceDeploy.of(Role.ACCESSORY);
    private @Nullable List<String> command;
    private @Nullable List<String> entrypoint;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<PortMapping> ports = new ArrayList<>();
    private final List<VolumeMount> volumes = new ArrayList<>();
    private final List<String> networks = new ArrayList<>();
    private @Nullable ContainerHealthcheck healthcheck;
    private final List<Dependency> dependsOn = new ArrayList<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private Duration stopGracePeriod = Duration.ofSeconds(10);
    private @Nullable String stopSignal;
    private int replicas = 1;
    private String restart = "no";
    private Resources resources = Resources.NONE;
    private Placement placement = Placement.ANYWHERE;

    private Builder(String name) {
      if (!name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
        throw new IllegalArgumentException("service name " + name
            + " must start with a letter or digit and hold only letters, digits, _ . -");
      }
      this.name = name;
    }

    /**
     * The image to run, as a tag or a digest ({@code registry.example.com/app:1.4.2}); required.
     *
     * @throws IllegalArgumentException when blank
     */
    public Builder image(String image) {
      if (image.isBlank()) {
        throw new IllegalArgumentException("image must not be blank");
      }
      this.image = image;
      return this;
    }

    /** deploykit's settings of the service; default {@code ServiceDeploy.of(Role.ACCESSORY)}. */
    public Builder deploy(ServiceDeploy deploy) {
      this.deploy = Objects.requireNonNull(deploy, "deploy");
      return this;
    }

    /** The command that replaces the image's {@code CMD}; default the image's. */
    public Builder command(List<String> command) {
      this.command = List.copyOf(command);
      return this;
    }

    /** The entrypoint that replaces the image's {@code ENTRYPOINT}; default the image's. */
    public Builder entrypoint(List<String> entrypoint) {
      this.entrypoint = List.copyOf(entrypoint);
      return this;
    }

    /** Adds environment variables, replacing earlier values of the same names. */
    public Builder environment(Map<String, String> environment) {
      this.environment.putAll(environment);
      return this;
    }

    /** Adds a container port (published on the host or not). */
    public Builder port(PortMapping port) {
      ports.add(Objects.requireNonNull(port, "port"));
      return this;
    }

    /** Adds a named volume or a host path to mount. */
    public Builder volume(VolumeMount volume) {
      volumes.add(Objects.requireNonNull(volume, "volume"));
      return this;
    }

    /** Adds a network to join besides the stack's own. */
    public Builder network(String network) {
      networks.add(Objects.requireNonNull(network, "network"));
      return this;
    }

    /** The container-level check Docker runs; default none (the image's own, if it has one). */
    public Builder healthcheck(ContainerHealthcheck healthcheck) {
      this.healthcheck = Objects.requireNonNull(healthcheck, "healthcheck");
      return this;
    }

    /**
     * Adds a service to start after. {@link Stack} checks that it exists and that no services
     * depend on each other in a circle.
     */
    public Builder dependsOn(Dependency dependency) {
      dependsOn.add(Objects.requireNonNull(dependency, "dependency"));
      return this;
    }

    /** Adds labels for the service's containers, replacing earlier values of the same names. */
    public Builder labels(Map<String, String> labels) {
      this.labels.putAll(labels);
      return this;
    }

    /**
     * How long the container may take to stop before it is killed; default 10 s.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder stopGracePeriod(Duration stopGracePeriod) {
      if (stopGracePeriod.isNegative()) {
        throw new IllegalArgumentException("stopGracePeriod must not be negative, was " + stopGracePeriod);
      }
      this.stopGracePeriod = stopGracePeriod;
      return this;
    }

    /** The signal that stops the container ({@code SIGINT}, ...); default the image's. */
    public Builder stopSignal(String stopSignal) {
      this.stopSignal = Objects.requireNonNull(stopSignal, "stopSignal");
      return this;
    }

    /**
     * How many containers run at once; default 1 (a web service must keep 1).
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder replicas(int replicas) {
      if (replicas < 1) {
        throw new IllegalArgumentException("replicas must be at least 1, was " + replicas);
      }
      this.replicas = replicas;
      return this;
    }

    /** Limits and reservations ({@code deploy.resources}); default none. */
    public Builder resources(Resources resources) {
      this.resources = Objects.requireNonNull(resources, "resources");
      return this;
    }

    /** Where a Swarm cluster may run the tasks ({@code deploy.placement}); default anywhere. */
    public Builder placement(Placement placement) {
      this.placement = Objects.requireNonNull(placement, "placement");
      return this;
    }

    /**
     * Docker's restart policy: {@code no} (the default), {@code always}, {@code unless-stopped} or
     * {@code on-failure[:N]}.
     *
     * @throws IllegalArgumentException for anything else
     */
    public Builder restart(String restart) {
      if (!restart.matches("no|always|unless-stopped|on-failure(:\\d+)?")) {
        throw new IllegalArgumentException("restart must be no, always, unless-stopped or"
            + " on-failure[:N], was " + restart);
      }
      this.restart = restart;
      return this;
    }

    /**
     * The service.
     *
     * @throws IllegalArgumentException naming the setting when the image is missing, or a web
     *     service or an {@link Probe#HTTP} probe has no {@code healthPath}
     */
    public Service build() {
      if (image == null) {
        throw new IllegalArgumentException("image is required: deploykit runs images and does not build them");
      }
      if (deploy.role() == Role.WEB && deploy.healthPath() == null) {
        throw new IllegalArgumentException("service " + name + ": a web service needs a healthPath"
            + " (deploy(ServiceDeploy.of(Role.WEB).withHealth(\"/up\", port))): traffic switches only"
            + " after that path answers 2xx");
      }
      if (deploy.probe() == Probe.HTTP && deploy.healthPath() == null) {
        throw new IllegalArgumentException("service " + name + ": an HTTP probe needs a healthPath"
            + " (deploy.withHealth(\"/up\", port)), or another probe (deploy.withProbe(...))");
      }
      return new Service(this);
    }
  }
}
