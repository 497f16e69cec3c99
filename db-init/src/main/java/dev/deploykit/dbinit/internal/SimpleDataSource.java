package dev.deploykit.dbinit.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The smallest DataSource Flyway accepts: each call opens a new connection with the owner's
 * credentials. No pool: Flyway opens two or three connections per run.
 */
final class SimpleDataSource implements DataSource {
  private final Connections connections;
  private final Duration connectTimeout;
  private final Duration lockTimeout;
  private int loginTimeoutSeconds;

  SimpleDataSource(Connections connections, Duration connectTimeout, Duration lockTimeout) {
    this.connections = connections;
    this.connectTimeout = connectTimeout;
    this.lockTimeout = lockTimeout;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return connections.open(connectTimeout, null, lockTimeout);
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("db-init connects as the configured owner only");
  }

  @Override
  public @Nullable PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(@Nullable PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {
    loginTimeoutSeconds = seconds;
  }

  @Override
  public int getLoginTimeout() {
    return loginTimeoutSeconds;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new SQLException("not a wrapper of " + type.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }

  @Override
  public String toString() {
    return "db-init DataSource[" + connections.target().describe() + "]";
  }
}
