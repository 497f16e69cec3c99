package dev.deploykit.dbinit.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A validated db-init configuration. Holds two passwords: {@link #toString()} shows neither.
 *
 * @param target where to connect, as the owner role
 * @param ownerPassword the owner role's password
 * @param locations Flyway migration locations
 * @param placeholders Flyway placeholders
 * @param schemas the schemas Flyway manages and the read-only role may read
 * @param readOnlyRole the read-only role's name, or {@code null} for none
 * @param readOnlyPassword its password, or {@code null} for none
 * @param expectedTables the tables to verify, or empty for "every table the migrations made"
 * @param timeout the deadline of waiting for the server and for the migration lock
 * @param connectTimeout the bound of one connection attempt
 * @param lockTimeout PostgreSQL's lock_timeout for migration statements
 * @param baselineVersion the version to baseline an existing schema at, or {@code null}
 * @param classLoader where classpath locations are resolved
 */
public record Settings(Target target, String ownerPassword, List<String> locations,
    Map<String, String> placeholders, List<String> schemas, @Nullable String readOnlyRole,
    @Nullable String readOnlyPassword, List<String> expectedTables, Duration timeout,
    Duration connectTimeout, Duration lockTimeout, @Nullable String baselineVersion,
    ClassLoader classLoader) {

  public Settings {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(ownerPassword, "ownerPassword");
    locations = List.copyOf(locations);
    placeholders = Map.copyOf(placeholders);
    schemas = List.copyOf(schemas);
    expectedTables = List.copyOf(expectedTables);
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(lockTimeout, "lockTimeout");
    Objects.requireNonNull(classLoader, "classLoader");
  }

  @Override
  public String toString() {
    return "Settings[target=" + target.describe() + ", ownerPassword=****, locations=" + locations
        + ", placeholders=" + placeholders.keySet() + ", schemas=" + schemas + ", readOnlyRole="
        + readOnlyRole + (readOnlyPassword == null ? "" : ", readOnlyPassword=****")
        + ", expectedTables=" + expectedTables + ", timeout=" + timeout + ", connectTimeout="
        + connectTimeout + ", lockTimeout=" + lockTimeout + ", baselineVersion="
        + baselineVersion + "]";
  }
}
