package dev.deploykit.dbinit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link DbInit#run()} did, step by step. {@link #toString()} is a readable summary that
 * holds no secret, fit for a log line or a terminal:
 *
 * <pre>
 * db-init localhost:5432/app as app: changed in 412 ms
 *   waited 35 ms (2 attempts)
 *   schema empty -> 2, applied 2: [V1 create orders (db/migration/V1__create_orders.sql, 6 ms), ...]
 *   read-only role app_ro created
 *   verified 2 tables: [public.orders, public.items]
 * </pre>
 *
 * @param target where it ran: {@code host:port/database as role}
 * @param waited how long it waited until PostgreSQL accepted the owner role
 * @param attempts how many connection attempts that took
 * @param migrations what the migration step did
 * @param role what the read-only role step did
 * @param tablesVerified the tables verified to exist (and to be readable by the read-only role)
 * @param elapsed the whole run, from start to verified
 */
public record DbInitResult(String target, Duration waited, int attempts,
    MigrationReport migrations, RoleReport role, List<String> tablesVerified, Duration elapsed) {

  /** Validates the fields and copies the list. */
  public DbInitResult {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(waited, "waited");
    Objects.requireNonNull(migrations, "migrations");
    Objects.requireNonNull(role, "role");
    tablesVerified = List.copyOf(Objects.requireNonNull(tablesVerified, "tablesVerified"));
    Objects.requireNonNull(elapsed, "elapsed");
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be >= 1: " + attempts);
    }
  }

  /** Whether the run changed the database: applied a migration, or created or updated the role. */
  public boolean changed() {
    return migrations.changed() || role.changed();
  }

  @Override
  public String toString() {
    return "db-init " + target + ": " + (changed() ? "changed" : "unchanged") + " in "
        + elapsed.toMillis() + " ms"
        + "\n  waited " + waited.toMillis() + " ms (" + attempts
        + (attempts == 1 ? " attempt)" : " attempts)")
        + "\n  " + migrations
        + "\n  " + role
        + "\n  verified " + tablesVerified.size() + " tables: " + tablesVerified;
  }
}
