package dev.deploykit.core;

import dev.deploykit.core.engine.PortMapping;
import dev.deploykit.core.engine.VolumeMount;
import dev.deploykit.core.engine.ContainerHealthcheck;

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
 * One service of a {@link Stack}: the Compose keys deploykit understands plus its own settings.
 * Immutable; build one with {@link #builder(String)} or read it from a Compose file.
 *
 * <pre>{@code
 * Service app = Service.builder("app")
 *     .image("registry.example.com/app:1.4.2")
 *     .deploy(ServiceDeploy.of(Role.WEB).withHealth("/up", 8080))
 *     .port(new PortMapping(null, null, 8080, "tcp"))
 *     .build();
 * }</pre>
 *
 * <p>{@link #toString()} names the environment's keys but never its values, which often hold
 * secrets. Thread safety: immutable.
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
  }

  /** A builder for a service of the given name. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** A builder holding this service's values, for a modified copy. */
  public Builder newBuilder() {
    Builder b = new Builder(name).image(image).deploy(deploy)
        .environment(environment).labels(labels).stopGracePeriod(stopGracePeriod)
        .replicas(replicas).restart(restart);
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

  public String name() {
    return name;
  }

  /** The image reference, as written (a tag or a digest). */
  public String image() {
    return image;
  }

  public ServiceDeploy deploy() {
    return deploy;
  }

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

  public List<PortMapping> ports() {
    return ports;
  }

  public List<VolumeMount> volumes() {
    return volumes;
  }

  public List<String> networks() {
    return networks;
  }

  public Optional<ContainerHealthcheck> healthcheck() {
    return Optional.ofNullable(healthcheck);
  }

  public List<Dependency> dependsOn() {
    return dependsOn;
  }

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

  @Override
  public boolean equals(Object o) {
    return o instanceof Service s && name.equals(s.name) && image.equals(s.image)
        && deploy.equals(s.deploy) && Objects.equals(command, s.command)
        && Objects.equals(entrypoint, s.entrypoint) && environment.equals(s.environment)
        && ports.equals(s.ports) && volumes.equals(s.volumes) && networks.equals(s.networks)
        && Objects.equals(healthcheck, s.healthcheck) && dependsOn.equals(s.dependsOn)
        && labels.equals(s.labels) && stopGracePeriod.equals(s.stopGracePeriod)
        && Objects.equals(stopSignal, s.stopSignal) && replicas == s.replicas
        && restart.equals(s.restart);
  }

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

    private Builder(String name) {
      if (!name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
        throw new IllegalArgumentException("service name " + name
            + " must start with a letter or digit and hold only letters, digits, _ . -");
      }
      this.name = name;
    }

    public Builder image(String image) {
      if (image.isBlank()) {
        throw new IllegalArgumentException("image must not be blank");
      }
      this.image = image;
      return this;
    }

    public Builder deploy(ServiceDeploy deploy) {
      this.deploy = Objects.requireNonNull(deploy, "deploy");
      return this;
    }

    public Builder command(List<String> command) {
      this.command = List.copyOf(command);
      return this;
    }

    public Builder entrypoint(List<String> entrypoint) {
      this.entrypoint = List.copyOf(entrypoint);
      return this;
    }

    public Builder environment(Map<String, String> environment) {
      this.environment.putAll(environment);
      return this;
    }

    public Builder port(PortMapping port) {
      ports.add(Objects.requireNonNull(port, "port"));
      return this;
    }

    public Builder volume(VolumeMount volume) {
      volumes.add(Objects.requireNonNull(volume, "volume"));
      return this;
    }

    public Builder network(String network) {
      networks.add(Objects.requireNonNull(network, "network"));
      return this;
    }

    public Builder healthcheck(ContainerHealthcheck healthcheck) {
      this.healthcheck = Objects.requireNonNull(healthcheck, "healthcheck");
      return this;
    }

    public Builder dependsOn(Dependency dependency) {
      dependsOn.add(Objects.requireNonNull(dependency, "dependency"));
      return this;
    }

    public Builder labels(Map<String, String> labels) {
      this.labels.putAll(labels);
      return this;
    }

    /** @throws IllegalArgumentException when negative */
    public Builder stopGracePeriod(Duration stopGracePeriod) {
      if (stopGracePeriod.isNegative()) {
        throw new IllegalArgumentException("stopGracePeriod must not be negative, was " + stopGracePeriod);
      }
      this.stopGracePeriod = stopGracePeriod;
      return this;
    }

    public Builder stopSignal(String stopSignal) {
      this.stopSignal = Objects.requireNonNull(stopSignal, "stopSignal");
      return this;
    }

    /** @throws IllegalArgumentException when below 1 */
    public Builder replicas(int replicas) {
      if (replicas < 1) {
        throw new IllegalArgumentException("replicas must be at least 1, was " + replicas);
      }
      this.replicas = replicas;
      return this;
    }

    /** @throws IllegalArgumentException for anything but Docker's restart policies */
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
     * @throws IllegalArgumentException naming the field when the image is missing or a web
     *     service has no health path
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
