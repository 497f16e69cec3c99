package dev.deploykit.dbinit;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * db-init could not prepare the database. The message says what failed and where; the accessors
 * carry the same facts for programs: the {@link #step() step}, the {@link #where() place} (server
 * and database, or the migration script and line), the {@link #lastState() last state observed}
 * and the PostgreSQL {@link #sqlState() SQLSTATE} when the server reported one.
 *
 * <p>Never carries a password: messages are built from host, port, database, role and script
 * names only.
 */
public final class DbInitException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The part of the run that failed. */
  public enum Step {
    /** The settings given to the builder are not usable. */
    CONFIGURATION,
    /** Waiting until PostgreSQL accepts the owner role on the database. */
    WAIT,
    /** Validating and applying Flyway migrations. */
    MIGRATE,
    /** Creating or updating the read-only role and its privileges. */
    ROLE,
    /** Checking that the expected tables exist and are readable. */
    VERIFY
  }

  private final Step step;
  private final String where;
  private final @Nullable String lastState;
  private final @Nullable String sqlState;

  /**
   * Creates an exception.
   *
   * @param step the step that failed
   * @param what one line saying what failed
   * @param where the server and database, or the script, where it failed
   * @param lastState the last state observed (for example the last connection error), if any
   * @param sqlState the SQLSTATE the server reported, if any
   * @param cause the underlying failure, if any
   */
  public DbInitException(Step step, String what, String where, @Nullable String lastState,
      @Nullable String sqlState, @Nullable Throwable cause) {
    super(message(step, what, where, lastState, sqlState), cause);
    this.step = Objects.requireNonNull(step, "step");
    this.where = Objects.requireNonNull(where, "where");
    this.lastState = lastState;
    this.sqlState = sqlState;
  }

  private static String message(Step step, String what, String where, @Nullable String lastState,
      @Nullable String sqlState) {
    StringBuilder sb = new StringBuilder("db-init ")
        .append(step.name().toLowerCase(java.util.Locale.ROOT)).append(" failed: ").append(what)
        .append(" [at ").append(where).append(']');
    if (sqlState != null) {
      sb.append(" [SQLSTATE ").append(sqlState).append(']');
    }
    if (lastState != null) {
      sb.append("; last: ").append(lastState);
    }
    return sb.toString();
  }

  /** The step that failed. */
  public Step step() {
    return step;
  }

  /** Where it failed: {@code host:port/database}, or the migration script and line. */
  public String where() {
    return where;
  }

  /** The SQLSTATE PostgreSQL (or the driver) reported, or {@code null} if there was none. */
  public @Nullable String sqlState() {
    return sqlState;
  }

  /** The last state observed before giving up, or {@code null} if there is nothing to add. */
  public @Nullable String lastState() {
    return lastState;
  }
}
