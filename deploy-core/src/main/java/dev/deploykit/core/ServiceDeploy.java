package dev.deploykit.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * deploykit's settings of one service, the {@code x-deploykit} block of a Compose service.
 *
 * @param role how releases replace the service
 * @param healthPath the HTTP path that answers 2xx when the service is ready (required for
 *     {@link Role#WEB})
 * @param healthPort the container port of that path, or null for the service's first port
 * @param deployTimeout how long a new container may take to become healthy
 * @param drainTimeout how long an old web container may finish its open requests
 * @param watchWindow how long a new release is watched after the switch before it counts as good
 */
public record ServiceDeploy(
    Role role,
    @Nullable String healthPath,
    @Nullable Integer healthPort,
    Duration deployTimeout,
    Duration drainTimeout,
    Duration watchWindow) {

  /** The defaults: 2 minutes to get healthy, 30 s to drain, 30 s watched. */
  public static final Duration DEFAULT_DEPLOY_TIMEOUT = Duration.ofMinutes(2);
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_WATCH_WINDOW = Duration.ofSeconds(30);

  public ServiceDeploy {
    Objects.requireNonNull(role, "role");
    positive(deployTimeout, "deploy_timeout");
    notNegative(drainTimeout, "drain_timeout");
    notNegative(watchWindow, "watch_window");
    if (healthPath != null && !healthPath.startsWith("/")) {
      throw new IllegalArgumentException("health_path must start with /, was " + healthPath);
    }
    if (healthPort != null && (healthPort < 1 || healthPort > 65535)) {
      throw new IllegalArgumentException("health_port must be 1-65535, was " + healthPort);
    }
  }

  /** Settings for a role with every other value at its default. */
  public static ServiceDeploy of(Role role) {
    return new ServiceDeploy(role, null, null, DEFAULT_DEPLOY_TIMEOUT, DEFAULT_DRAIN_TIMEOUT,
        DEFAULT_WATCH_WINDOW);
  }

  /** A copy with the health path (and optionally port) set. */
  public ServiceDeploy withHealth(String path, @Nullable Integer port) {
    return new ServiceDeploy(role, path, port, deployTimeout, drainTimeout, watchWindow);
  }

  /** The health path, if one is set. */
  public Optional<String> health() {
    return Optional.ofNullable(healthPath);
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
