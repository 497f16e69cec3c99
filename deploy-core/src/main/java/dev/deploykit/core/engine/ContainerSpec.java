package dev.deploykit.core.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Everything needed to create one container: what the release protocol asks a {@link DockerHost}
 * for. Made with {@link #builder(String, String)}; a value not set is the image's own (command,
 * entrypoint, stop signal) or Docker's default.
 *
 * <pre>{@code
 * ContainerSpec spec = ContainerSpec.builder("shop-app-r42", "sha256:3fa9...")
 *     .environment(Map.of("PORT", "8080"))
 *     .labels(StackNames.labels("shop", StackNames.KIND_APP))
 *     .network(StackNames.network("shop"), List.of("app"))
 *     .stopGracePeriod(Duration.ofSeconds(30))
 *     .build();
 * String id = host.create(spec);
 * }</pre>
 *
 * <p>{@link #toString()} names the environment's keys only. Thread safety: immutable; its
 * {@link Builder} is not thread safe.
 */
public final class ContainerSpec {
  private final String name;
  private final String image;
  private final Map<String, String> environment;
  private final Map<String, String> labels;
  private final @Nullable List<String> command;
  private final @Nullable List<String> entrypoint;
  private final @Nullable String network;
  private final List<String> aliases;
  private final List<PortMapping> ports;
  private final List<VolumeMount> volumes;
  private final @Nullable String stopSignal;
  private final @Nullable Duration stopGracePeriod;
  private final String restart;
  private final @Nullable ContainerHealthcheck healthcheck;
  private final Resources resources;

  private ContainerSpec(Builder b) {
    name = b.name;
    image = b.image;
    environment = Map.copyOf(b.environment);
    labels = Map.copyOf(b.labels);
    command = b.command;
    entrypoint = b.entrypoint;
    network = b.network;
    aliases = List.copyOf(b.aliases);
    ports = List.copyOf(b.ports);
    volumes = List.copyOf(b.volumes);
    stopSignal = b.stopSignal;
    stopGracePeriod = b.stopGracePeriod;
    restart = b.restart;
    healthcheck = b.healthcheck;
    resources = b.resources;
  }

  /**
   * A builder for a container of the given name that runs the given image.
   *
   * @param name the container's name, unique on the host
   * @param image an image reference or id ({@code sha256:...})
   */
  public static Builder builder(String name, String image) {
    return new Builder(name, image);
  }

  /** The container's name. */
  public String name() {
    return name;
  }

  /** The image reference or id it runs. */
  public String image() {
    return image;
  }

  /** Its environment variables. */
  public Map<String, String> environment() {
    return environment;
  }

  /** Its labels ({@link dev.deploykit.core.StackNames} has deploykit's). */
  public Map<String, String> labels() {
    return labels;
  }

  /** The command that replaces the image's {@code CMD}, if any. */
  public Optional<List<String>> command() {
    return Optional.ofNullable(command);
  }

  /** The entrypoint that replaces the image's {@code ENTRYPOINT}, if any. */
  public Optional<List<String>> entrypoint() {
    return Optional.ofNullable(entrypoint);
  }

  /** The network it joins at creation, if any. */
  public Optional<String> network() {
    return Optional.ofNullable(network);
  }

  /** Its DNS names on {@link #network()} (for example the service's name). */
  public List<String> aliases() {
    return aliases;
  }

  /** The container ports it exposes, and the host ports some are published on. */
  public List<PortMapping> ports() {
    return ports;
  }

  /** The named volumes and host paths mounted into it. */
  public List<VolumeMount> volumes() {
    return volumes;
  }

  /** The signal that stops it, if not the image's. */
  public Optional<String> stopSignal() {
    return Optional.ofNullable(stopSignal);
  }

  /** How long it may take to stop before Docker kills it, if not Docker's default (10 s). */
  public Optional<Duration> stopGracePeriod() {
    return Optional.ofNullable(stopGracePeriod);
  }

  /** Docker's restart policy: {@code no}, {@code always}, {@code unless-stopped}, {@code on-failure[:N]}. */
  public String restart() {
    return restart;
  }

  /** The healthcheck Docker runs, if not the image's. */
  public Optional<ContainerHealthcheck> healthcheck() {
    return Optional.ofNullable(healthcheck);
  }

  /**
   * Its CPU and memory limits and memory reservation (Docker's soft limit); a CPU reservation
   * means nothing to one engine and is not set.
   */
  public Resources resources() {
    return resources;
  }

  /** Names the environment's keys, never its values. */
  @Override
  public String toString() {
    return "ContainerSpec[" + name + ", image=" + image + ", environment="
        + new java.util.TreeSet<>(environment.keySet()) + ", labels=" + labels + "]";
  }

  /** Collects a container's settings; setters return this builder. Not thread safe. */
  public static final class Builder {
    private final String name;
    private final String image;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private @Nullable List<String> command;
    private @Nullable List<String> entrypoint;
    private @Nullable String network;
    private final List<String> aliases = new ArrayList<>();
    private final List<PortMapping> ports = new ArrayList<>();
    private final List<VolumeMount> volumes = new ArrayList<>();
    private @Nullable String stopSignal;
    private @Nullable Duration stopGracePeriod;
    private String restart = "no";
    private @Nullable ContainerHealthcheck healthcheck;
    private Resources resources = Resources.NONE;

    private Builder(String name, String image) {
      this.name = Objects.requireNonNull(name, "name");
      this.image = Objects.requireNonNull(image, "image");
    }

    /** Adds environment variables, replacing earlier values of the same names. */
    public Builder environment(Map<String, String> environment) {
      this.environment.putAll(environment);
      return this;
    }

    /** Adds labels, replacing earlier values of the same names. */
    public Builder labels(Map<String, String> labels) {
      this.labels.putAll(labels);
      return this;
    }

    /** The command that replaces the image's {@code CMD}; null for the image's. */
    public Builder command(@Nullable List<String> command) {
      this.command = command == null ? null : List.copyOf(command);
      return this;
    }

    /** The entrypoint that replaces the image's {@code ENTRYPOINT}; null for the image's. */
    public Builder entrypoint(@Nullable List<String> entrypoint) {
      this.entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
      return this;
    }

    /**
     * The network to join at creation, and the container's DNS names on it (added to earlier
     * ones).
     */
    public Builder network(String network, List<String> aliases) {
      this.network = Objects.requireNonNull(network, "network");
      this.aliases.addAll(aliases);
      return this;
    }

    /** Adds ports to expose (and publish, where a mapping names a host port). */
    public Builder ports(List<PortMapping> ports) {
      this.ports.addAll(ports);
      return this;
    }

    /** Adds volumes and host paths to mount. */
    public Builder volumes(List<VolumeMount> volumes) {
      this.volumes.addAll(volumes);
      return this;
    }

    /** The signal that stops the container; null for the image's. */
    public Builder stopSignal(@Nullable String stopSignal) {
      this.stopSignal = stopSignal;
      return this;
    }

    /** How long the container may take to stop before it is killed; null for Docker's default. */
    public Builder stopGracePeriod(@Nullable Duration stopGracePeriod) {
      this.stopGracePeriod = stopGracePeriod;
      return this;
    }

    /** Docker's restart policy; default {@code no}. */
    public Builder restart(String restart) {
      this.restart = Objects.requireNonNull(restart, "restart");
      return this;
    }

    /** The healthcheck Docker runs; null for the image's. */
    public Builder healthcheck(@Nullable ContainerHealthcheck healthcheck) {
      this.healthcheck = healthcheck;
      return this;
    }

    /** Limits and reservation ({@link #resources()}); default none. */
    public Builder resources(Resources resources) {
      this.resources = Objects.requireNonNull(resources, "resources");
      return this;
    }

    /** The specification; the builder may be changed and built again afterwards. */
    public ContainerSpec build() {
      return new ContainerSpec(this);
    }
  }
}
