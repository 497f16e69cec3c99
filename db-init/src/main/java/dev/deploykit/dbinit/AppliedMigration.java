package dev.deploykit.dbinit;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One migration applied by a run.
 *
 * @param version the migration's version, or {@code null} for a repeatable migration
 * @param description the description from the script's name
 * @param script the script (its path as Flyway resolved it)
 * @param time how long it took to apply
 */
public record AppliedMigration(@Nullable String version, String description, String script,
    Duration time) {

  /** Validates the fields. */
  public AppliedMigration {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(script, "script");
    Objects.requireNonNull(time, "time");
  }

  @Override
  public String toString() {
    return (version == null ? "R" : "V" + version) + " " + description + " (" + script + ", "
        + time.toMillis() + " ms)";
  }
}
