package dev.deploykit.dbinit;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the migration step did.
 *
 * @param fromVersion the schema version before the run, or {@code null} for an empty schema
 * @param toVersion the schema version after the run, or {@code null} if it is still empty
 * @param applied the migrations applied by this run, in order; empty when the schema was current
 */
public record MigrationReport(@Nullable String fromVersion, @Nullable String toVersion,
    List<AppliedMigration> applied) {

  /** Validates the fields and copies the list. */
  public MigrationReport {
    applied = List.copyOf(Objects.requireNonNull(applied, "applied"));
  }

  /** Whether this run applied at least one migration. */
  public boolean changed() {
    return !applied.isEmpty();
  }

  @Override
  public String toString() {
    String from = fromVersion == null ? "empty" : fromVersion;
    String to = toVersion == null ? "empty" : toVersion;
    if (applied.isEmpty()) {
      return "schema unchanged at version " + to;
    }
    return "schema " + from + " -> " + to + ", applied " + applied.size() + ": " + applied;
  }
}
