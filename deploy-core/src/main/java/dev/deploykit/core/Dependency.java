package dev.deploykit.core;

import java.util.Objects;

/**
 * A Compose {@code depends_on} entry.
 *
 * @param service the service depended on
 * @param condition what must hold before this service starts
 */
public record Dependency(String service, Condition condition) {
  public Dependency {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(condition, "condition");
  }

  /** Compose's start conditions. */
  public enum Condition {
    SERVICE_STARTED,
    SERVICE_HEALTHY,
    SERVICE_COMPLETED_SUCCESSFULLY
  }
}
