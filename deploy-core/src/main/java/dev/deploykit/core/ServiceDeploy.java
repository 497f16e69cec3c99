package dev.deploykit.core;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * deploykit's settings of one service, the {@code x-deploykit} block of a Compose service.
 * Start from {@link #of(Role)} and change what differs with the {@code withX} copies:
 *
 * <pre>{@code
 * ServiceDeploy web = ServiceDeploy.of(Role.WEB).withHealth("/up", 8080)
 *     .withDeployTimeout(Duration.ofSeconds(60));
 * ServiceDeploy db = ServiceDeploy.of(Role.ACCESSORY).withProbe(Probe.POSTGRES);
 * }</pre>
 *
 * <p>Thread safety: immutable.
 *
 * @param role how releases replace the service
 * @param healthPath the HTTP path that answers 2xx when the service is ready (required for
 *     {@link Role#WEB}), or null
 * @param healthPort the container port the probe uses, or null for the probe's default port,
 *     else the service's first port
 * @param deployTimeout how long a new container may take to become healthy
 * @param drainTimeout how long an old web container may finish its open requests
 * @param watchWindow how long a new release is watched after the switch before it counts as good
 * @param probe how the service's health is checked once it runs ({@code x-deploykit.probe})
 */
public record ServiceDeploy(
    Role role,
    @Nullable String healthPath,
    @Nullable Integer healthPort,
    Duration deployTimeout,
    Duration drainTimeout,
    Duration watchWindow,
    Probe probe) {

  /** The defaults: 2 minutes to get healthy, 30 s to drain, 30 s watched. */
  public static final Duration DEFAULT_DEPLOY_TIMEOUT = Duration.ofMinutes(2);
  /** How long an old web container may finish its open requests by default. */
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
  /** How long a new release is watched after the switch by default. */
  public static final Duration DEFAULT_WATCH_WINDOW = Duration.ofSeconds(30);

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException naming the setting (as the Java API names it) when a value
   *     is out of range, or when a web service's probe is not {@link Probe#HTTP} (that a service
   *     with an HTTP probe has a health path is checked by {@link Service.Builder#build()}, since a
   *     web service starts from {@link #of(Role)} without one)
   */
  public ServiceDeploy {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(probe, "probe");
    positive(deployTimeout, "deployTimeout");
    notNegative(drainTimeout, "drainTimeout");
    notNegative(watchWindow, "watchWindow");
    if (healthPath != null && !healthPath.startsWith("/")) {
      throw new IllegalArgumentException("healthPath must start with /, was " + healthPath);
    }
    if (healthPort != null && (healthPort < 1 || healthPort > 65535)) {
      throw new IllegalArgumentException("healthPort must be 1-65535, was " + healthPort);
    }
    if (role == Role.WEB && probe != Probe.HTTP) {
      throw new IllegalArgumentException("a web service's probe is HTTP (its health path), was " + probe);
    }
  }

  /**
   * Settings without a declared probe: the {@link #defaultProbe(Role, String)} of the role and
   * health path.
   *
   * @throws IllegalArgumentException as the canonical constructor
   */
  public ServiceDeploy(Role role, @Nullable String healthPath, @Nullable Integer healthPort,
      Duration deployTimeout, Duration drainTimeout, Duration watchWindow) {
    this(role, healthPath, healthPort, deployTimeout, drainTimeout, watchWindow,
        defaultProbe(role, healthPath));
  }

  /**
   * Settings for a role with every other value at its default: no health path or port, the
   * role's default probe, {@link #DEFAULT_DEPLOY_TIMEOUT}, {@link #DEFAULT_DRAIN_TIMEOUT},
   * {@link #DEFAULT_WATCH_WINDOW}.
   */
  public static ServiceDeploy of(Role role) {
    return new ServiceDeploy(role, null, null, DEFAULT_DEPLOY_TIMEOUT, DEFAULT_DRAIN_TIMEOUT,
        DEFAULT_WATCH_WINDOW);
  }

  /**
   * The probe a service gets when it declares none: {@link Probe#HTTP} for a web service and for
   * any service with a health path, else {@link Probe#CONTAINER}.
   *
   * @param healthPath the service's health path, or null
   */
  public static Probe defaultProbe(Role role, @Nullable String healthPath) {
    return role == Role.WEB || healthPath != null ? Probe.HTTP : Probe.CONTAINER;
  }

  /**
   * A copy with another role, and that role's default probe when the probe was the old role's
   * default.
   *
   * @throws IllegalArgumentException when the role is web and a declared probe is not HTTP
   */
  public ServiceDeploy withRole(Role role) {
    Probe p = probe == defaultProbe(this.role, healthPath) ? defaultProbe(role, healthPath) : probe;
    return new ServiceDeploy(role, healthPath, healthPort, deployTimeout, drainTimeout, watchWindow, p);
  }

  /**
   * A copy with the health path and port set; a service whose probe was {@link Probe#CONTAINER}
   * is now probed over HTTP.
   *
   * @param path the HTTP path that answers 2xx when the service is ready, starting with {@code /}
   * @param port the container port, or null for the probe's default, else the service's first port
   * @throws IllegalArgumentException when the path does not start with {@code /} or the port is
   *     out of range
   */
  public ServiceDeploy withHealth(String path, @Nullable Integer port) {
    Probe p = probe == Probe.CONTAINER ? Probe.HTTP : probe;
    return new ServiceDeploy(role, path, port, deployTimeout, drainTimeout, watchWindow, p);
  }

  /**
   * A copy with the health port set (null: the probe's default, else the first port).
   *
   * @throws IllegalArgumentException when out of range
   */
  public ServiceDeploy withHealthPort(@Nullable Integer port) {
    return new ServiceDeploy(role, healthPath, port, deployTimeout, drainTimeout, watchWindow, probe);
  }

  /**
   * A copy with another deploy timeout.
   *
   * @throws IllegalArgumentException when not positive
   */
  public ServiceDeploy withDeployTimeout(Duration deployTimeout) {
    return new ServiceDeploy(role, healthPath, healthPort, deployTimeout, drainTimeout, watchWindow, probe);
  }

  /**
   * A copy with another drain timeout.
   *
   * @throws IllegalArgumentException when negative
   */
  public ServiceDeploy withDrainTimeout(Duration drainTimeout) {
    return new ServiceDeploy(role, healthPath, healthPort, deployTimeout, drainTimeout, watchWindow, probe);
  }

  /**
   * A copy with another watch window ({@link Duration#ZERO}: not watched).
   *
   * @throws IllegalArgumentException when negative
   */
  public ServiceDeploy withWatchWindow(Duration watchWindow) {
    return new ServiceDeploy(role, healthPath, healthPort, deployTimeout, drainTimeout, watchWindow, probe);
  }

  /**
   * A copy with another probe.
   *
   * @throws IllegalArgumentException when the service is a web service and the probe is not
   *     {@link Probe#HTTP}
   */
  public ServiceDeploy withProbe(Probe probe) {
    return new ServiceDeploy(role, healthPath, healthPort, deployTimeout, drainTimeout, watchWindow, probe);
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
  }

  private static void notNegative(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, was " + d);
    }
  }
}
