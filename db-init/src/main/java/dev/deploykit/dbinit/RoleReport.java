package dev.deploykit.dbinit;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the read-only role step did.
 *
 * @param name the role's name, or {@code null} when no read-only role is configured
 * @param change what happened to it
 */
public record RoleReport(@Nullable String name, RoleChange change) {

  /** Validates the fields. */
  public RoleReport {
    Objects.requireNonNull(change, "change");
    if ((name == null) != (change == RoleChange.NOT_CONFIGURED)) {
      throw new IllegalArgumentException("a role name goes with every change but NOT_CONFIGURED");
    }
  }

  /** The report of a run without a read-only role. */
  public static RoleReport notConfigured() {
    return new RoleReport(null, RoleChange.NOT_CONFIGURED);
  }

  /** Whether the run created or updated the role. */
  public boolean changed() {
    return change == RoleChange.CREATED || change == RoleChange.UPDATED;
  }

  @Override
  public String toString() {
    return name == null ? "no read-only role"
        : "read-only role " + name + " " + change.name().toLowerCase(java.util.Locale.ROOT);
  }
}
