package dev.deploykit.sample.app;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A few reused PostgreSQL connections: a new connection costs a backend process and a password
 * exchange, too much for every request under load. At most {@code size} are open; a request waits
 * for one up to its timeout. A connection that failed is closed, not returned.
 *
 * <p>Thread-safe.
 */
final class ConnectionPool implements AutoCloseable {
  /** Work on a borrowed connection. */
  @FunctionalInterface
  interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }

  private final String url;
  private final Properties properties;
  private final Semaphore permits;
  private final BlockingQueue<Connection> idle;
  private volatile boolean closed;

  ConnectionPool(String url, Properties properties, int size) {
    this.url = url;
    this.properties = properties;
    this.permits = new Semaphore(size, true);
    this.idle = new ArrayBlockingQueue<>(size);
  }

  /**
   * Runs {@code work} on a pooled connection in auto-commit mode.
   *
   * @throws SQLException from the work, or when no connection is free within {@code wait}
   * @throws InterruptedException when interrupted while waiting
   */
  <T> T use(Duration wait, SqlWork<T> work) throws SQLException, InterruptedException {
    if (closed) {
      throw new SQLException("the connection pool is closed", "08003");
    }
    if (!permits.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
      throw new SQLException("no database connection free within " + wait.toMillis() + " ms", "08001");
    }
    Connection c = null;
    boolean broken = false;
    try {
      c = idle.poll();
      if (c == null) {
        c = DriverManager.getConnection(url, properties);
      }
      return work.run(c);
    } catch (SQLException e) {
      broken = true;
      throw e;
    } finally {
      if (c != null) {
        if (broken || closed || !idle.offer(c)) {
          closeQuietly(c);
        }
      }
      permits.release();
    }
  }

  @Override
  public void close() {
    closed = true;
    Connection c;
    while ((c = idle.poll()) != null) {
      closeQuietly(c);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // Closing a broken connection may fail too; nothing is left to release.
    }
  }
}
