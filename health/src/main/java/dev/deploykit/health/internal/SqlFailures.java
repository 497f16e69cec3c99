package dev.deploykit.health.internal;

import java.sql.SQLException;

/**
 * One-line reasons for PostgreSQL failures; PostgreSQL's messages hold no password. Stateless and
 * thread-safe.
 */
public final class SqlFailures {
  private SqlFailures() {}

  /** Why talking to {@code where} failed. */
  public static String describe(String where, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.startsWith("28")) {
      return "authentication failed at " + where + " (SQLSTATE " + state + "): "
          + Failures.describe(e).replaceFirst("^\\w+: ", "");
    }
    if (state.equals("3D000")) {
      return "database does not exist at " + where;
    }
    if (state.startsWith("08") && e.getCause() != null) {
      return Failures.network(where, e.getCause());
    }
    return where + ": " + Failures.describe(e) + (state.isEmpty() ? "" : " (SQLSTATE " + state
        + ")");
  }
}
