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
 * for. Immutable; made with {@link #builder(String, String)}.
 *
 * <p>{@link #toString()} names the environment's keys only.
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
  }

  public static Builder builder(String name, String image) {
    return new Builder(name, image);
  }

  public String name() {
    return name;
  }

  public String image() {
    return image;
  }

  public Map<String, String> environment() {
    return environment;
  }

  public Map<String, String> labels() {
    return labels;
  }

  public Optional<List<String>> command() {
    return Optional.ofNullable(command);
  }

  public Optional<List<String>> entrypoint() {
    return Optional.ofNullable(entrypoint);
  }

  public Optional<String> network() {
    return Optional.ofNullable(network);
  }

  public List<String> aliases() {
    return aliases;
  }

  public List<PortMapping> ports() {
    return ports;
  }

  public List<VolumeMount> volumes() {
    return volumes;
  }

  public Optional<String> stopSignal() {
    return Optional.ofNullable(stopSignal);
  }

  public Optional<Duration> stopGracePeriod() {
    return Optional.ofNullable(stopGracePeriod);
  }

  public String restart() {
    return restart;
  }

  public Optional<ContainerHealthcheck> healthcheck() {
    return Optional.ofNullable(healthcheck);
  }

  @Override
  public String toString() {
    return "ContainerSpec[" + name + ", image=" + image + ", environment="
        + new java.util.TreeSet<>(environment.keySet()) + ", labels=" + labels + "]";
  }

  /** Collects a container's settings. Not thread safe. */
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

    private Builder(String name, String image) {
      this.name = Objects.requireNonNull(name, "name");
      this.image = Objects.requireNonNull(image, "image");
    }

    public Builder environment(Map<String, String> environment) {
      this.environment.putAll(environment);
      return this;
    }

    public Builder labels(Map<String, String> labels) {
      this.labels.putAll(labels);
      return this;
    }

    public Builder command(@Nullable List<String> command) {
      this.command = command == null ? null : List.copyOf(command);
      return this;
    }

    public Builder entrypoint(@Nullable List<String> entrypoint) {
      this.entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
      return this;
    }

    public Builder network(String network, List<String> aliases) {
      this.network = Objects.requireNonNull(network, "network");
      this.aliases.addAll(aliases);
      return this;
    }

    public Builder ports(List<PortMapping> ports) {
      this.ports.addAll(ports);
      return this;
    }

    public Builder volumes(List<VolumeMount> volumes) {
      this.volumes.addAll(volumes);
      return this;
    }

    public Builder stopSignal(@Nullable String stopSignal) {
      this.stopSignal = stopSignal;
      return this;
    }

    public Builder stopGracePeriod(@Nullable Duration stopGracePeriod) {
      this.stopGracePeriod = stopGracePeriod;
      return this;
    }

    public Builder restart(String restart) {
      this.restart = Objects.requireNonNull(restart, "restart");
      return this;
    }

    public Builder healthcheck(@Nullable ContainerHealthcheck healthcheck) {
      this.healthcheck = healthcheck;
      return this;
    }

    public ContainerSpec build() {
      return new ContainerSpec(this);
    }
  }
}
