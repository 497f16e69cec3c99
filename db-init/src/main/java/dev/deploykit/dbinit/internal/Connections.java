package dev.deploykit.dbinit.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import org.postgresql.Driver;
import org.postgresql.PGProperty;

/**
 * Opens connections to one target with a password it never shows: {@link #toString()} and every
 * message name the target only.
 */
public final class Connections {
  private static final String APPLICATION_NAME = "deploykit-db-init";
  private final Driver driver = new Driver();
  private final Target target;
  private final String password;

  public Connections(Target target, String password) {
    this.target = Objects.requireNonNull(target, "target");
    this.password = Objects.requireNonNull(password, "password");
  }

  public Target target() {
    return target;
  }

  /**
   * Opens a connection.
   *
   * @param connectTimeout bound on the TCP connect and on the login; pgjdbc counts whole seconds,
   *     so it is rounded up, never down to zero (which would mean "no limit")
   * @param socketTimeout bound on each read once connected, or {@code null} for none (a migration
   *     may legitimately run for a long time; lock_timeout bounds its waits instead)
   */
  public Connection open(Duration connectTimeout, @Nullable Duration socketTimeout)
      throws SQLException {
    return open(connectTimeout, socketTimeout, null);
  }

  /**
   * Opens a connection whose session starts with {@code lock_timeout} set (startup options, so
   * it holds before the first statement and needs no extra round trip).
   */
  public Connection open(Duration connectTimeout, @Nullable Duration socketTimeout,
      @Nullable Duration lockTimeout) throws SQLException {
    Properties props = new Properties();
    PGProperty.USER.set(props, target.user());
    PGProperty.PASSWORD.set(props, password);
    PGProperty.APPLICATION_NAME.set(props, APPLICATION_NAME);
    PGProperty.CONNECT_TIMEOUT.set(props, wholeSecondsAtLeastOne(connectTimeout));
    PGProperty.LOGIN_TIMEOUT.set(props, wholeSecondsAtLeastOne(connectTimeout));
    if (socketTimeout != null) {
      PGProperty.SOCKET_TIMEOUT.set(props, wholeSecondsAtLeastOne(socketTimeout));
    }
    PGProperty.TCP_KEEP_ALIVE.set(props, true);
    if (lockTimeout != null) {
      PGProperty.OPTIONS.set(props, "-c lock_timeout=" + Math.max(1, lockTimeout.toMillis()));
    }
    Connection c = driver.connect(target.url(), props);
    if (c == null) {
      throw new SQLException("not a PostgreSQL JDBC URL for " + target.address(), "08001");
    }
    return c;
  }

  private static int wholeSecondsAtLeastOne(Duration d) {
    long millis = Math.max(1, d.toMillis());
    return (int) Math.min(Integer.MAX_VALUE, (millis + 999) / 1000);
  }

  /** A {@link javax.sql.DataSource} over these connections, for Flyway. */
  public javax.sql.DataSource dataSource(Duration connectTimeout, Duration lockTimeout) {
    return new SimpleDataSource(this, connectTimeout, lockTimeout);
  }

  @Override
  public String toString() {
    return "Connections[" + target.describe() + "]";
  }
}
