package dev.deploykit.dbinit.internal;

import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * Which connection failures heal by themselves while PostgreSQL starts, and which never do.
 */
public final class SqlStates {
  /** {@code invalid_password}: the role exists and the password is wrong. */
  public static final String INVALID_PASSWORD = "28P01";
  /** {@code invalid_authorization_specification}: no such role, or pg_hba.conf refuses it. */
  public static final String INVALID_AUTHORIZATION = "28000";
  /** {@code cannot_connect_now}: the server is starting up or shutting down. */
  public static final String CANNOT_CONNECT_NOW = "57P03";
  /** {@code invalid_catalog_name}: the database does not exist (yet). */
  public static final String INVALID_CATALOG_NAME = "3D000";
  /** {@code lock_not_available}: lock_timeout expired. */
  public static final String LOCK_NOT_AVAILABLE = "55P03";

  private SqlStates() {}

  /** The SQLSTATE of the first {@link SQLException} in the cause chain, if any. */
  public static @Nullable String of(@Nullable Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLException e && e.getSQLState() != null) {
        return e.getSQLState();
      }
    }
    return null;
  }

  /**
   * Whether a failed connection attempt may succeed later without anyone changing anything:
   * connection failures ({@code 08xxx}, which pgjdbc also reports for refused connections and
   * unknown hosts), {@code 57P03} (starting up, shutting down; the official image's temporary
   * socket-only server makes TCP refuse), and {@code 3D000} (the image creates the database
   * during its first start).
   */
  public static boolean isTransient(@Nullable String sqlState) {
    return sqlState != null && (sqlState.startsWith("08") || sqlState.equals(CANNOT_CONNECT_NOW)
        || sqlState.equals(INVALID_CATALOG_NAME));
  }

  /** Whether the failure is one of the transient ones of {@link #isTransient(String)}. */
  public static boolean isTransient(Throwable error) {
    return isTransient(of(error));
  }

  /** A short explanation of a connection failure's SQLSTATE, for messages. */
  public static String explain(@Nullable String sqlState) {
    if (sqlState == null) {
      return "failure without SQLSTATE";
    }
    return switch (sqlState) {
      case INVALID_PASSWORD -> "password authentication failed: wrong password, or no such role";
      case INVALID_AUTHORIZATION -> "role refused: no such role, or no pg_hba.conf entry for it";
      case CANNOT_CONNECT_NOW -> "server starting up or shutting down";
      case INVALID_CATALOG_NAME -> "database does not exist";
      case LOCK_NOT_AVAILABLE -> "lock_timeout expired waiting for a lock";
      default -> sqlState.startsWith("08") ? "cannot connect" : "SQLSTATE " + sqlState;
    };
  }
}
