package dev.deploykit.core;

import java.util.Objects;

/**
 * A Compose {@code depends_on} entry: the service must be started (or healthy, or done) before
 * this one starts.
 *
 * <pre>{@code
 * Dependency db = new Dependency("db", Dependency.Condition.SERVICE_HEALTHY);
 * }</pre>
 *
 * <p>Thread safety: immutable.
 *
 * @param service the service depended on
 * @param condition what must hold before this service starts
 */
public record Dependency(String service, Condition condition) {
  /** Checks that both values are present. */
  public Dependency {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(condition, "condition");
  }

  /** Compose's start conditions ({@code condition:} of a {@code depends_on} entry). */
  public enum Condition {
    /** The service's container runs ({@code service_started}, Compose's default). */
    SERVICE_STARTED,
    /** The service's container is healthy by its healthcheck ({@code service_healthy}). */
    SERVICE_HEALTHY,
    /** The service's container ran and exited with 0 ({@code service_completed_successfully}). */
    SERVICE_COMPLETED_SUCCESSFULLY
  }
}
