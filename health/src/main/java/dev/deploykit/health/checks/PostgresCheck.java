package dev.deploykit.health.checks;

import dev.deploykit.health.CheckContext;
import dev.deploykit.health.HealthCheck;
import dev.deploykit.health.HealthResult;
import dev.deploykit.health.internal.KeptConnection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Checks PostgreSQL over JDBC: {@link java.sql.Connection#isValid(int)} on a kept connection
 * (reopened when broken) and, optionally, a query that must succeed.
 *
 * <pre>{@code
 * try (PostgresCheck db = PostgresCheck.builder(PostgresTarget.of(url, "app", password))
 *     .query("select 1 from flyway_schema_history limit 1")
 *     .build()) {
 *   HealthResult r = db.check(CheckContext.of(Deadline.after(Duration.ofSeconds(1),
 *       TimeSource.system())));
 * }
 * }</pre>
 *
 * <p>Connect, login and socket timeouts are always set; a cancelled run aborts the connection.
 * DOWN with a one-line reason for a refused port, an unknown host, a wrong password, a missing
 * database, a failing query. Never shows the password or the URL's parameters.
 *
 * <p>Needs the PostgreSQL JDBC driver ({@code org.postgresql:postgresql}, an optional dependency
 * of health): without it, every check answers DOWN naming that dependency (also under the data key
 * {@code missingDependency}), never a {@code NoClassDefFoundError}.
 *
 * <p>Thread-safe; runs share the one connection, one at a time. Close it to close the
 * connection.
 */
public final class PostgresCheck implements HealthCheck, AutoCloseable {
  private final PostgresTarget target;
  private final @Nullable String query;
  private final KeptConnection connection;

  private PostgresCheck(PostgresTarget target, @Nullable String query) {
    this.target = target;
    this.query = query;
    this.connection = new KeptConnection(target);
  }

  /** A builder for a check of {@code target}. */
  public static Builder builder(PostgresTarget target) {
    return new Builder(target);
  }

  @Override
  public HealthResult check(CheckContext context) throws InterruptedException {
    return connection.check(context, (c, deadline) -> {
        int seconds = KeptConnection.queryTimeoutSeconds(deadline);
        if (!c.isValid(seconds)) {
          throw new SQLException("the connection is not valid", "08006");
        }
        if (query == null) {
          return HealthResult.up(target.displayName() + " answers");
        }
        try (Statement st = c.createStatement()) {
          st.setQueryTimeout(seconds);
          boolean rows = st.execute(query);
          if (rows) {
            try (ResultSet rs = st.getResultSet()) {
              rs.next();
            }
          }
        }
        return HealthResult.up(target.displayName() + " answers the query");
    });
  }

  /** Closes the kept connection. */
  @Override
  public void close() {
    connection.close();
  }

  @Override
  public String toString() {
    return "PostgresCheck[" + target + "]";
  }

  /**
   * Settings of a {@link PostgresCheck}.
   *
   * <p>Not thread-safe.
   */
  public static final class Builder {
    private final PostgresTarget target;
    private @Nullable String query;

    private Builder(PostgresTarget target) {
      this.target = Objects.requireNonNull(target, "target");
    }

    /**
     * A query that must succeed after {@code isValid}, such as {@code select 1 from app_table
     * limit 1}.
     *
     * @throws IllegalArgumentException if blank
     */
    public Builder query(String sql) {
      if (Objects.requireNonNull(sql, "sql").isBlank()) {
        throw new IllegalArgumentException("query must not be blank");
      }
      this.query = sql;
      return this;
    }

    /** The check; it connects on first use. */
    public PostgresCheck build() {
      return new PostgresCheck(target, query);
    }
  }
}
